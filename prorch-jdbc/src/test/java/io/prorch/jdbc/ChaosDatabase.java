package io.prorch.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh PostgreSQL schema (or MariaDB database) for one chaos test: prorch's tables, the hook ledger, and triggers
 * that record every committed write of a pipeline or step (the transition history) in the same transaction as the
 * write itself, so the history is exactly what the database committed, whoever wrote it and whatever happened to them
 * afterwards.
 */
final class ChaosDatabase implements AutoCloseable {
    /** The databases the chaos tests run on, told apart by their URL. */
    enum Kind {
        POSTGRESQL("clock_timestamp()"),
        /** Instants in UTC DATETIME(6) columns, as prorch stores them. */
        MARIADB("UTC_TIMESTAMP(6)");

        /** The SQL for the server's time now, as stored in the history and ledger tables. */
        final String clock;

        Kind(String clock) {
            this.clock = clock;
        }

        static Kind of(String url) {
            return url.startsWith("jdbc:mariadb:") ? MARIADB : POSTGRESQL;
        }
    }

    final Kind kind;
    /** The PostgreSQL schema, or the MariaDB database, holding everything. */
    final String schema;
    final HikariDataSource dataSource;
    final JdbcRepository repository;

    private ChaosDatabase(Kind kind, String schema) {
        this.kind = kind;
        this.schema = schema;
        this.dataSource = pool(url(), 8);
        this.repository = JdbcRepository.builder().dataSource(dataSource).schema(schema).build();
        execute(kind == Kind.POSTGRESQL ? postgresTables(schema) : mariaDbTables(schema));
    }

    private static String[] postgresTables(String schema) {
        return new String[] {
                "CREATE TABLE " + schema + ".ledger (id BIGSERIAL PRIMARY KEY, pipeline UUID NOT NULL,"
                + " position INT NOT NULL, hook TEXT NOT NULL, token BIGINT NOT NULL, attempt INT NOT NULL,"
                + " orchestrator TEXT NOT NULL, seen BIGINT NOT NULL, started_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),"
                + " ended_at TIMESTAMPTZ)",
                "CREATE TABLE " + schema + ".chaos_pipeline_history (id BIGSERIAL PRIMARY KEY, pipeline UUID, version BIGINT,"
                + " status TEXT, current_step INT, claim_owner TEXT, at TIMESTAMPTZ DEFAULT clock_timestamp())",
                "CREATE TABLE " + schema + ".chaos_step_history (id BIGSERIAL PRIMARY KEY, pipeline UUID, position INT,"
                + " version BIGINT, status TEXT, at TIMESTAMPTZ DEFAULT clock_timestamp())",
                "CREATE FUNCTION " + schema + ".record_pipeline() RETURNS trigger AS $$ BEGIN"
                + " INSERT INTO " + schema + ".chaos_pipeline_history (pipeline, version, status, current_step, claim_owner)"
                + " VALUES (NEW.uuid, NEW.version, NEW.status, NEW.current_step, NEW.claim_owner); RETURN NEW;"
                + " END $$ LANGUAGE plpgsql",
                "CREATE FUNCTION " + schema + ".record_step() RETURNS trigger AS $$ BEGIN"
                + " INSERT INTO " + schema + ".chaos_step_history (pipeline, position, version, status)"
                + " VALUES (NEW.pipeline_uuid, NEW.position, NEW.version, NEW.status); RETURN NEW;"
                + " END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER record AFTER INSERT OR UPDATE ON " + schema + ".pipelines"
                + " FOR EACH ROW EXECUTE FUNCTION " + schema + ".record_pipeline()",
                "CREATE TRIGGER record AFTER INSERT OR UPDATE ON " + schema + ".pipeline_steps"
                + " FOR EACH ROW EXECUTE FUNCTION " + schema + ".record_step()"};
    }

    /** The same tables on MariaDB: one trigger per event, and UTC_TIMESTAMP(6) (the statement's start) as the clock. */
    private static String[] mariaDbTables(String db) {
        String uuid = "CHAR(36) CHARACTER SET ascii";
        String now = "DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6))";
        String pipelineRow = " FOR EACH ROW INSERT INTO " + db + ".chaos_pipeline_history (pipeline, version, status,"
                + " current_step, claim_owner) VALUES (NEW.uuid, NEW.version, NEW.status, NEW.current_step,"
                + " NEW.claim_owner)";
        String stepRow = " FOR EACH ROW INSERT INTO " + db + ".chaos_step_history (pipeline, position, version, status)"
                + " VALUES (NEW.pipeline_uuid, NEW.position, NEW.version, NEW.status)";
        return new String[] {
                "CREATE TABLE " + db + ".ledger (id BIGINT AUTO_INCREMENT PRIMARY KEY, pipeline " + uuid + " NOT NULL,"
                + " position INT NOT NULL, hook VARCHAR(32) NOT NULL, token BIGINT NOT NULL, attempt INT NOT NULL,"
                + " orchestrator VARCHAR(64) NOT NULL, seen BIGINT NOT NULL, started_at " + now + ","
                + " ended_at DATETIME(6))",
                "CREATE TABLE " + db + ".chaos_pipeline_history (id BIGINT AUTO_INCREMENT PRIMARY KEY, pipeline " + uuid + ","
                + " version BIGINT, status VARCHAR(16), current_step INT, claim_owner VARCHAR(200), at " + now + ")",
                "CREATE TABLE " + db + ".chaos_step_history (id BIGINT AUTO_INCREMENT PRIMARY KEY, pipeline " + uuid + ","
                + " position INT, version BIGINT, status VARCHAR(16), at " + now + ")",
                "CREATE TRIGGER " + db + ".record_pipeline_insert AFTER INSERT ON " + db + ".pipelines" + pipelineRow,
                "CREATE TRIGGER " + db + ".record_pipeline_update AFTER UPDATE ON " + db + ".pipelines" + pipelineRow,
                "CREATE TRIGGER " + db + ".record_step_insert AFTER INSERT ON " + db + ".pipeline_steps" + stepRow,
                "CREATE TRIGGER " + db + ".record_step_update AFTER UPDATE ON " + db + ".pipeline_steps" + stepRow};
    }

