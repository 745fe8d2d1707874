package io.prorch.test.contract;

import io.prorch.repository.IRepository;
import io.prorch.repository.InMemoryRepository;

class InMemoryRepositoryContractTest extends RepositoryContractTest {
    @Override
    protected IRepository newRepository() {
        return InMemoryRepository.create();
    }
}
