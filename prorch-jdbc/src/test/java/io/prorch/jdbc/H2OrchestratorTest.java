package io.prorch.jdbc;

import io.prorch.repository.IRepository;

/** The JDBC end-to-end run on H2 in memory. */
class H2OrchestratorTest extends OrchestratorOnJdbcContract {
    @Override
    IRepository repository() {
        return JdbcRepository.create(Databases.h2Memory());
    }
}
