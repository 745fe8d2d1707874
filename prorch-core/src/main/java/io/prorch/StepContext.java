package io.prorch;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What a hook sees of its step: identity, metadata, and the decisions it can take. A hook takes at most one
 * decision; a second throws {@link IllegalStateException} naming the first. What a hook writes to
 * {@link #metadata()} and {@link #pipelineMetadata()} is saved with its transition; if the hook throws, it is
 * discarded. A context is valid only during the hook call it was passed to and is not thread-safe.
 */
public interface StepContext {
    /** @return the pipeline's id */
    UUID pipelineId();

    /** @return the pipeline's name */
    String pipelineName();

    /** @return this step record's id */
    UUID stepId();

    /** @return this step's name */
    String stepName();

    /** @return this step's position in the pipeline, from 0 */
    int stepPosition();

    /** @return 1 for the first try of this step's hooks, +1 after each failed attempt */
    int attempt();

    /** @return the orchestrator's clock reading when the hook was called */
    Instant now();

    /** @return this step's own metadata, persisted with each transition */
    Metadata metadata();

    /** @return the metadata shared by all steps of this run; holds the start input */
    Metadata pipelineMetadata();

    /**
     * @return a key that is the same on every run of this step of this pipeline (and differs between steps and
     *     pipelines): pass it to the services you call so a repeated hook does not repeat their side effect
     */
    String idempotencyKey();

    /**
     * @return the version of the pipeline record this hook runs under. Every committed transition raises it, and a
     *     write succeeds only from the version it was read at, so an orchestrator that lost its claim can never
     *     commit. Pass it to an outside system that can refuse writes carrying a token lower than one it has seen
     *     (a fencing token), so a hook running late on a stalled orchestrator cannot overwrite newer work either
     */
    long fencingToken();

    /**
     * Ends the step successfully; the next step starts in the same pass, or the pipeline finishes.
     *
     * @throws IllegalStateException if this hook already took a decision
     */
    void finish();

    /**
     * Ends the step and its pipeline as {@code failed}; no retry.
     *
     * @param reason why, recorded on the step and the pipeline; not null
     * @throws IllegalStateException if this hook already took a decision
     */
    void fail(String reason);

    /**
     * Ends the step and its pipeline as {@code cancelled}.
     *
     * @param reason why, recorded on the step and the pipeline; not null
     * @throws IllegalStateException if this hook already took a decision
     */
    void cancel(String reason);

    /**
     * Leaves the step waiting and asks not to be continued before {@code delay} has passed.
     *
     * @param delay zero or positive
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws IllegalStateException if this hook already took a decision
     */
    void continueAfter(Duration delay);

    /**
     * Leaves the step waiting for a signal named {@code name} ({@code Orchestrator.signal}), for at most
     * {@code timeout}: {@code onContinue} is called as soon as a signal arrives, or once the timeout has passed (then
     * {@link #signalTimedOut(String)} is true), and not in between. A signal sent before the step waits is kept and
     * wakes it at once. While the step waits, {@code onContinue} returning without a decision keeps it waiting until
     * the timeout.
     *
     * @param name the signal's name, 1 to 200 characters
     * @param timeout how long to wait at most; positive
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the name is blank or too long, or the timeout is not positive
     * @throws IllegalStateException if this hook already took a decision
     */
    void awaitSignal(String name, Duration timeout);

    /**
     * Takes the oldest signal named {@code name} sent to this pipeline and not yet consumed; a second call takes the
     * next one. A signal taken is consumed in the same commit as this hook's result, exactly once: if the hook throws,
     * or its result is not saved, the signal stays for the next call. Copy what you need of its payload into metadata.
     *
     * @param name the signal's name
     * @return the signal, or empty if none is waiting
     * @throws NullPointerException if {@code name} is null
     * @throws io.prorch.repository.RepositoryException if the store could not be read (the attempt fails and is
     *     retried)
     */
    Optional<Signal> signal(String name);

    /**
     * @param name the signal's name
     * @return true if this step waited for {@code name} with {@link #awaitSignal} and the timeout has passed
     * @throws NullPointerException if {@code name} is null
     */
    boolean signalTimedOut(String name);

    /**
     * Starts a child pipeline (fan-out): saved at once, unclaimed and due now, its input as its metadata plus the
     * reserved key {@code _prorch.parent} naming this pipeline and step ({@link PipelineView#parentId()}). Its start is
     * keyed by this pipeline, this step and the child's index among the step's children, so a hook that runs again
     * (after a crash or a retry) gets the same children instead of new ones. The child's id is kept in this step's
     * metadata (under {@code _prorch.children}). Cancelling this pipeline cancels its running children.
     *
     * @param pipeline the child's {@code @Pipeline} class, registered with this orchestrator
     * @param input the child's input (JSON-compatible values); may be empty
     * @return the child's id
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the class is not a registered pipeline, or the input is not JSON-compatible
     *     or over the metadata limit
     * @throws io.prorch.repository.RepositoryException if the store failed (the attempt fails and is retried)
     * @throws UnsupportedOperationException if this context cannot start children (not an orchestrator's hook)
     */
    default UUID startChild(Class<?> pipeline, java.util.Map<String, ?> input) {
        throw new UnsupportedOperationException("startChild is not supported by " + getClass().getName());
    }

    /**
     * As {@link #startChild(Class, java.util.Map)}, naming the child pipeline by its stored {@code @Pipeline} name.
     *
     * @param pipelineName the child's stored name
     * @param input the child's input; may be empty
     * @return the child's id
     * @throws IllegalArgumentException if no pipeline of that name is registered
     */
    default UUID startChild(String pipelineName, java.util.Map<String, ?> input) {
        throw new UnsupportedOperationException("startChild is not supported by " + getClass().getName());
    }

    /**
     * Leaves the step waiting for its children (fan-in): {@code onContinue} is next called once {@code wait} is met
     * (a child that ends wakes this pipeline through a signal) or its timeout passed, and not in between; read them
     * there with {@link #children()}. Finish, fail or wait again then.
     *
     * @param wait all, any or at least n of them, and the timeout
     * @throws NullPointerException if {@code wait} is null
     * @throws IllegalStateException if this step started no children, or this hook already took a decision
     * @throws UnsupportedOperationException if this context cannot wait for children
     */
    default void awaitChildren(ChildWait wait) {
        throw new UnsupportedOperationException("awaitChildren is not supported by " + getClass().getName());
    }

    /**
     * Reads the children this step started, as they are now (one read of the store per hook call).
     *
     * @return their statuses and metadata, in start order; empty if the step started none
     * @throws io.prorch.repository.RepositoryException if the store could not be read (the attempt fails and is
     *     retried)
     * @throws UnsupportedOperationException if this context cannot read children
     */
    default Children children() {
        throw new UnsupportedOperationException("children is not supported by " + getClass().getName());
    }
}
