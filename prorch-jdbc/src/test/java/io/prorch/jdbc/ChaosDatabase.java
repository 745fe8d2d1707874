package io.prorch.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh PostgreSQL schema for one chaos test: prorch's tables, the hook ledger, and triggers that record every
 * committed write of a pipeline or step (the transition history) in the same transaction as the write itself, so
 * the history is exactly what the database committed, whoever wrote it and whatever happened to them afterwards.
 */
final class ChaosDatabase implements AutoCloseable {
    final String schema;
    final HikariDataSource dataSource;
    final JdbcRepository repository;

    private ChaosDatabase(String schema) {
        this.schema = schema;
        this.dataSource = pool(url(), 8);
        this.repository = JdbcRepository.builder().dataSource(dataSource).schema(schema).build();
        execute("CREATE TABLE " + schema + ".ledger (id BIGSERIAL PRIMARY KEY, pipeline UUID NOT NULL,"
                + " position INT NOT NULL, hook TEXT NOT NULL, token BIGINT NOT NULL, attempt INT NOT NULL,"
                + " orchestrator TEXT NOT NULL, seen BIGINT NOT NULL, started_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),"
                + " ended_at TIMESTAMPTZ)",
                "CREATE TABLE " + schema + ".pipeline_history (id BIGSERIAL PRIMARY KEY, pipeline UUID, version BIGINT,"
                + " status TEXT, current_step INT, claim_owner TEXT, at TIMESTAMPTZ DEFAULT clock_timestamp())",
                "CREATE TABLE " + schema + ".step_history (id BIGSERIAL PRIMARY KEY, pipeline UUID, position INT,"
                + " version BIGINT, status TEXT, at TIMESTAMPTZ DEFAULT clock_timestamp())",
                "CREATE FUNCTION " + schema + ".record_pipeline() RETURNS trigger AS $$ BEGIN"
                + " INSERT INTO " + schema + ".pipeline_history (pipeline, version, status, current_step, claim_owner)"
                + " VALUES (NEW.uuid, NEW.version, NEW.status, NEW.current_step, NEW.claim_owner); RETURN NEW;"
                + " END $$ LANGUAGE plpgsql",
                "CREATE FUNCTION " + schema + ".record_step() RETURNS trigger AS $$ BEGIN"
                + " INSERT INTO " + schema + ".step_history (pipeline, position, version, status)"
                + " VALUES (NEW.pipeline_uuid, NEW.position, NEW.version, NEW.status); RETURN NEW;"
                + " END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER record AFTER INSERT OR UPDATE ON " + schema + ".pipelines"
                + " FOR EACH ROW EXECUTE FUNCTION " + schema + ".record_pipeline()",
                "CREATE TRIGGER record AFTER INSERT OR UPDATE ON " + schema + ".pipeline_steps"
                + " FOR EACH ROW EXECUTE FUNCTION " + schema + ".record_step()");
    }

    /** @return a new schema with prorch's tables, the ledger and the history triggers */
    static ChaosDatabase create() {
        return new ChaosDatabase(Databases.createPostgresSchema());
    }

    /** @return the JDBC URL of this schema, for pools here and in child JVMs */
    String url() {
        return url(Databases.POSTGRES_URL);
    }

    /** @return {@code baseUrl} (a PostgreSQL URL, possibly through a proxy) with this schema as the current one */
    String url(String baseUrl) {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** @return a small pool with the timeouts the README recommends, so a dead server is noticed within seconds */
    static HikariDataSource pool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("socketTimeout", "10");
        config.addDataSourceProperty("connectTimeout", "2");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        return new HikariDataSource(config);
    }

    ChaosLedger ledger(String orchestrator) {
        return new ChaosLedger(dataSource, schema, orchestrator);
    }

    /** @return the database server's time now */
    Instant now() {
        return query("SELECT clock_timestamp()", rs -> rs.getObject(1, OffsetDateTime.class).toInstant()).get(0);
    }

    /** @return how many deadlocks PostgreSQL has detected in the test database so far */
    long deadlocks() {
        return query("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()",
                rs -> rs.getLong(1)).get(0);
    }

    /** Everything the promises are checked against, read after the run. */
    PromiseChecker.Run read() {
        return new PromiseChecker.Run(
                query("SELECT pipeline, position, hook, token, orchestrator, started_at, ended_at, seen, attempt"
                        + " FROM " + schema + ".ledger ORDER BY started_at, id", rs -> new PromiseChecker.Entry(
                        rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                        instant(rs, 6), instant(rs, 7), rs.getLong(8), rs.getInt(9))),
                query("SELECT pipeline, version, status, current_step, claim_owner, at FROM " + schema
                        + ".pipeline_history ORDER BY id", rs -> new PromiseChecker.PipelineWrite(
                        rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                        instant(rs, 6))),
                query("SELECT pipeline, position, version, status, at FROM " + schema + ".step_history ORDER BY id",
                        rs -> new PromiseChecker.StepWrite(rs.getObject(1, UUID.class), rs.getInt(2), rs.getLong(3),
                                rs.getString(4), instant(rs, 5))),
                query("SELECT uuid, status, version, claim_owner, metadata::text FROM " + schema + ".pipelines",
                        rs -> new PromiseChecker.FinalPipeline(rs.getObject(1, UUID.class), rs.getString(2),
                                rs.getLong(3), rs.getString(4), rs.getString(5))),
                query("SELECT pipeline_uuid, position, status, metadata::text FROM " + schema + ".pipeline_steps",
                        rs -> new PromiseChecker.FinalStep(rs.getObject(1, UUID.class), rs.getInt(2),
                                rs.getString(3), rs.getString(4))));
    }

    /** @return how many pipelines have ended */
    int ended() {
        return query("SELECT count(*) FROM " + schema + ".pipelines WHERE status IN ('finished', 'failed',"
                + " 'cancelled')", rs -> rs.getInt(1)).get(0);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    <T> List<T> query(String sql, Row<T> row) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(row.map(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }

    void execute(String... statements) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("chaos setup failed", e);
        }
    }

    @Override
    public void close() {
        dataSource.close();
        Databases.dropPostgresSchema(schema);
    }
}
