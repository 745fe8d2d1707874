package io.prorch.jdbc;

import io.prorch.repository.IRepository;
import io.prorch.repository.InMemoryRepository;

/** Compensation and child pipelines on the in-memory store. */
class InMemoryShapesTest extends ShapesContract {
    @Override
    IRepository repository() {
        return InMemoryRepository.create();
    }
}
