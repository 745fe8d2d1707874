/** The approval example: orders that wait for a human's review, woken by signals. */
package io.prorch.examples.approval;
