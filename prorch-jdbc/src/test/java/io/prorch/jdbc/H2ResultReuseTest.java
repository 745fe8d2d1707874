package io.prorch.jdbc;

import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * H2 serves a query's previous result again when no table it reads changed since. Up to 2.2.224 a commit counted as
 * a change <em>before</em> it became visible, so a read that ran in that instant was cached without the commit and
 * served, stale, until the next write: a pipeline that finished looked unfinished for good (this stalled a benchmark
 * run). The store must always read the latest commit; this test races reads against commits to show it does.
 */
class H2ResultReuseTest {

    private static final int COMMITS = 3_000;
    private static final Duration BUDGET = Duration.ofSeconds(20);

    @Test
    void aReadRacingACommitIsNeverServedAgainAfterTheCommit() throws Exception {
        String url = "jdbc:h2:mem:prorch-reuse-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        JdbcDataSource unpooled = new JdbcDataSource();
        unpooled.setURL(url);
        JdbcRepository.create(unpooled); // migrate first: Flyway needs a second connection, the pool below has one
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(1); // one session: every read runs the same prepared command, where H2 caches
        try (HikariDataSource pool = new HikariDataSource(config);
                Connection writer = DriverManager.getConnection(url);
                PreparedStatement bump =
                        writer.prepareStatement("UPDATE pipelines SET version = version + 1 WHERE uuid = ?")) {
            JdbcRepository repository =
                    JdbcRepository.builder().dataSource(pool).migrate(false).build();
            PipelineRecord pipeline = repository.save(aPipeline().build());
            bump.setObject(1, pipeline.id());

            AtomicBoolean done = new AtomicBoolean();
            Thread racer = new Thread(() -> {
                while (!done.get()) {
                    repository.get(Model.PIPELINE, pipeline.id());
                }
            });
            racer.start();
            long expected = pipeline.version();
            long deadline = System.nanoTime() + BUDGET.toNanos();
            int commits = 0;
            try {
                while (commits < COMMITS && System.nanoTime() < deadline) {
                    bump.executeUpdate(); // autocommit: returns once committed
                    expected++;
                    commits++;
                    // the racer keeps reading through the commit; nothing is written between the commit and this read
                    assertThat(repository.get(Model.PIPELINE, pipeline.id()).orElseThrow().version())
                            .as("version read after commit %d", commits)
                            .isEqualTo(expected);
                }
            } finally {
                done.set(true);
                racer.join();
            }
            assertThat(commits).as("commits raced within %s", BUDGET).isGreaterThanOrEqualTo(100);
        }
    }

    @Test
    void anH2ThatCanServeStaleReadsIsRefusedWithTheVersionToUpgradeTo() {
        assertThatThrownBy(() -> Dialect.requireH2WithoutStaleReads("2.2.224 (2023-09-17)"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs H2 2.3.232 or later, found 2.2.224 (2023-09-17)")
                .hasMessageContaining("upgrade com.h2database:h2");
        assertThatThrownBy(() -> Dialect.requireH2WithoutStaleReads("2.3.230 (2024-07-15)"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Dialect.requireH2WithoutStaleReads("1.4.200 (2019-10-14)"))
                .isInstanceOf(IllegalStateException.class);
        for (String fine : new String[] {"2.3.232 (2024-08-11)", "2.5.252", "2.10.0", "3.0.0 (2030-01-01)"}) {
            assertThatCode(() -> Dialect.requireH2WithoutStaleReads(fine)).as(fine).doesNotThrowAnyException();
        }
        // a version it cannot read is not a reason to refuse a database that may well be fine
        for (String unreadable : new String[] {null, "", "custom build", "2.x", "99999999999.0.0"}) {
            assertThatCode(() -> Dialect.requireH2WithoutStaleReads(unreadable))
                    .as(String.valueOf(unreadable))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void theH2OnTheClassPathIsAccepted() {
        assertThatCode(() -> Dialect.requireH2WithoutStaleReads(org.h2.engine.Constants.FULL_VERSION))
                .doesNotThrowAnyException();
    }
}
