package io.prorch;

import io.prorch.repository.ClaimRequest;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StoredRecord;
import io.prorch.test.ForwardingRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The store as one orchestrator process sees it. Once the process "dies", every call fails, so it writes nothing
 * more, exactly as if it had been killed; tests arm the moment of death: right after a claim, or around one chosen
 * write. Thread-safe: a call and a death never interleave.
 */
final class MortalRepository extends ForwardingRepository {
    /** When the process dies, relative to the chosen write. */
    enum Moment {
        /** before the write reaches the store: the transition is lost */
        BEFORE_WRITE,
        /** after the store committed the write and the process learned of it */
        AFTER_WRITE,
        /** after the store committed the write, before the reply arrived (the connection died with the process) */
        AFTER_COMMIT_BEFORE_REPLY,
        /** the process lives, but the reply to the committed write is lost (a connection reset, nothing more) */
        REPLY_LOST_ONLY
    }

    private final CountDownLatch died = new CountDownLatch(1);
    private volatile boolean dead;
    private volatile boolean dieAfterClaim;
    private volatile Predicate<List<? extends StoredRecord>> chosenWrite = records -> false;
    private volatile Moment moment;

    MortalRepository(IRepository store) {
        super(store);
    }

    /** Dies as soon as a claim of due pipelines has claimed something, before the caller sees the result. */
    void dieAfterNextClaim() {
        dieAfterClaim = true;
    }

    /** Arms the first write whose records {@code write} matches. */
    void dieAt(Moment moment, Predicate<List<? extends StoredRecord>> write) {
        this.moment = moment;
        this.chosenWrite = write;
    }

    /** Kills the process now: from here on every call fails. */
    synchronized void die() {
        dead = true;
        died.countDown();
    }

    boolean isDead() {
        return dead;
    }

    boolean awaitDeath(Duration timeout) throws InterruptedException {
        return died.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized List<StoredRecord> updateAll(List<? extends StoredRecord> records) {
        checkAlive();
        if (!chosenWrite.test(records)) {
            return delegate.updateAll(records);
        }
        chosenWrite = r -> false;
        if (moment == Moment.BEFORE_WRITE) {
            die();
            throw connectionLost();
        }
        List<StoredRecord> stored = delegate.updateAll(records);
        if (moment == Moment.AFTER_WRITE) {
            die();
            return stored;
        }
        if (moment == Moment.AFTER_COMMIT_BEFORE_REPLY) {
            die();
        }
        throw connectionLost();
    }

    @Override
    public synchronized List<PipelineRecord> claimDue(ClaimRequest request) {
        checkAlive();
        List<PipelineRecord> claimed = delegate.claimDue(request);
        if (dieAfterClaim && !claimed.isEmpty()) {
            die();
        }
        return claimed;
    }

    @Override
    public <R extends StoredRecord> Optional<R> get(Model<R> model, UUID id) {
        return whileAlive(() -> delegate.get(model, id));
    }

    @Override
    public <R extends StoredRecord> R save(R record) {
        return whileAlive(() -> delegate.save(record));
    }

    @Override
    public <R extends StoredRecord> R update(R record) {
        return whileAlive(() -> delegate.update(record));
    }

    @Override
    public <R extends StoredRecord> List<R> search(Model<R> model, SearchFilter filter) {
        return whileAlive(() -> delegate.search(model, filter));
    }

    @Override
    public List<StoredRecord> saveAll(List<? extends StoredRecord> records) {
        return whileAlive(() -> delegate.saveAll(records));
    }

    @Override
    public <R extends StoredRecord> List<R> getAll(Model<R> model, Collection<UUID> ids) {
        return whileAlive(() -> delegate.getAll(model, ids));
    }

    @Override
    public Optional<Instant> currentTime() {
        return whileAlive(delegate::currentTime);
    }

    private synchronized <T> T whileAlive(Supplier<T> call) {
        checkAlive();
        return call.get();
    }

    private void checkAlive() {
        if (dead) {
            throw new RepositoryException("the process using this store is dead (simulated crash)");
        }
    }

    private static RepositoryException connectionLost() {
        return new RepositoryException("updateAll failed: connection reset (simulated)");
    }
}
