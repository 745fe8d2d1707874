/** Implementation of {@link io.prorch.jdbc.JdbcRepository}. Not API: it may change at any time. */
package io.prorch.jdbc.internal.sql;
