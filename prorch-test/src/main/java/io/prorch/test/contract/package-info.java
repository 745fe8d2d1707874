/**
 * The repository contract kit: extend {@link io.prorch.test.contract.RepositoryContractTest}, return a fresh store,
 * and inherit the definition of a correct {@link io.prorch.repository.IRepository};
 * {@link io.prorch.test.contract.RecordBuilders} builds valid records for tests of your own.
 */
package io.prorch.test.contract;
