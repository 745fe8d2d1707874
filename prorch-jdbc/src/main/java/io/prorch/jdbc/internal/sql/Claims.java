package io.prorch.jdbc.internal.sql;

import io.prorch.Status;
import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.ClaimedPipeline;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RepositoryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due pipelines: one statement with {@code FOR UPDATE SKIP LOCKED} on PostgreSQL; on MariaDB, which has no
 * {@code UPDATE ... RETURNING}, a {@code SELECT ... FOR UPDATE SKIP LOCKED} and one UPDATE of the rows it locked, in
 * one transaction; a read and version-checked updates on H2. A segmented orchestrator's claim adds
 * {@code name IN (...)}. Unreadable rows (damaged by hand) are claimed too, which moves them out of the way until their claim
 * expires, but are not returned; if a round claimed only such rows, it claims again, so that an empty result means
 * nothing readable is due. Each unreadable row is reported in a warning naming its table, id, column and value, at
 * most once per {@link #REPORT_EVERY} per row; so are, as often, rows whose status is not one prorch writes (no
 * claim ever finds them, as it looks for {@code 'pending'}).
 */
final class Claims {
    private static final Logger LOG = LoggerFactory.getLogger(Claims.class);
    /** At most this many claim rounds in one call that turn up only unreadable rows. */
    private static final int UNREADABLE_ROUNDS = 8;
    /** How often one damaged row is reported, at most; and how often the statuses are looked over. */
    static final Duration REPORT_EVERY = Duration.ofMinutes(10);
    /** At most this many rows with an unknown status are reported per look. */
    private static final int UNKNOWN_STATUSES = 20;

    /**
     * A claimed (or claimable) row: its record, or null if the row cannot be read, and its due time before the claim
     * (null if unreadable).
     */
    record Candidate(UUID id, long version, PipelineRecord record, Instant wasDueAt) {
    }

    private final Dialect dialect;
    private final String table;
    private final PipelineRows pipelines;
    private final Transactions tx;
    private final String select;
    private final String claimOne;
    private final String unknownStatuses;
    private final RateLimit reports = new RateLimit(REPORT_EVERY);
    private final QueueClaims queues;

    Claims(Dialect dialect, Tables tables, PipelineRows pipelines, Transactions tx) {
        this.dialect = dialect;
        this.pipelines = pipelines;
        this.tx = tx;
        String table = tables.pipelines();
        this.table = table;
        this.select = pipelines.select;
        this.claimOne = "UPDATE " + table + " SET claim_owner = ?, claim_expires_at = ?, due_at = ?, updated_at = ?,"
                + " version = version + 1 WHERE uuid = ? AND version = ?";
        this.queues = new QueueClaims(dialect, tables, pipelines, tx, this);
        this.unknownStatuses = "SELECT uuid, status FROM " + table + " WHERE status NOT IN (" + KNOWN_STATUSES
                + ") LIMIT " + UNKNOWN_STATUSES;
    }

    /**
     * @return the PostgreSQL claim of the pipelines {@code request} asks for; it joins the locked rows rather than
     *     {@code IN} them so that it can return each row's due time before the claim (for the claim-lag metric)
     */
    private String skipLocked(ClaimRequest request) {
        return "UPDATE " + table + " AS t SET claim_owner = ?, claim_expires_at = ?, due_at = ?, updated_at = ?,"
                + " version = t.version + 1 FROM (SELECT uuid, due_at FROM " + table + " WHERE status = 'pending'"
                + " AND due_at <= ?" + names(request) + " ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED) AS d"
                + " WHERE t.uuid = d.uuid RETURNING t.*, d.due_at AS was_due_at";
    }

    /** @return the query of the due rows {@code request} asks for; its parameters are bound by {@link #bindDue} */
    private String dueRows(ClaimRequest request) {
        return select + " WHERE status = 'pending' AND due_at <= ?" + names(request) + " ORDER BY due_at LIMIT ?";
    }

    /**
     * @return the conditions on the pipeline's name: those of a segmented orchestrator's claim, and leaving out the
     *     pipelines of limited queues (their queue claims them); none for a plain claim
     */
    private static String names(ClaimRequest request) {
        int count = request.pipelineNames().size();
        int limited = request.limitedNames().size();
        return (count == 0 ? "" : " AND name IN (" + marks(count) + ")")
                + (limited == 0 ? "" : " AND name NOT IN (" + marks(limited) + ")");
    }

