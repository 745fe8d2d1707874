package io.prorch.jdbc.internal.sql;

import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.jdbc.internal.sql.Claims.Candidate;
import io.prorch.repository.ClaimLimit;
import io.prorch.repository.ClaimedPipeline;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.PipelineRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claim of a limited queue's pipelines ({@link ClaimLimit}), one transaction per queue: it locks the queue's row
 * in the queues table, so that the claims of one queue take turns across every orchestrator; counts the queue's
 * running (pending and claimed) pipelines, in a statement that starts after the lock was granted and so sees every
 * claim committed before it (READ COMMITTED, set explicitly on MariaDB); claims at most what the bound and the rate
 * leave room for, highest priority first, then earliest due; and moves the rate's time on in the same row. Queues are
 * claimed in name order, each in its own short transaction, so two claimers never wait for each other in a cycle.
 */
final class QueueClaims {
    private final Dialect dialect;
    private final String pipelinesTable;
    private final String queuesTable;
    private final PipelineRows pipelines;
    private final Transactions tx;
    private final Claims claims;
    private final Set<String> knownQueues = ConcurrentHashMap.newKeySet();

    QueueClaims(Dialect dialect, Tables tables, PipelineRows pipelines, Transactions tx, Claims claims) {
        this.dialect = dialect;
        this.pipelinesTable = tables.pipelines();
        this.queuesTable = tables.queues();
        this.pipelines = pipelines;
        this.tx = tx;
        this.claims = claims;
    }

    /**
     * @return the readable pipelines claimed from the request's queues, at most {@code request.limit()}, with their
     *     due times before the claim
     */
    List<ClaimedPipeline> claimDue(ClaimRequest request) {
        List<ClaimedPipeline> claimed = new ArrayList<>();
        List<ClaimLimit> queues = new ArrayList<>(request.limits());
        queues.sort(Comparator.comparing(ClaimLimit::queue));
        for (ClaimLimit queue : queues) {
            int left = request.limit() - claimed.size();
            if (left <= 0) {
                break;
            }
            createRow(queue.queue());
            List<Candidate> won = tx.run("claim of queue \"" + queue.queue() + "\"",
                    c -> claimQueue(c, queue, request, left));
            won.stream().filter(w -> w.record() != null).map(w -> new ClaimedPipeline(w.record(), w.wasDueAt()))
                    .forEach(claimed::add);
        }
        return claimed;
    }

