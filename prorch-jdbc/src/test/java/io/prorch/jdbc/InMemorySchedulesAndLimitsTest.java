package io.prorch.jdbc;

import io.prorch.repository.IRepository;
import io.prorch.repository.InMemoryRepository;

/** Schedules and limits with several orchestrators sharing one in-memory store. */
class InMemorySchedulesAndLimitsTest extends SchedulesAndLimitsContract {
    private final InMemoryRepository store = InMemoryRepository.create();

    @Override
    IRepository store() {
        return store;
    }
}
