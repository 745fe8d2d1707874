package io.prorch.jdbc;

import io.prorch.repository.IRepository;

/** Compensation and child pipelines on H2 in memory. */
class H2ShapesTest extends ShapesContract {
    @Override
    IRepository repository() {
        return JdbcRepository.create(Databases.h2Memory());
    }
}
