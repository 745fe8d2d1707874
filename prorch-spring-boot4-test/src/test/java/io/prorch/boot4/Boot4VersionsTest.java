package io.prorch.boot4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.h2.Driver;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;

/**
 * The tests of this module run on what a Spring Boot 4.0.7 application gets: Boot 4.0.7 itself, the versions it
 * manages (not prorch-parent's), and none of Boot 3's classes, so the starter's Boot 3 code could not be the one at
 * work.
 */
class Boot4VersionsTest {

    @Test
    void runsOnSpringBoot407AndTheVersionsItManages() throws IOException {
        assertThat(SpringBootVersion.getVersion()).isEqualTo("4.0.7");
        assertThat(mavenVersion(Flyway.class, "org.flywaydb/flyway-core")).isEqualTo("11.14.1");
        assertThat(mavenVersion(HikariDataSource.class, "com.zaxxer/HikariCP")).isEqualTo("7.0.2");
        assertThat(ObjectMapper.class.getPackage().getImplementationVersion()).isEqualTo("2.21.4");
        assertThat(MeterRegistry.class.getPackage().getImplementationVersion()).isEqualTo("1.16.6");
        assertThat(Driver.class.getPackage().getImplementationVersion()).isEqualTo("2.4.240");
    }

    @Test
    void boot3sHealthApiAndAutoConfigurationsAreNotOnTheClasspath() {
        assertThatThrownBy(() -> Class.forName("org.springframework.boot.actuate.health.HealthIndicator"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    private static String mavenVersion(Class<?> type, String groupAndArtifact) throws IOException {
        Properties pom = new Properties();
        try (InputStream in = type.getResourceAsStream("/META-INF/maven/" + groupAndArtifact + "/pom.properties")) {
            assertThat(in).as("pom.properties of " + groupAndArtifact).isNotNull();
            pom.load(in);
        }
        return pom.getProperty("version");
    }
}
