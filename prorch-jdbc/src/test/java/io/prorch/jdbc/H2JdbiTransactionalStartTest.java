package io.prorch.jdbc;

import javax.sql.DataSource;

/** Transactional start through a JDBI handle, on H2 in memory. */
class H2JdbiTransactionalStartTest extends JdbiTransactionalStartContract {
    @Override
    DataSource newDatabase() {
        return Databases.h2Memory();
    }
}