    /** Inserts the queue's row unless it exists; once per queue and store object. */
    private void createRow(String queue) {
        if (knownQueues.contains(queue)) {
            return;
        }
        String insert = switch (dialect) {
            case POSTGRESQL -> "INSERT INTO " + queuesTable + " (name) VALUES (?) ON CONFLICT (name) DO NOTHING";
            case MARIADB -> "INSERT IGNORE INTO " + queuesTable + " (name) VALUES (?)";
            case H2 -> "MERGE INTO " + queuesTable + " (name) KEY (name) VALUES (?)";
        };
        tx.run("creation of queue \"" + queue + "\"", c -> {
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                ps.setString(1, queue);
                return ps.executeUpdate();
            }
        });
        knownQueues.add(queue);
    }

    private List<Candidate> claimQueue(Connection c, ClaimLimit queue, ClaimRequest request, int left)
            throws SQLException {
        if (dialect == Dialect.MARIADB) {
            try (Statement set = c.createStatement()) {
                set.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
            }
        }
        Instant nextFree = lockQueue(c, queue.queue());
        int room = Math.min(left, queue.allowedAt(nextFree, request.now()));
        if (room > 0 && queue.maxRunning() > 0) {
            room = Math.min(room, queue.maxRunning() - running(c, queue, request.now()));
        }
        if (room <= 0) {
            return List.of();
        }
        List<Candidate> candidates = candidates(c, queue, request.now(), room);
        List<Candidate> claimed = candidates.isEmpty() ? candidates : dialect.skipLocked()
                ? claimLocked(c, candidates, request) : claimByVersion(c, candidates, request);
        if (!claimed.isEmpty() && queue.perSecond() > 0) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + queuesTable + " SET next_free_at = ?"
                    + " WHERE name = ?")) {
                claims.setInstant(ps, 1, queue.nextFreeAfter(nextFree, request.now(), claimed.size()));
                ps.setString(2, queue.queue());
                ps.executeUpdate();
            }
        }
        return claimed;
    }

    /** Locks the queue's row until the commit; @return its rate's time, or null */
    private Instant lockQueue(Connection c, String queue) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT next_free_at FROM " + queuesTable
                + " WHERE name = ? FOR UPDATE")) {
            ps.setString(1, queue);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("queue \"" + queue + "\" has no row in " + queuesTable);
                }
                return Arguments.instant(rs, 1, dialect);
            }
        }
    }

    private int running(Connection c, ClaimLimit queue, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + pipelinesTable
                + " WHERE status = 'pending' AND name IN (" + marks(queue) + ") AND claim_expires_at > ?")) {
            int next = bindNames(ps, 1, queue);
            claims.setInstant(ps, next, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private List<Candidate> candidates(Connection c, ClaimLimit queue, Instant now, int room) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(pipelines.select + " WHERE status = 'pending'"
                + " AND name IN (" + marks(queue) + ") AND due_at <= ? ORDER BY priority DESC, due_at LIMIT ?"
                + (dialect.skipLocked() ? " FOR UPDATE SKIP LOCKED" : ""))) {
            int next = bindNames(ps, 1, queue);
            claims.setInstant(ps, next, now);
            ps.setInt(next + 1, room);
            return claims.candidates(ps, room);
        }
    }

    /** PostgreSQL and MariaDB: the candidates are locked by this transaction, so every one is claimed. */
    private List<Candidate> claimLocked(Connection c, List<Candidate> candidates, ClaimRequest request)
            throws SQLException {
        java.util.UUID[] ids = candidates.stream().map(Candidate::id).toArray(java.util.UUID[]::new);
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + pipelinesTable + " SET claim_owner = ?,"
                + " claim_expires_at = ?, due_at = ?, updated_at = ?, version = version + 1 WHERE uuid "
                + dialect.uuidIn(ids.length))) {
            bindClaim(ps, request);
            dialect.setUuids(c, ps, 5, ids);
            int updated = ps.executeUpdate();
            if (updated != ids.length) {
                throw new SQLException("the claim of a queue locked " + ids.length + " pipelines but updated "
                        + updated);
            }
        }
        return candidates.stream().map(candidate -> Claims.claimed(candidate, request)).toList();
    }

    /** H2: version-checked updates; a candidate another claimer changed first is skipped. */
    private List<Candidate> claimByVersion(Connection c, List<Candidate> candidates, ClaimRequest request)
            throws SQLException {
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + pipelinesTable + " SET claim_owner = ?,"
                + " claim_expires_at = ?, due_at = ?, updated_at = ?, version = version + 1 WHERE uuid = ?"
                + " AND version = ?")) {
            for (Candidate candidate : candidates) {
                bindClaim(ps, request);
                ps.setObject(5, candidate.id());
                ps.setLong(6, candidate.version());
                ps.addBatch();
            }
            counts = ps.executeBatch();
        }
        List<Candidate> claimed = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 1) {
                claimed.add(Claims.claimed(candidates.get(i), request));
            }
        }
        return claimed;
    }

    private void bindClaim(PreparedStatement ps, ClaimRequest request) throws SQLException {
        ps.setString(1, request.owner());
        claims.setInstant(ps, 2, request.until());
        claims.setInstant(ps, 3, request.until());
        claims.setInstant(ps, 4, request.now());
    }

    private static String marks(ClaimLimit queue) {
        return String.join(", ", Collections.nCopies(queue.pipelineNames().size(), "?"));
    }

    private static int bindNames(PreparedStatement ps, int index, ClaimLimit queue) throws SQLException {
        for (String name : queue.pipelineNames()) {
            ps.setString(index++, name);
        }
        return index;
    }
}
