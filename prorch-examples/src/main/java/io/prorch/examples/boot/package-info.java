/**
 * A Spring Boot application with prorch-spring-boot-starter: its pipeline's steps get an application bean
 * ({@link io.prorch.examples.boot.OrderBook}) injected, its own Flyway migration creates its table beside prorch's, and
 * the starter's orchestrator polls while it runs. Start {@link io.prorch.examples.boot.BootSampleApplication}.
 */
package io.prorch.examples.boot;
