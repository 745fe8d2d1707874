package io.prorch.jdbc;

import io.prorch.repository.IRepository;

/** Promise 8 on H2 (whose clock is the JVM's own system clock, which the skewed orchestrators do not use). */
class H2ClockSkewTest extends ClockSkewContract {
    @Override
    IRepository newRepository() {
        return JdbcRepository.create(Databases.h2Memory());
    }
}