    private static String marks(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    /** Binds the due time, the names and the limit of {@link #dueRows} (or of the sub-query) from {@code index}. */
    private void bindDue(PreparedStatement ps, int index, ClaimRequest request) throws SQLException {
        setInstant(ps, index++, request.now());
        for (String name : request.pipelineNames()) {
            ps.setString(index++, name);
        }
        for (String name : request.limitedNames()) {
            ps.setString(index++, name);
        }
        ps.setInt(index, request.limit());
    }

    /** @return the claimed pipelines that could be read, earliest due first, with their due times before the claim */
    List<ClaimedPipeline> claimDue(ClaimRequest request) {
        if (reports.allows(UNKNOWN_STATUS_LOOK)) {
            reportUnknownStatuses();
        }
        List<ClaimedPipeline> limited = List.of();
        if (!request.limits().isEmpty()) {
            // each queue in a transaction of its own, then the rest, with what the queues left of the limit
            limited = queues.claimDue(request);
            if (limited.size() >= request.limit()) {
                return limited;
            }
            request = new ClaimRequest(request.owner(), request.now(), request.until(),
                    request.limit() - limited.size(), request.pipelineNames(), request.limits());
        }
        ClaimRequest rest = request;
        for (int round = 0; ; round++) {
            List<Candidate> claimed = tx.run("claim of due pipelines", c -> !dialect.skipLocked()
                    ? claimByVersion(c, rest) : dialect.updateReturning() ? claimSkippingLocked(c, rest)
                    : claimLockedRows(c, rest));
            List<ClaimedPipeline> readable = claimed.stream().filter(c -> c.record() != null)
                    .map(c -> new ClaimedPipeline(c.record(), c.wasDueAt())).toList();
            if (!readable.isEmpty() || claimed.isEmpty() || round + 1 >= UNREADABLE_ROUNDS) {
                if (limited.isEmpty()) {
                    return readable;
                }
                List<ClaimedPipeline> all = new ArrayList<>(limited);
                all.addAll(readable);
                return all;
            }
        }
    }

    /**
     * The PostgreSQL claim. Sorting is ruled out for this transaction only, which leaves reading the partial due index
     * in order and stopping at the limit as the only plan, whatever the table's statistics.
     */
    private List<Candidate> claimSkippingLocked(Connection c, ClaimRequest request) throws SQLException {
        try (Statement set = c.createStatement()) {
            set.execute("SET LOCAL enable_sort = off");
        }
        try (PreparedStatement ps = c.prepareStatement(skipLocked(request))) {
            ps.setString(1, request.owner());
            setInstant(ps, 2, request.until());
            setInstant(ps, 3, request.until());
            setInstant(ps, 4, request.now());
            bindDue(ps, 5, request);
            return candidates(ps, request.limit(), true);
        }
    }

    /**
     * The MariaDB claim: locks the due rows no other transaction holds, then claims them all in one UPDATE, in a
     * READ COMMITTED transaction. The locks are held until the commit, so no version check is needed and every locked
     * row is claimed.
     */
    private List<Candidate> claimLockedRows(Connection c, ClaimRequest request) throws SQLException {
        // no gap locks: under InnoDB's default REPEATABLE READ the locking read also locks the gaps of the due index,
        // which deadlocks with transitions moving their rows' due times (the competing test saw it)
        try (Statement set = c.createStatement()) {
            set.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        }
        List<Candidate> candidates;
        try (PreparedStatement ps = c.prepareStatement(dueRows(request) + " FOR UPDATE SKIP LOCKED")) {
            bindDue(ps, 1, request);
            candidates = candidates(ps, request.limit());
        }
        if (candidates.isEmpty()) {
            return candidates;
        }
        UUID[] ids = candidates.stream().map(Candidate::id).toArray(UUID[]::new);
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET claim_owner = ?,"
                + " claim_expires_at = ?, due_at = ?, updated_at = ?, version = version + 1 WHERE uuid "
                + dialect.uuidIn(ids.length))) {
            ps.setString(1, request.owner());
            setInstant(ps, 2, request.until());
            setInstant(ps, 3, request.until());
            setInstant(ps, 4, request.now());
            dialect.setUuids(c, ps, 5, ids);
            int updated = ps.executeUpdate();
            if (updated != ids.length) {
                // the rows are locked by this transaction: cannot happen, but roll back rather than hand out claims
                throw new SQLException("the claim locked " + ids.length + " pipelines but updated " + updated);
            }
        }
        List<Candidate> claimed = new ArrayList<>(candidates.size());
        candidates.forEach(candidate -> claimed.add(claimed(candidate, request)));
        return claimed;
    }

    /** Reads the due candidates, then claims each with a version-checked update; losers of a race are skipped. */
    private List<Candidate> claimByVersion(Connection c, ClaimRequest request) throws SQLException {
        List<Candidate> candidates;
        try (PreparedStatement ps = c.prepareStatement(dueRows(request))) {
            bindDue(ps, 1, request);
            candidates = candidates(ps, request.limit());
        }
        if (candidates.isEmpty()) {
            return candidates;
        }
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement(claimOne)) {
            for (Candidate candidate : candidates) {
                ps.setString(1, request.owner());
                setInstant(ps, 2, request.until());
                setInstant(ps, 3, request.until());
                setInstant(ps, 4, request.now());
                ps.setObject(5, candidate.id());
                ps.setLong(6, candidate.version());
                ps.addBatch();
            }
            counts = ps.executeBatch();
        }
        List<Candidate> claimed = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 1) {
                claimed.add(claimed(candidates.get(i), request));
            }
        }
        return claimed;
    }

    /** @return {@code candidate} as the claim's UPDATE left it */
    static Candidate claimed(Candidate candidate, ClaimRequest request) {
        PipelineRecord p = candidate.record();
        return new Candidate(candidate.id(), candidate.version() + 1, p == null ? null
                : p.withClaim(request.owner(), request.until()).withDueAt(request.until())
                .withUpdatedAt(request.now()).withVersion(p.version() + 1), candidate.wasDueAt());
    }

    void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        Arguments.setPlainInstant(ps, index, value, dialect);
    }

    List<Candidate> candidates(PreparedStatement ps, int expected) throws SQLException {
        return candidates(ps, expected, false);
    }

    /** @param claimed true for rows the PostgreSQL claim returns, whose former due time is in {@code was_due_at} */
    private List<Candidate> candidates(PreparedStatement ps, int expected, boolean claimed) throws SQLException {
        List<Candidate> rows = new ArrayList<>(expected);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(candidate(rs, claimed));
            }
        }
        return rows;
    }

    /**
     * Maps a row to a candidate whose record is null (with a warning naming it, at most once per
     * {@link #REPORT_EVERY}) if it cannot be read: one pipeline whose row was damaged by hand must not stop every
     * claim. Its row is left as it is, so an operator can repair it.
     */
    private Candidate candidate(ResultSet rs, boolean claimed) throws SQLException {
        UUID id = rs.getObject("uuid", UUID.class);
        long version = rs.getLong("version");
        try {
            PipelineRecord record = pipelines.read(rs);
            return new Candidate(id, version, record,
                    claimed ? Arguments.instant(rs, "was_due_at", dialect) : record.dueAt());
        } catch (RepositoryException e) {
            if (reports.allows(id)) {
                LOG.warn("prorch: pipeline {} cannot be read and is skipped until its row is repaired (reported"
                        + " again in {} min if it is still damaged): {}", id, REPORT_EVERY.toMinutes(), e.getMessage());
            }
            return new Candidate(id, version, null, null);
        }
    }

    /** Every status prorch writes, as SQL literals: a status added to {@link Status} is known here at once. */
    private static final String KNOWN_STATUSES = java.util.Arrays.stream(Status.values())
            .map(s -> "'" + s.value() + "'").collect(java.util.stream.Collectors.joining(", "));

    /** The key under which the look at the statuses is rate-limited. */
    private static final Object UNKNOWN_STATUS_LOOK = new Object();

    /**
     * Warns about rows whose status is none that prorch writes: the claim never finds them, so without this they
     * would wait unseen. It reads the whole table, hence at most once per
     * {@link #REPORT_EVERY}; a failure here is left to the claim that follows.
     */
    private void reportUnknownStatuses() {
        try {
            tx.query("look for unknown statuses", h -> h.createQuery(unknownStatuses)
                    .map((rs, ctx) -> new Object[] {rs.getObject(1), rs.getString(2)}).list())
                    .forEach(row -> LOG.warn("prorch: pipeline {} is never claimed: its row in {} has status \"{}\","
                            + " not one of " + KNOWN_STATUSES + "; fix the stored row", row[0],
                            table, row[1]));
        } catch (RepositoryException e) {
            LOG.debug("prorch: looking for unknown statuses failed", e);
        }
    }
}
