package io.prorch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** JdbcRepository tells the orchestrator its pool's size, so that a pool too small for the workers is named. */
class ConnectionLimitTest {

    @Test
    void aHikariPoolSaysItsSizeAPlainDataSourceNothingAndACallersConnectionOne() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:limit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(5);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcRepository pooled = JdbcRepository.create(pool);
            assertThat(pooled.connectionLimit()).isEqualTo(OptionalInt.of(5));
            try (Connection c = pool.getConnection()) {
                assertThat(pooled.using(c).connectionLimit()).isEqualTo(OptionalInt.of(1));
            }
        }
        assertThat(JdbcRepository.create(Databases.h2Memory()).connectionLimit()).isEmpty();
    }
}
