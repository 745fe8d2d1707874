package io.prorch.jdbc;

import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.Status;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.TimeZone;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Instants on MariaDB are exact to the microsecond and stored as UTC, whatever the JVM's and the session's time
 * zones: here the JVM runs in New York and every session in UTC+05:00, and an instant falls in New York's
 * daylight-saving gap (02:30 on 2026-03-08 does not exist there).
 */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_MARIADB_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_MARIADB_URL to run")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbTimeZoneTest {
    private static final Instant IN_THE_GAP = Instant.parse("2026-03-08T07:30:00.123456Z");

    private final TimeZone jvmZone = TimeZone.getDefault();
    private String database;
    private Databases.UrlDataSource dataSource;
    private JdbcRepository repository;

    @BeforeAll
    void setUp() {
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
        database = Databases.createMariaDbDatabase();
        String url = Databases.mariaDbUrl(database);
        dataSource = new Databases.UrlDataSource(url + (url.contains("?") ? "&" : "?")
                + "sessionVariables=time_zone='+05:00'", false);
        repository = JdbcRepository.create(dataSource);
    }

    @AfterAll
    void tearDown() {
        TimeZone.setDefault(jvmZone);
        Databases.dropMariaDbDatabase(database);
    }

    @Test
    void theSessionRunsInAnotherZoneThanUtc() throws SQLException {
        assertThat(text("SELECT @@session.time_zone")).isEqualTo("+05:00");
    }

    @Test
    void instantsRoundTripToTheMicrosecondAndAreStoredAsUtc() throws SQLException {
        PipelineRecord saved = repository.save(aPipeline().withTimestamps(IN_THE_GAP, IN_THE_GAP.plusNanos(1_000))
                .withDueAt(IN_THE_GAP.plusSeconds(3_600)).withClaim("o", IN_THE_GAP.minusNanos(999_000)).build());

        assertThat(repository.get(Model.PIPELINE, saved.id())).contains(saved);
        assertThat(text("SELECT CAST(created_at AS CHAR) FROM pipelines WHERE uuid = '" + saved.id() + "'"))
                .isEqualTo("2026-03-08 07:30:00.123456");
    }

    @Test
    void theDatabaseClockIsUtcAndDueTimesCompareWithIt() {
        Instant now = repository.currentTime().orElseThrow();
        assertThat(Duration.between(Instant.now(), now).abs()).isLessThan(Duration.ofSeconds(5));
        UUID due = repository.save(aPipeline().withStatus(Status.PENDING).withDueAt(now.minusSeconds(1)).build()).id();
        repository.save(aPipeline().withStatus(Status.PENDING).withDueAt(now.plusSeconds(3_600)).build());

        var claimed = repository.claimDue(new ClaimRequest("tz", now, now.plusSeconds(30), 10));

        assertThat(claimed).extracting(PipelineRecord::id).containsExactly(due);
        assertThat(repository.get(Model.PIPELINE, due)).get().extracting(PipelineRecord::claimExpiresAt)
                .isEqualTo(now.plusSeconds(30));
    }

    private String text(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
