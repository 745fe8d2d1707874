/**
 * The machinery of prorch-kafka: the polling loop, dead letters, JSON. Not API: it may change at any time.
 */
package io.prorch.kafka.internal;
