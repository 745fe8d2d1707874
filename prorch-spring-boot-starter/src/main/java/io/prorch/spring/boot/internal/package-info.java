/**
 * The starter's implementation, not its API: the health check shared by the Spring Boot 3 and 4 health indicators, and
 * the Boot 4 indicator itself.
 */
package io.prorch.spring.boot.internal;
