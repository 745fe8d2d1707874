package io.prorch.repository;

import io.prorch.PipelineCounts;
import io.prorch.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Storage for pipelines and their steps: the four operations of the Python prorch's {@code IRepository}, typed.
 * Implementations must pass {@code io.prorch.test.contract.RepositoryContractTest} (in the
 * {@code io.prorch:prorch-test} artifact).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>All methods are thread-safe and never return null. Arguments are never null: a null argument throws
 *       {@link NullPointerException} naming it, before anything is read or written.</li>
 *   <li>Records are values: what {@link #get} returns equals, field by field, what was last saved or updated
 *       (timestamps to at least the microsecond; metadata exactly, in its canonical JSON form). Callers cannot
 *       change stored state except through {@link #save} and {@link #update}.</li>
 *   <li>Storage failures throw {@link RepositoryException} with the operation and id in the message and the cause
 *       attached. {@link VersionConflictException} and {@link DuplicateRecordException} are its subclasses for
 *       the two expected races; after either, nothing was written.</li>
 *   <li>The repository is clock-free: it never sets timestamps or versions on its own except the version bump of
 *       {@link #update}. Time enters through {@link SearchFilter#dueAtOrBefore} and {@link ClaimRequest}.</li>
 * </ul>
 *
 * <p>New optional capabilities arrive as {@code default} methods, so implementations keep compiling across minor
 * versions. Overriding {@link #updateAll}, {@link #saveAll}, {@link #getAll} and {@link #claimDue} is how a store
 * gets faster (one transaction, one round trip, a native claim such as {@code FOR UPDATE SKIP LOCKED}).
 */
public interface IRepository {

    /**
     * @param model {@link Model#PIPELINE}, {@link Model#STEP}, {@link Model#SIGNAL} or {@link Model#HISTORY}
     * @param id the record's id
     * @return the stored record, or empty if none has this id
     */
    <R extends StoredRecord> Optional<R> get(Model<R> model, UUID id);

    /**
     * Inserts a new record exactly as given (its version is normally 0).
     *
     * @return the stored record (equal to the argument)
     * @throws DuplicateRecordException if a record of the same model has this id, or if a pipeline's non-null
     *     idempotency key is already used by another pipeline
     */
    <R extends StoredRecord> R save(R record);

    /**
     * Replaces the stored record if, and only if, the stored version equals {@code record.version()}: a single
     * atomic compare-and-set.
     *
     * <p>Every field is replaced, the pipeline's idempotency key included. The orchestrator never changes a key once a
     * pipeline is saved (it passes back the key it read), so a store may index the key at save time and need not
     * support changing it; the kit checks that an update keeps the key findable and unique.
     *
     * @return the record as stored, with version {@code record.version() + 1}
     * @throws VersionConflictException if the stored version differs or no record has this id; nothing is written
     * @throws RecordRejectedException if the store refuses the record for what it holds (too large, a value it cannot
     *     store); nothing is written
     * @throws IllegalArgumentException for a {@link HistoryRecord}: history is append-only
     */
    <R extends StoredRecord> R update(R record);

    /**
     * @param model {@link Model#PIPELINE}, {@link Model#STEP}, {@link Model#SIGNAL} or {@link Model#HISTORY}
     * @param filter what to match; {@link SearchFilter#checkApplicableTo} must accept it for {@code model}
     * @return the matching records in {@link SearchFilter#order(Model)} (the model's search order unless the filter
     *     asks for another), at most {@code filter.limit()}
     * @throws IllegalArgumentException if the filter uses a field {@code model} does not have
     */
    <R extends StoredRecord> List<R> search(Model<R> model, SearchFilter filter);

    /**
     * Updates several records, in the given order, each as {@link #update} does, <b>all or nothing</b>: if any record
     * conflicts, none is written. Stores that override this (one transaction) say so with
     * {@link #atomicBatches()}. The default updates one by one and stops at the first conflict, leaving earlier
     * updates applied: it is not atomic, and the orchestrator treats a store that keeps it accordingly (see
     * {@link #atomicBatches()}). The orchestrator always puts the pipeline first, so that its version fences the rest.
     *
     * <p>A {@link HistoryRecord} in the list is <b>inserted</b> as {@link #save} does (history is append-only), in the
     * same all-or-nothing write, so that a transition and the entry that records it are committed together; it comes
     * back unchanged (version 0).
     *
     * @return the records as stored, in the given order
     * @throws VersionConflictException for the first record whose version did not match
     */
    default List<StoredRecord> updateAll(List<? extends StoredRecord> records) {
        List<StoredRecord> updated = new ArrayList<>(records.size());
        for (StoredRecord record : records) {
            updated.add(record instanceof HistoryRecord entry ? save(entry) : update(record));
        }
        return updated;
    }

    /**
     * Inserts several records, in the given order, each as {@link #save} does, <b>all or nothing</b> in stores
     * whose {@link #atomicBatches()} is true. The default saves one by one (not atomic); the orchestrator saves a
     * new pipeline's steps before the pipeline itself, so a torn default save leaves at most unreferenced steps.
     *
     * @return the records as stored, in the given order
     * @throws DuplicateRecordException for the first record that already exists
     */
    default List<StoredRecord> saveAll(List<? extends StoredRecord> records) {
        List<StoredRecord> saved = new ArrayList<>(records.size());
        for (StoredRecord record : records) {
            saved.add(save(record));
        }
        return saved;
    }

    /**
     * Whether {@link #saveAll} and {@link #updateAll} are all-or-nothing. A store that overrides both with one
     * transaction returns true, and the contract kit then checks it. The default, false, is right for a store that
     * keeps the default batch methods: the orchestrator then writes each pipeline's transition alone (no group commit
     * across pipelines), and a crash between the records of one transition can make that step's hook run once more
     * (at least once still holds; exactly-once commits need atomic batches).
     *
     * @return true if batch writes are atomic
     */
    default boolean atomicBatches() {
        return false;
    }

    /**
     * @return the stored records among {@code ids}, in the order of {@code ids}; unknown ids are left out
     */
    default <R extends StoredRecord> List<R> getAll(Model<R> model, Collection<UUID> ids) {
        List<R> found = new ArrayList<>(ids.size());
        for (UUID id : ids) {
            get(model, id).ifPresent(found::add);
        }
        return found;
    }

    /**
     * Counts pipelines by name and status. The default searches every pipeline and counts them in memory, which is
     * right for small stores; a store with a query language overrides it (one {@code GROUP BY}).
     *
     * @return the counts; {@link PipelineCounts#estimated()} if the store estimated some of them
     */
    default PipelineCounts countPipelines() {
        Map<Status, Long> byStatus = new EnumMap<>(Status.class);
        Map<String, Map<Status, Long>> byName = new HashMap<>();
        for (PipelineRecord pipeline : search(Model.PIPELINE, SearchFilter.all())) {
            byStatus.merge(pipeline.status(), 1L, Long::sum);
            byName.computeIfAbsent(pipeline.name(), n -> new EnumMap<>(Status.class)).merge(pipeline.status(), 1L,
                    Long::sum);
        }
        return new PipelineCounts(byStatus, byName);
    }

    /**
     * Deletes ended pipelines with everything of theirs: steps, signals and history, all or nothing. Of
     * {@code pipelineIds}, only those that are still ended ({@link Status#isTerminal()}) and were last updated before
     * {@code endedBefore} are deleted, so a pipeline an operator restarted meanwhile stays. Optional: the orchestrator's
     * retention ({@code OrchestratorConfig.Builder.retention}) calls it with at most a few hundred ids; the default
     * refuses, and retention then stays off with a warning.
     *
     * @return the ids of the pipelines deleted
     * @throws UnsupportedOperationException if the store cannot delete (the default)
     */
    default List<UUID> purge(Collection<UUID> pipelineIds, Instant endedBefore) {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement purge, so ended"
                + " pipelines are kept; implement IRepository.purge to use retention");
    }

    /**
     * The most connections the store can use at once, if it knows (the size of a connection pool). Orchestrators
     * compare it with their worker threads at start and warn when hooks that share the pool could leave the committer
     * without a connection. The default knows nothing.
     *
     * @return the limit, or empty if there is none or it is unknown
     */
    default OptionalInt connectionLimit() {
        return OptionalInt.empty();
    }

    /**
     * The store's own clock, for stores that have one (a database server). Orchestrators judge claim expiry and due
     * times by it, so that JVMs with skewed or jumping clocks never disagree about whose claim has expired. The
     * default has none; a store without a clock of its own must never throw here.
     *
     * @return the store's current time, or empty if the store has no clock of its own
     * @throws RepositoryException if the store has a clock but it could not be read
     */
    default Optional<Instant> currentTime() {
        return Optional.empty();
    }

    /**
     * Claims up to {@code request.limit()} {@link Status#PENDING} pipelines due at or before {@code request.now()},
     * earliest due first, of the names the request {@linkplain ClaimRequest#covers covers}: each claimed pipeline gets {@code claimOwner = owner},
     * {@code claimExpiresAt = dueAt = until}, {@code updatedAt = now} and a version bump. Two concurrent callers
     * never claim the same pipeline. The default searches and then updates each match, skipping those another
     * claimer won; stores with a native claim should override it with one short statement.
     *
     * <p>With {@link ClaimRequest#limits()}, the pipelines of each queue are claimed first, highest priority first,
     * up to what its {@link ClaimLimit} leaves room for, then the others in due order. The default reads at most
     * 10,000 due pipelines per call, claims each queue's with a version-checked update and counts the queue's running
     * pipelines again after each, giving a claim back if they are over the bound: safe across processes for any store
     * whose search sees every committed update. It holds a rate only within one JVM; override this method to hold a
     * rate across processes (prorch-jdbc keeps it in a row per queue).
     *
     * @return the claimed pipelines as stored; empty if none is due
     */
    default List<PipelineRecord> claimDue(ClaimRequest request) {
        if (!request.limits().isEmpty()) {
            return LimitedClaims.claim(this, request, false);
        }
        SearchFilter due = SearchFilter.all().where(SearchField.STATUS, Status.PENDING)
                .dueAtOrBefore(request.now()).limit(request.limit());
        List<PipelineRecord> candidates = new ArrayList<>();
        if (request.pipelineNames().isEmpty()) {
            candidates.addAll(search(Model.PIPELINE, due));
        } else {
            // one search per name, merged in due order: the filter has no IN
            request.pipelineNames().forEach(name -> candidates.addAll(search(Model.PIPELINE,
                    due.where(SearchField.NAME, name))));
            candidates.sort(Comparator.comparing(PipelineRecord::dueAt,
                    Comparator.nullsFirst(Comparator.naturalOrder())));
        }
        List<PipelineRecord> claimed = new ArrayList<>();
        for (PipelineRecord candidate : candidates.subList(0, Math.min(candidates.size(), request.limit()))) {
            try {
                claimed.add(update(candidate.withClaim(request.owner(), request.until())
                        .withDueAt(request.until()).withUpdatedAt(request.now())));
            } catch (VersionConflictException lostRace) {
                // another orchestrator claimed or changed it first: it is theirs now
            }
        }
        return claimed;
    }

    /**
     * Tells {@code onSignal} of each signal saved from now on, by any process, soon after its commit: its pipeline id
     * and, where the store can tell, its name. An optional capability that lets an orchestrator wake a step the moment
     * another process signals it (PostgreSQL's {@code LISTEN/NOTIFY} in {@code JdbcRepository}). Notices are hints,
     * best effort: one may come twice, come for a pipeline that no longer waits, or be lost (a reconnect);
     * orchestrators read the store before they act, and the polling interval bounds the wait of a lost one.
     * {@code onSignal} is called on a thread of the store's and must return quickly. The default delivers nothing
     * (orchestrators then learn of other processes' signals at their next poll).
     *
     * @param onSignal told of each signal saved
     * @return what stops the notices when closed; closing it twice does nothing
     * @throws NullPointerException if {@code onSignal} is null
     * @throws RepositoryException if the store cannot start listening
     */
    default AutoCloseable subscribe(Consumer<SignalNotice> onSignal) {
        java.util.Objects.requireNonNull(onSignal, "onSignal");
        return () -> { };
    }

    /**
     * Claims as {@link #claimDue} does, and tells the due time each claimed pipeline had before the claim moved it to
     * the claim's expiry (for the claim-lag metric). The orchestrator calls it instead of {@code claimDue} only when a
     * {@code PipelineListener} is registered. The default calls {@link #claimDue} and does not know the due times
     * (null); a store overrides it when its claim can return them at no extra round trip.
     *
     * @param request what to claim
     * @return the claimed pipelines, as {@link #claimDue} returns them, each with its former due time or null
     */
    default List<ClaimedPipeline> claimDueWithDueTimes(ClaimRequest request) {
        return claimDue(request).stream().map(p -> new ClaimedPipeline(p, null)).toList();
    }
}
