package io.prorch.jdbc;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;

/** Transactional start on H2, in a file so that a child JVM can share the database. */
class H2TransactionalStartTest extends TransactionalStartContract {
    @TempDir
    Path dir;

    @Override
    DataSource newDatabase() {
        return new Databases.UrlDataSource(childUrl(), false);
    }

    @Override
    String childUrl() {
        // AUTO_SERVER lets the child open the file while this JVM holds it
        return "jdbc:h2:" + dir.resolve("tx").toAbsolutePath() + ";AUTO_SERVER=TRUE";
    }
}
