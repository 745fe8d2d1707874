/**
 * The storage SPI: {@link io.prorch.repository.IRepository}, the records it stores, the search filter, its
 * exceptions, and {@link io.prorch.repository.InMemoryRepository}. Implement {@code IRepository} to keep
 * pipelines in a store of your own, and prove it with the contract kit in {@code io.prorch:prorch-test}.
 */
package io.prorch.repository;
