package io.prorch;

import static java.util.Objects.requireNonNull;

import io.prorch.internal.engine.Engine;
import io.prorch.internal.registry.PipelineDefinition;
import io.prorch.repository.IRepository;
import io.prorch.repository.JsonValues;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Every way to start a pipeline, as one typed request: obtained from {@link Orchestrator#starter(Class)} or
 * {@link Orchestrator#starter(String)}, given options, and sent with {@link #start()}.
 *
 * <pre>{@code
 * UUID id = orchestrator.starter(Fulfilment.class)
 *         .input(Map.of("order", 42))
 *         .idempotencyKey("order-42")                  // at most one pipeline per key
 *         .inTransaction(repository.using(connection)) // saved with the caller's own writes
 *         .start();
 * }</pre>
 *
 * <p>Each option checks its value at once and throws with the value and the fix in the message; nothing is saved
 * until {@link #start()}. A starter is a mutable builder: use it from one thread, and once.
 */
public final class Starter {
    /** The longest idempotency key accepted, in characters. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;

    private final Engine engine;
    private final PipelineDefinition definition;
    private Map<String, Object> input = Map.of();
    private String idempotencyKey;
    private IRepository transaction;
    private Integer priority;

    Starter(Engine engine, PipelineDefinition definition) {
        this.engine = engine;
        this.definition = definition;
    }

    /**
     * The run's initial pipeline metadata. Default: empty.
     *
     * @param input JSON-compatible values (see {@link Metadata}), copied now; may be empty
     * @return this starter
     * @throws NullPointerException if {@code input} is null
     * @throws IllegalArgumentException naming the key of a value JSON cannot hold
     */
    public Starter input(Map<String, ?> input) {
        this.input = JsonValues.canonicalMap(requireNonNull(input, "input"), "Start input");
        return this;
    }

    /**
     * Starts at most one pipeline per key: a later start with the same key, concurrent ones included, returns the
     * id of the pipeline the first one created, and saves nothing. Use the business key of the request (an order
     * number, a message id) so that a retried request does not start a second run. The input of a repeated start
     * is not compared with the first one's. Default: none.
     *
     * @param key 1 to {@value #MAX_IDEMPOTENCY_KEY_LENGTH} characters, not blank
     * @return this starter
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code key} is blank or too long
     */
    public Starter idempotencyKey(String key) {
        requireNonNull(key, "idempotencyKey");
        if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            throw new IllegalArgumentException("idempotencyKey must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
                    + " non-blank characters, but was \"" + (key.length() > 40 ? key.substring(0, 40) + "..." : key)
                    + "\" (" + key.length() + " chars)");
        }
        this.idempotencyKey = key;
        return this;
    }

    /**
     * The pipeline's priority within its {@link Limit queue}: a limited claim takes the highest first (then the
     * earliest due). Kept in the pipeline's metadata under {@link io.prorch.repository.PipelineRecord#PRIORITY_KEY};
     * it orders nothing outside a queue. Default: 0.
     *
     * @param priority in [-1000000, 1000000]
     * @return this starter
     * @throws IllegalArgumentException if {@code priority} is out of range
     */
    public Starter priority(int priority) {
        if (priority < -1_000_000 || priority > 1_000_000) {
            throw new IllegalArgumentException("priority must be in [-1000000, 1000000], but was " + priority);
        }
        this.priority = priority;
        return this;
    }

    /**
     * Saves the pipeline inside the caller's own transaction, so that it exists if, and only if, that transaction
     * commits: the business change and the process that follows it up are one atomic write. {@code transaction} is
     * a view of the orchestrator's store bound to the caller's transaction, such as
     * {@code JdbcRepository.using(connection)}; prorch never commits, rolls back or closes it.
     *
     * <p>The pipeline is saved unclaimed and due at once, but {@link #start()} does not run it (its first hook must
     * not run before the commit makes it real): the next pass of any orchestrator sharing the store runs it. With an
     * {@link #idempotencyKey}, a key already used makes {@link #start()} throw
     * {@link io.prorch.repository.DuplicateRecordException}; roll the transaction back then.
     *
     * @param transaction the store, as seen from inside the caller's transaction
     * @return this starter
     * @throws NullPointerException if {@code transaction} is null
     */
    public Starter inTransaction(IRepository transaction) {
        this.transaction = requireNonNull(transaction, "transaction");
        return this;
    }

    /**
     * Saves the pipeline ({@code pending}, the input as its metadata) with one {@code created} record per step. Without
     * {@link #inTransaction}, hands it to the orchestrator's workers, which run its first step at once, and returns as
     * soon as it is saved. Starts from many threads share commits: those made while another start is being written
     * are written together next, in one transaction, and each returns once its own pipeline is committed.
     *
     * @return the new pipeline's id; with an {@link #idempotencyKey}, the id of the pipeline started with that key
     * @throws io.prorch.repository.RepositoryException if the store failed; nothing was started (in a transaction,
     *     the caller's transaction may be aborted, as on PostgreSQL, and should be rolled back)
     * @throws IllegalStateException if the orchestrator is closed
     */
    public UUID start() {
        if (priority != null) {
            Map<String, Object> withPriority = new java.util.LinkedHashMap<>(input);
            withPriority.put(io.prorch.repository.PipelineRecord.PRIORITY_KEY, priority);
            input = withPriority;
        }
        if (transaction != null) {
            return engine.enqueue(transaction, definition, definition.runMetadata(input), idempotencyKey);
        }
        if (idempotencyKey != null) {
            // the common repeat is sequential: answer it with one read instead of a failed insert
            Optional<UUID> existing = engine.findByIdempotencyKey(idempotencyKey);
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        return engine.start(definition, definition.runMetadata(input), idempotencyKey);
    }
}