    /** @return a new PostgreSQL schema with prorch's tables, the ledger and the history triggers */
    static ChaosDatabase create() {
        return new ChaosDatabase(Kind.POSTGRESQL, Databases.createPostgresSchema());
    }

    /** @return a new MariaDB database with prorch's tables, the ledger and the history triggers */
    static ChaosDatabase createMariaDb() {
        return new ChaosDatabase(Kind.MARIADB, Databases.createMariaDbDatabase());
    }

    /** @return the JDBC URL of this schema or database, for pools here and in child JVMs */
    String url() {
        return kind == Kind.MARIADB ? Databases.mariaDbUrl(schema) : url(Databases.POSTGRES_URL);
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
        // the same timeouts in each driver's units: seconds for PostgreSQL's, milliseconds for MariaDB's
        boolean millis = Kind.of(url) == Kind.MARIADB;
        config.addDataSourceProperty("socketTimeout", millis ? "10000" : "10");
        config.addDataSourceProperty("connectTimeout", millis ? "2000" : "2");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        return new HikariDataSource(config);
    }

    ChaosLedger ledger(String orchestrator) {
        return new ChaosLedger(dataSource, schema, orchestrator, kind.clock);
    }

    /** @return the database server's time now */
    Instant now() {
        return query("SELECT " + kind.clock, rs -> instant(rs, 1)).get(0);
    }

    /**
     * @return how many deadlocks the server has detected so far: in the test database on PostgreSQL, in the whole
     *     server on MariaDB (InnoDB counts no finer)
     */
    long deadlocks() {
        return query(kind == Kind.MARIADB ? "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                + " WHERE VARIABLE_NAME = 'INNODB_DEADLOCKS'"
                : "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()",
                rs -> rs.getLong(1)).get(0);
    }

    /** Everything the promises are checked against, read after the run. */
    PromiseChecker.Run read() {
        String asText = kind == Kind.MARIADB ? "" : "::text";
        return new PromiseChecker.Run(
                query("SELECT pipeline, position, hook, token, orchestrator, started_at, ended_at, seen, attempt"
                        + " FROM " + schema + ".ledger ORDER BY started_at, id", rs -> new PromiseChecker.Entry(
                        rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                        instant(rs, 6), instant(rs, 7), rs.getLong(8), rs.getInt(9))),
                query("SELECT pipeline, version, status, current_step, claim_owner, at FROM " + schema
                        + ".chaos_pipeline_history ORDER BY id", rs -> new PromiseChecker.PipelineWrite(
                        rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                        instant(rs, 6))),
                query("SELECT pipeline, position, version, status, at FROM " + schema + ".chaos_step_history ORDER BY id",
                        rs -> new PromiseChecker.StepWrite(rs.getObject(1, UUID.class), rs.getInt(2), rs.getLong(3),
                                rs.getString(4), instant(rs, 5))),
                query("SELECT uuid, status, version, claim_owner, metadata" + asText + " FROM " + schema + ".pipelines",
                        rs -> new PromiseChecker.FinalPipeline(rs.getObject(1, UUID.class), rs.getString(2),
                                rs.getLong(3), rs.getString(4), rs.getString(5))),
                query("SELECT pipeline_uuid, position, status, metadata" + asText + " FROM " + schema + ".pipeline_steps",
                        rs -> new PromiseChecker.FinalStep(rs.getObject(1, UUID.class), rs.getInt(2),
                                rs.getString(3), rs.getString(4))));
    }

    /** @return how many pipelines have ended */
    int ended() {
        return query("SELECT count(*) FROM " + schema + ".pipelines WHERE status IN ('finished', 'failed',"
                + " 'cancelled')", rs -> rs.getInt(1)).get(0);
    }

    private Instant instant(ResultSet rs, int column) throws SQLException {
        if (kind == Kind.MARIADB) {
            LocalDateTime time = rs.getObject(column, LocalDateTime.class);
            return time == null ? null : time.toInstant(ZoneOffset.UTC);
        }
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
        if (kind == Kind.MARIADB) {
            Databases.dropMariaDbDatabase(schema);
        } else {
            Databases.dropPostgresSchema(schema);
        }
    }
}
