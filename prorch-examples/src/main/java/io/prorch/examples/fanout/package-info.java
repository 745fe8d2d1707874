/** The fan-out example: one pipeline starts 50 child pipelines and collects their results. */
package io.prorch.examples.fanout;
