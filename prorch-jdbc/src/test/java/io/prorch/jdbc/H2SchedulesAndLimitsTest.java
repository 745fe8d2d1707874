package io.prorch.jdbc;

import io.prorch.repository.IRepository;
import javax.sql.DataSource;

/** Schedules and limits with several orchestrators, each with its own JdbcRepository, on one H2 database. */
class H2SchedulesAndLimitsTest extends SchedulesAndLimitsContract {
    private final DataSource database = Databases.h2Memory();

    @Override
    IRepository store() {
        return JdbcRepository.create(database);
    }
}
