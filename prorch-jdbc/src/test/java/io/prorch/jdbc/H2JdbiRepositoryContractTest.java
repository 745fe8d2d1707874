package io.prorch.jdbc;

import io.prorch.repository.IRepository;
import io.prorch.test.contract.RepositoryContractTest;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Nested;

/** The contract kit on H2, on a repository created from a {@link Jdbi}: autocommit on, and off. */
class H2JdbiRepositoryContractTest {

    @Nested
    class FromAJdbi extends RepositoryContractTest {
        @Override
        protected IRepository newRepository() {
            return JdbcRepository.create(Jdbi.create(Databases.h2Memory()));
        }
    }

    @Nested
    class FromAJdbiAutocommitOff extends RepositoryContractTest {
        @Override
        protected IRepository newRepository() {
            return JdbcRepository.builder().jdbi(Jdbi.create(Databases.h2MemoryAutocommitOff()))
                    .tablePrefix("prorch_").build();
        }
    }
}
