/**
 * machinery's example: services and a workflow defined as JSON, events POSTed over HTTP, with a {@code --chaos} mode
 * ({@link io.prorch.examples.machinery.MachineryMain}).
 */
package io.prorch.examples.machinery;
