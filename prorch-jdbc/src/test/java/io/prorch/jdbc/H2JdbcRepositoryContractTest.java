package io.prorch.jdbc;

import io.prorch.repository.IRepository;
import io.prorch.test.contract.RepositoryContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The contract kit on H2: in memory, in a file, and through connections with autocommit off. */
class H2JdbcRepositoryContractTest {

    @Nested
    class InMemory extends RepositoryContractTest {
        @Override
        protected IRepository newRepository() {
            return JdbcRepository.create(Databases.h2Memory());
        }
    }

    @Nested
    class InAFile extends RepositoryContractTest {
        @TempDir
        Path dir;

        @Override
        protected IRepository newRepository() {
            return JdbcRepository.builder().dataSource(Databases.h2File(dir)).tablePrefix("prorch_").build();
        }
    }

    @Nested
    class AutocommitOff extends RepositoryContractTest {
        @Override
        protected IRepository newRepository() {
            return JdbcRepository.create(Databases.h2MemoryAutocommitOff());
        }
    }
}
