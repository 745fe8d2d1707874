package io.prorch.spring.boot;

import io.prorch.OrchestratorConfig;
import io.prorch.jdbc.JdbcRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code prorch.*} properties. Every setting left unset keeps the default of {@link OrchestratorConfig} or
 * {@link JdbcRepository}; values are checked by their builders, whose messages name the setting and the value.
 */
@ConfigurationProperties(prefix = "prorch")
public class ProrchProperties {
    /** Whether to auto-configure prorch at all. */
    private boolean enabled = true;
    /**
     * Packages scanned (with sub-packages) for @Pipeline and @Step classes. Default: the application's
     * auto-configuration packages, i.e. the package of the @SpringBootApplication class.
     */
    private List<String> scanPackages = new ArrayList<>();
    /** Whether to start polling when the application context starts. Off: call executePipelines() yourself. */
    private boolean autoStartup = true;
    /** The pause between polling passes. */
    private Duration pollInterval = Duration.ofSeconds(1);
    /** How long a claim on a pipeline lasts before another orchestrator may take it over. Default: 1 minute. */
    private Duration claimDuration;
    /** How many threads run hooks. Default: 4. */
    private Integer workerThreads;
    /** How many pipelines a pass claims at a time. Default: 100. */
    private Integer batchSize;
    /** How long one hook call may run before it is abandoned and counted as a failed attempt. Default: 10 minutes. */
    private Duration hookTimeout;
    /** How long shutdown waits for hooks in flight before interrupting them. Default: 30 seconds. */
    private Duration shutdownTimeout;
    /**
     * The most bytes of JSON one record's metadata may hold, for the orchestrator and the JDBC repository alike (at
     * least 1024). Default: 1 MiB.
     */
    private Integer maxMetadataBytes;
    /** The id this orchestrator claims pipelines under; unique per running instance. Default: pid@host and a suffix. */
    private String orchestratorId;
    /** The schema of prorch's tables (created if missing). Default: the connection's current schema. */
    private String schema;
    /** A prefix for prorch's table names, e.g. "prorch_" gives prorch_pipelines. Default: none. */
    private String tablePrefix = "";
    /**
     * Whether to create and upgrade prorch's tables at startup (Flyway, in prorch's own history table
     * prorch_schema_history). Off when a DBA applies the SQL files in the prorch-jdbc jar.
     */
    private boolean migrate = true;
    /** The longest the JDBC repository waits for the database in one statement; 0 turns it off. Default: 30 s. */
    private Duration statementTimeout;
    private final Health health = new Health();
    private final Metrics metrics = new Metrics();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getScanPackages() {
        return scanPackages;
    }

    public void setScanPackages(List<String> scanPackages) {
        this.scanPackages = scanPackages;
    }

    public boolean isAutoStartup() {
        return autoStartup;
    }

    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getClaimDuration() {
        return claimDuration;
    }

    public void setClaimDuration(Duration claimDuration) {
        this.claimDuration = claimDuration;
    }

    public Integer getWorkerThreads() {
        return workerThreads;
    }

    public void setWorkerThreads(Integer workerThreads) {
        this.workerThreads = workerThreads;
    }

    public Integer getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(Integer batchSize) {
        this.batchSize = batchSize;
    }

    public Duration getHookTimeout() {
        return hookTimeout;
    }

    public void setHookTimeout(Duration hookTimeout) {
        this.hookTimeout = hookTimeout;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public Integer getMaxMetadataBytes() {
        return maxMetadataBytes;
    }

    public void setMaxMetadataBytes(Integer maxMetadataBytes) {
        this.maxMetadataBytes = maxMetadataBytes;
    }

    public String getOrchestratorId() {
        return orchestratorId;
    }

    public void setOrchestratorId(String orchestratorId) {
        this.orchestratorId = orchestratorId;
    }

    public String getSchema() {
        return schema;
    }

    public void setSchema(String schema) {
        this.schema = schema;
    }

    public String getTablePrefix() {
        return tablePrefix;
    }

    public void setTablePrefix(String tablePrefix) {
        this.tablePrefix = tablePrefix;
    }

    public boolean isMigrate() {
        return migrate;
    }

    public void setMigrate(boolean migrate) {
        this.migrate = migrate;
    }

    public Duration getStatementTimeout() {
        return statementTimeout;
    }

    public void setStatementTimeout(Duration statementTimeout) {
        this.statementTimeout = statementTimeout;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Health getHealth() {
        return health;
    }

    /** The {@code prorch.health.*} properties of the Actuator health indicator. */
    public static class Health {
        /** How long the health check waits for the store to answer before reporting DOWN. */
        private Duration timeout = Duration.ofSeconds(2);

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** The {@code prorch.metrics.*} properties of the Micrometer meters. */
    public static class Metrics {
        /** Whether the gauges of pipelines by name and status (prorch.pipelines) are registered. */
        private boolean gauges = true;
        /** How often the pipelines are counted for the prorch.pipelines gauges (one query each time), 1s to 1d. */
        private Duration gaugeRefresh = Duration.ofSeconds(15);

        public boolean isGauges() {
            return gauges;
        }

        public void setGauges(boolean gauges) {
            this.gauges = gauges;
        }

        public Duration getGaugeRefresh() {
            return gaugeRefresh;
        }

        public void setGaugeRefresh(Duration gaugeRefresh) {
            this.gaugeRefresh = gaugeRefresh;
        }
    }
}
