package io.prorch.jdbc.internal.sql;

import java.util.Locale;
import java.util.Objects;

/**
 * The qualified names of prorch's tables: {@code [schema.]<prefix>pipelines}, {@code [schema.]<prefix>pipeline_steps},
 * {@code [schema.]<prefix>pipeline_signals} and {@code [schema.]<prefix>pipeline_history}.
 *
 * @param schema the schema, or null for the connection's current one
 * @param prefix the table prefix, possibly empty
 */
public record Tables(String schema, String prefix) {
    /** @return the pipelines table */
    public String pipelines() {
        return qualified("pipelines");
    }

    /** @return the steps table */
    public String steps() {
        return qualified("pipeline_steps");
    }

    /** @return the signals table */
    public String signals() {
        return qualified("pipeline_signals");
    }

    /** @return the table of limited queues: a row per queue, locked by its claims */
    public String queues() {
        return qualified("pipeline_queues");
    }

    /** @return the table of pipelines' history entries */
    public String historyEntries() {
        return qualified("pipeline_history");
    }

    /** @return Flyway's history table name (unqualified; Flyway puts it in the schema) */
    public String history() {
        return prefix + "prorch_schema_history";
    }

    /**
     * @param what the option's name, for the messages
     * @return {@code value} in lower case
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if it is not a plain SQL identifier (letters, digits, underscores)
     */
    public static String identifier(String value, String what) {
        Objects.requireNonNull(value, what);
        if (!value.matches("[A-Za-z_][A-Za-z0-9_]{0,40}")) {
            throw new IllegalArgumentException(what + " must be a plain SQL identifier (letters, digits,"
                    + " underscores, at most 41 characters), but was \"" + value + "\"");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    /**
     * @return PostgreSQL's {@code NOTIFY} channel for saved signals: {@code prorch_signal}, or with a schema or prefix
     *     {@code prorch_signal_} and a hash of the signals table's name, so that stores in one database do not hear
     *     each other
     */
    public String signalChannel() {
        return schema == null && prefix.isEmpty() ? "prorch_signal"
                : "prorch_signal_" + Integer.toHexString(signals().hashCode());
    }

    private String qualified(String table) {
        return (schema == null ? "" : schema + ".") + prefix + table;
    }
}
