package io.prorch.internal.engine;

import io.prorch.Status;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purges ended pipelines last updated longer ago than the retention, with their steps, signals and history: one
 * bounded batch ({@link #BATCH} pipelines, one {@code search} and one {@link IRepository#purge}) at a time, at most
 * every {@link #BUSY_INTERVAL} while there is more to purge and every {@link #IDLE_INTERVAL} once there is none, so a
 * large backlog drains without holding up the passes it runs beside.
 */
final class Retention {
    /** The most pipelines one purge deletes. */
    static final int BATCH = 500;
    /** The pause between batches while old pipelines remain. */
    static final Duration BUSY_INTERVAL = Duration.ofSeconds(1);
    /** The pause between looks once none remained. */
    static final Duration IDLE_INTERVAL = Duration.ofMinutes(1);
    private static final Set<Status> ENDED = Set.of(Status.FINISHED, Status.FAILED, Status.CANCELLED);
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final IRepository repository;
    private final Clock clock;
    private final Duration age;
    private Instant next = Instant.MIN;
    private boolean unsupported;

    /** @param age how long ended pipelines are kept, or null for retention off */
    Retention(IRepository repository, Clock clock, Duration age) {
        this.repository = repository;
        this.clock = clock;
        this.age = age;
    }

    /** Purges one batch if retention is on and one is due; never throws (a failure is logged and retried later). */
    synchronized void tick() {
        Instant now = Clocks.now(clock);
        if (age == null || unsupported || now.isBefore(next)) {
            return;
        }
        try {
            int purged = purgeBatch(now);
            next = now.plus(purged == BATCH ? BUSY_INTERVAL : IDLE_INTERVAL);
        } catch (UnsupportedOperationException e) {
            unsupported = true;
            LOG.warn("prorch: retention is set but the store cannot delete, so ended pipelines are kept: {}",
                    e.getMessage());
        } catch (RuntimeException e) {
            next = now.plus(IDLE_INTERVAL);
            LOG.warn("prorch: purging ended pipelines failed; trying again in {}", IDLE_INTERVAL, e);
        }
    }

    /**
     * Purges one batch now.
     *
     * @return how many pipelines were purged
     * @throws IllegalStateException if retention is off
     * @throws UnsupportedOperationException if the store cannot delete
     */
    synchronized int purgeBatch(Instant now) {
        if (age == null) {
            throw new IllegalStateException("retention is off; set OrchestratorConfig.builder().retention(age)");
        }
        Instant cutoff = now.minus(age);
        // a pipeline updated before the cutoff was created before it: the range on created_at lets a store walk its
        // (status, created_at) index instead of every ended pipeline
        SearchFilter old = SearchFilter.all().anyOf(SearchField.STATUS, ENDED)
                .between(SearchField.CREATED_AT, null, cutoff).between(SearchField.UPDATED_AT, null, cutoff)
                .order(SearchFilter.Order.CREATED_DESC).limit(BATCH);
        List<UUID> ids = repository.search(Model.PIPELINE, old).stream().map(PipelineRecord::id).toList();
        return ids.isEmpty() ? 0 : repository.purge(ids, cutoff).size();
    }
}
