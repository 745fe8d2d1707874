package io.prorch;

import static java.util.Objects.requireNonNull;

import io.prorch.internal.engine.Engine;
import io.prorch.repository.IRepository;
import io.prorch.repository.JsonValues;
import io.prorch.repository.SignalRecord;
import java.util.Map;
import java.util.UUID;

/**
 * Every way to send a signal, as one typed request: obtained from {@link Orchestrator#signaller(SignalTarget)}, given
 * options, and sent with {@link #send()}.
 *
 * <pre>{@code
 * orchestrator.signaller(SignalTarget.key("order-42"))
 *         .name("paid")
 *         .payload(Map.of("amount", 120))
 *         .key(webhook.deliveryId())                // a retried webhook is stored once
 *         .inTransaction(repository.using(connection))
 *         .send();
 * }</pre>
 *
 * <p>Each option checks its value at once; nothing is stored until {@link #send()}. Use it from one thread, once.
 */
public final class SignalSender {
    private final Engine engine;
    private final IRepository store;
    private final SignalTarget target;
    private String name;
    private Map<String, Object> payload = Map.of();
    private String key;
    private IRepository transaction;

    SignalSender(Engine engine, IRepository store, SignalTarget target) {
        this.engine = engine;
        this.store = store;
        this.target = target;
    }

    /**
     * The signal's name, which a step waits for with {@code awaitSignal} and reads with {@code signal}. Required.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if it is blank or longer than 200 characters
     */
    public SignalSender name(String name) {
        requireNonNull(name, "name");
        if (name.isBlank() || name.length() > SignalRecord.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("A signal name must be 1 to " + SignalRecord.MAX_NAME_LENGTH
                    + " non-blank characters, but was \"" + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
                    + "\" (" + name.length() + " chars)");
        }
        this.name = name;
        return this;
    }

    /**
     * What comes with the signal. Default: empty.
     *
     * @param payload JSON-compatible values (see {@link Metadata}), copied now
     * @throws NullPointerException if {@code payload} is null
     * @throws IllegalArgumentException naming the key of a value JSON cannot hold
     */
    public SignalSender payload(Map<String, ?> payload) {
        this.payload = JsonValues.canonicalMap(requireNonNull(payload, "payload"), "Signal payload");
        return this;
    }

    /**
     * Stores the signal at most once per key and pipeline: a second send with the same key (a retried webhook, a
     * redelivered message) stores nothing and returns the first one's id. Default: none (every send is a new signal).
     *
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if it is blank or longer than 200 characters
     */
    public SignalSender key(String key) {
        requireNonNull(key, "key");
        if (key.isBlank() || key.length() > 200) {
            throw new IllegalArgumentException("A signal key must be 1 to 200 non-blank characters, but was \""
                    + (key.length() > 40 ? key.substring(0, 40) + "..." : key) + "\" (" + key.length() + " chars)");
        }
        this.key = key;
        return this;
    }

    /**
     * Stores the signal inside the caller's own transaction, so that it exists if, and only if, that transaction
     * commits; the pipeline is woken in the same transaction. prorch never commits, rolls back or closes it.
     *
     * @param transaction the store, as seen from inside the caller's transaction, e.g.
     *     {@code JdbcRepository.using(connection)}
     * @throws NullPointerException if {@code transaction} is null
     */
    public SignalSender inTransaction(IRepository transaction) {
        this.transaction = requireNonNull(transaction, "transaction");
        return this;
    }

    /**
     * Stores the signal, then wakes the pipeline: its waiting step's {@code onContinue} runs at once on this
     * orchestrator if it is polling, else on the next pass of any orchestrator. A signal sent before the step waits
     * for it is kept until the step reads it.
     *
     * @return the signal's id
     * @throws IllegalStateException if no {@link #name} was given, or the orchestrator is closed
     * @throws PipelineNotFoundException if no pipeline has the target's id or key
     * @throws PipelineEndedException if the pipeline already ended: nothing is stored
     * @throws io.prorch.repository.RecordRejectedException if the payload is larger than the store accepts
     * @throws io.prorch.repository.RepositoryException if the store failed; the signal may not be stored
     */
    public UUID send() {
        if (name == null) {
            throw new IllegalStateException("A signal needs a name: call name(\"...\") before send()");
        }
        return transaction != null ? engine.signal(transaction, target, name, payload, key, false)
                : engine.signal(store, target, name, payload, key, true);
    }
}
