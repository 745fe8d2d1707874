/**
 * Spring Boot auto-configuration of prorch: add {@code io.prorch:prorch-spring-boot-starter} to an application with a
 * {@code DataSource} and it gets an {@link io.prorch.Orchestrator} bean, polling while the application runs. See
 * {@link io.prorch.spring.boot.ProrchAutoConfiguration} for what is configured, and {@link
 * io.prorch.spring.boot.ProrchProperties} for the {@code prorch.*} properties.
 */
package io.prorch.spring.boot;
