package io.prorch.jdbc.internal.sql;

/**
 * The qualified names of prorch's tables: {@code [schema.]<prefix>pipelines} and {@code [schema.]<prefix>pipeline_steps}.
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

    /** @return Flyway's history table name (unqualified; Flyway puts it in the schema) */
    public String history() {
        return prefix + "prorch_schema_history";
    }

    private String qualified(String table) {
        return (schema == null ? "" : schema + ".") + prefix + table;
    }
}
