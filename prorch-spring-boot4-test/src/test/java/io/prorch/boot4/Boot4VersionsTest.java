package io.prorch.boot4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;

/**
 * The tests of this module run on what a Spring Boot 4.0.7 application gets: Boot 4.0.7 itself, the Flyway it manages
 * (not prorch-parent's), and none of Boot 3's health API, so the starter's Boot 3 classes could not be the ones at work.
 */
class Boot4VersionsTest {

    @Test
    void runsOnSpringBoot407AndTheFlywayItManages() throws Exception {
        assertThat(SpringBootVersion.getVersion()).isEqualTo("4.0.7");
        Properties flyway = new Properties();
        try (InputStream in = Flyway.class.getResourceAsStream("/META-INF/maven/org.flywaydb/flyway-core/pom.properties")) {
            flyway.load(in);
        }
        assertThat(flyway.getProperty("version")).isEqualTo("11.14.1");
    }

    @Test
    void boot3sHealthApiIsNotOnTheClasspath() {
        assertThatThrownBy(() -> Class.forName("org.springframework.boot.actuate.health.HealthIndicator"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"))
                .isInstanceOf(ClassNotFoundException.class);
    }
}
