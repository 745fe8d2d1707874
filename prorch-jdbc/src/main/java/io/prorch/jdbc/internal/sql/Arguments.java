package io.prorch.jdbc.internal.sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Binding and reading of ids, instants and nullable text. Instants travel as UTC {@code OffsetDateTime}s, which both
 * drivers store in {@code TIMESTAMP WITH TIME ZONE} exactly, whatever the JVM's default time zone. Where {@code text}
 * ({@code Dialect.bindsText()}), ids and instants are bound as text, for the casts of {@code Dialect.uuid()} and
 * {@code Dialect.instant()}.
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

    /** Binds {@code value} (may be null); as text where {@code text} and the year is one {@link PgText} writes. */
    static void setInstant(PreparedStatement ps, int index, Instant value, boolean text) throws SQLException {
        if (text && value != null && PgText.writable(value)) {
            ps.setString(index, PgText.instant(value));
        } else {
            setInstant(ps, index, value);
        }
    }

    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    static void setText(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
