package io.prorch.jdbc.internal.sql;

import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.repository.RepositoryException;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/** Creates and upgrades prorch's tables with Flyway, recorded in a history table of their own. */
public final class Migrations {
    private Migrations() {
    }

    /** @return how to create the tables, for the message when they are missing */
    public static String hint(Dialect dialect, Tables tables) {
        return "let JdbcRepository migrate them (builder().migrate(true), the default) or apply the SQL in "
                + dialect.migrations().replace("classpath:", "the jar's ") + " with ${prefix} = \"" + tables.prefix()
                + "\"";
    }

    /**
     * Runs the migrations of {@code dialect} for {@code tables}.
     *
     * @throws RepositoryException if they fail
     */
    public static void run(DataSource dataSource, Dialect dialect, Tables tables) {
        try {
            var flyway = Flyway.configure(Migrations.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(dialect.migrations())
                    .table(tables.history())
                    .placeholders(Map.of("prefix", tables.prefix()))
                    // the schema may already hold the application's tables: start prorch's history at 0
                    .baselineOnMigrate(true)
                    .baselineVersion("0");
            if (tables.schema() != null) {
                // unquoted identifiers in our SQL fold to upper case on H2 and lower case on PostgreSQL;
                // Flyway quotes the schema, so give it the folded form
                String folded = dialect == Dialect.H2 ? tables.schema().toUpperCase(Locale.ROOT) : tables.schema();
                flyway.schemas(folded).defaultSchema(folded);
            }
            flyway.load().migrate();
        } catch (FlywayException e) {
            throw new RepositoryException("Migrating prorch's tables (" + tables.pipelines() + ", " + tables.steps()
                    + ", " + tables.signals() + ") failed: " + e.getMessage(), e);
        }
    }
}
