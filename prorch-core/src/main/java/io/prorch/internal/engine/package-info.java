/** The engine that claims, drives and saves pipelines. Not API: it may change at any time. */
package io.prorch.internal.engine;
