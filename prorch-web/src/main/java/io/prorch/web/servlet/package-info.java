/**
 * Mounts the status page in a host application's servlet container (Spring Boot, Jetty, Tomcat):
 * {@link io.prorch.web.servlet.ProrchWebServlet}. Needs {@code jakarta.servlet-api} 6, which the host provides.
 */
package io.prorch.web.servlet;
