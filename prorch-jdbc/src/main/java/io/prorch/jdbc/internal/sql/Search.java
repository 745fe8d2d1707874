package io.prorch.jdbc.internal.sql;

import io.prorch.Status;
import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.statement.Query;

/** The SELECT of a {@link SearchFilter}'s matches in one table, in its model's search order, and its parameters. */
final class Search {
    final String sql;
    private final List<Object> values = new ArrayList<>();
    private final Dialect dialect;

    Search(Rows<?> rows, SearchFilter filter) {
        this.dialect = rows.dialect;
        StringBuilder sql = new StringBuilder(rows.select).append(" WHERE 1 = 1");
        filter.equalities().forEach((field, value) -> {
            sql.append(" AND ").append(column(field)).append(" = ?");
            values.add(value instanceof Status status ? status.value() : value);
        });
        filter.anyOf().forEach((field, set) -> {
            sql.append(" AND ").append(column(field)).append(" IN (");
            String separator = "";
            for (Object value : set) {
                sql.append(separator).append('?');
                separator = ", ";
                values.add(value instanceof Status status ? status.value() : value);
            }
            sql.append(')');
        });
        for (SearchFilter.Range range : filter.ranges()) {
            if (range.from() != null) {
                sql.append(" AND ").append(column(range.field())).append(" >= ?");
                values.add(range.from());
            }
            if (range.to() != null) {
                sql.append(" AND ").append(column(range.field())).append(" < ?");
                values.add(range.to());
            }
        }
        if (filter.dueAtOrBefore() != null) {
            sql.append(" AND due_at <= ?");
            values.add(filter.dueAtOrBefore());
        }
        if (filter.order() == SearchFilter.Order.MODEL) {
            sql.append(rows.searchOrder);
        } else {
            SearchFilter.Key after = filter.after();
            if (after != null && dialect == Dialect.POSTGRESQL) {
                // a row comparison: one range of the (status, created_at, uuid) index
                sql.append(" AND (created_at, uuid) < (?, ?)");
                values.add(after.at());
                values.add(after.id());
            } else if (after != null) {
                sql.append(" AND (created_at < ? OR (created_at = ? AND uuid < ?))");
                values.add(after.at());
                values.add(after.at());
                values.add(after.id());
            }
            sql.append(" ORDER BY created_at DESC, uuid DESC");
        }
        if (filter.limit() != SearchFilter.NO_LIMIT) {
            sql.append(" LIMIT ").append(filter.limit());
        }
        this.sql = sql.toString();
    }

    /**
     * Binds the parameters of {@link #sql}: each as the plain JDBC path binds it (an instant as the dialect stores
     * it, anything else with {@code setObject}), so both paths read the same rows.
     *
     * @return {@code query}
     */
    Query bind(Query query) {
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            if (value instanceof Instant instant) {
                query.bind(i, (position, ps, ctx) -> Arguments.setPlainInstant(ps, position, instant, dialect));
            } else {
                query.bind(i, (position, ps, ctx) -> ps.setObject(position, value));
            }
        }
        return query;
    }

    private static String column(SearchField field) {
        return switch (field) {
            case STATUS -> "status";
            case NAME -> "name";
            case PIPELINE_ID -> "pipeline_uuid";
            case CLAIM_OWNER -> "claim_owner";
            case IDEMPOTENCY_KEY -> "idempotency_key";
            case CREATED_AT -> "created_at";
            case UPDATED_AT -> "updated_at";
        };
    }
}
