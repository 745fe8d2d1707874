package io.prorch.examples.kafka;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prorch.examples.kafka.SecurityOrchestrator.Role;
import io.prorch.jdbc.JdbcRepository;
import java.time.Duration;

/**
 * The orchestrator as a process of its own, for the tests that kill it: {@code bootstrap jdbcUrl version role
 * claimMillis}. Prints {@code ready} once it consumes; stops cleanly when its standard input closes, or dies with
 * kill -9.
 */
public final class SecurityOrchestratorMain {
    private SecurityOrchestratorMain() {
    }

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[1]);
        config.setMaximumPoolSize(12);
        try (HikariDataSource dataSource = new HikariDataSource(config);
             SecurityOrchestrator orchestrator = new SecurityOrchestrator(args[0], JdbcRepository.create(dataSource),
                     Integer.parseInt(args[2]), Role.valueOf(args[3]), Duration.ofMillis(Long.parseLong(args[4])))) {
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the test closes our input (or kills us)
            }
        }
    }
}
