package io.prorch.boot4.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot 4 application as a user writes one: its own Flyway migration ({@code db/migration}), an
 * {@link OrderBook} bean on its tables, and a pipeline whose steps get that bean injected. prorch comes from the starter
 * alone: no prorch bean is declared here.
 */
@SpringBootApplication
public class Boot4Application {
}
