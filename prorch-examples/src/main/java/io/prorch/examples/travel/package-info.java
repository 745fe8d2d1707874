/** The travel example: a saga whose failed last step undoes the bookings before it ({@code OnCompensate}). */
package io.prorch.examples.travel;
