package io.prorch.jdbc.internal.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What detection refuses, and how it says so. */
class DialectTest {
    @Test
    void mySqlIsRefusedNamingWhatIsSupported() {
        assertThat(Dialect.unsupported("MySQL", "8.0.36")).hasMessageContainingAll("H2", "PostgreSQL",
                "MariaDB 10.6+", "not MySQL (8.0.36)", "untested");
    }

    @Test
    void mariaDbThroughMySqlsDriverIsToldToUseMariaDbsDriver() {
        assertThat(Dialect.unsupported("MySQL", "5.5.5-10.11.6-MariaDB")).hasMessageContainingAll("MariaDB",
                "org.mariadb.jdbc:mariadb-java-client", "jdbc:mariadb://");
    }

    @Test
    void anyOtherDatabaseIsRefusedNamingWhatIsSupported() {
        assertThat(Dialect.unsupported("Oracle", "23ai")).hasMessageContainingAll("H2, PostgreSQL and MariaDB",
                "not Oracle 23ai", "implement IRepository");
    }

    @Test
    void mariaDbBeforeSkipLockedIsRefused() {
        assertThatThrownBy(() -> Dialect.requireMariaDbWithSkipLocked(10, 5, "10.5.23-MariaDB"))
                .isInstanceOf(IllegalStateException.class).hasMessageContainingAll("10.6", "10.5.23", "SKIP LOCKED");
        assertThatCode(() -> Dialect.requireMariaDbWithSkipLocked(10, 6, "10.6.0")).doesNotThrowAnyException();
        assertThatCode(() -> Dialect.requireMariaDbWithSkipLocked(11, 0, "11.0.1")).doesNotThrowAnyException();
    }

    @Test
    void mariaDbSortsNullsLastWithoutNullsLast() {
        assertThat(Dialect.MARIADB.ascendingNullsLast("due_at")).isEqualTo("due_at IS NULL, due_at");
        assertThat(Dialect.POSTGRESQL.ascendingNullsLast("due_at")).isEqualTo("due_at ASC NULLS LAST");
    }
}
