package io.prorch.repository;

import io.prorch.repository.contract.RepositoryContractTest;

class InMemoryRepositoryContractTest extends RepositoryContractTest {
    @Override
    protected IRepository newRepository() {
        return InMemoryRepository.create();
    }
}
