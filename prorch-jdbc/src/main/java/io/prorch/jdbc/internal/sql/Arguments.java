package io.prorch.jdbc.internal.sql;

import io.prorch.jdbc.internal.dialect.Dialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Binding and reading of ids, instants and nullable text. Instants travel as UTC {@code OffsetDateTime}s, which the H2
 * and PostgreSQL drivers store in {@code TIMESTAMP WITH TIME ZONE} exactly, whatever the JVM's default time zone.
 * MariaDB has no such type: its {@code DATETIME(6)} columns hold UTC wall-clock times, bound and read as
 * {@code LocalDateTime}s, which its driver passes through unchanged (an {@code OffsetDateTime} it would shift to the
 * JVM's zone, losing an hour in a daylight-saving gap), and which the server never converts, whatever the session's
 * {@code time_zone}. Where {@code text} ({@code Dialect.bindsText()}), ids and instants are bound as text, for the
 * casts of {@code Dialect.uuid()} and {@code Dialect.instant()}.
 */
final class Arguments {
    private Arguments() {
    }

    static void setUuid(PreparedStatement ps, int index, UUID value, boolean text) throws SQLException {
        if (text) {
            ps.setString(index, value.toString());
        } else {
            ps.setObject(index, value);
        }
    }

    /**
     * Binds {@code value} (may be null) to a parameter written as {@code dialect.instant()}: as text where the dialect
     * binds text and the year is one {@link PgText} writes.
     */
    static void setInstant(PreparedStatement ps, int index, Instant value, Dialect dialect) throws SQLException {
        if (dialect.bindsText() && value != null && PgText.writable(value)) {
            ps.setString(index, PgText.instant(value));
        } else {
            setPlainInstant(ps, index, value, dialect);
        }
    }

    /** Binds {@code value} (may be null) to a plain {@code ?} parameter, never as text. */
    static void setPlainInstant(PreparedStatement ps, int index, Instant value, Dialect dialect) throws SQLException {
        if (dialect.utcDateTimes()) {
            setUtcDateTime(ps, index, value);
        } else {
            setOffsetDateTime(ps, index, value);
        }
    }

    private static void setOffsetDateTime(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    private static void setUtcDateTime(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP);
        } else {
            ps.setObject(index, LocalDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    static void setText(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    /** @return the instant in {@code column}, or null */
    static Instant instant(ResultSet rs, String column, Dialect dialect) throws SQLException {
        if (dialect.utcDateTimes()) {
            LocalDateTime value = rs.getObject(column, LocalDateTime.class);
            return value == null ? null : value.toInstant(ZoneOffset.UTC);
        }
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** @return the instant in column {@code index}, or null */
    static Instant instant(ResultSet rs, int index, Dialect dialect) throws SQLException {
        if (dialect.utcDateTimes()) {
            LocalDateTime value = rs.getObject(index, LocalDateTime.class);
            return value == null ? null : value.toInstant(ZoneOffset.UTC);
        }
        OffsetDateTime value = rs.getObject(index, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
