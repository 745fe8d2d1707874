/**
 * {@link io.prorch.jdbc.JdbcRepository}: prorch's store on a relational database (PostgreSQL, H2), with its schema
 * kept by Flyway in a history table of its own.
 */
package io.prorch.jdbc;
