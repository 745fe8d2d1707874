package io.prorch.kafka.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer on a thread of its own: polls (bounded), hands each record to a handler, and commits the offsets of
 * the records handled, only after the handler returned. A handler that throws is asked again for the same record
 * after a backoff (its partition is sought back); the records after it in that partition wait, the other
 * partitions go on. {@link #close} wakes the consumer, commits what was handled and closes it, all bounded.
 */
public final class PollLoop {
    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** What is done with one record; throwing means "not now": the record is handled again after a backoff. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @param record the record to handle
         * @throws Exception if it could not be handled now (the store or the broker failed)
         */
        void handle(ConsumerRecord<String, String> record) throws Exception;
    }

    private final String name;
    private final Consumer<String, String> consumer;
    private final Collection<String> topics;
    private final Handler handler;
    private final Duration pollTimeout;
    private final Duration retryBackoff;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean stopping;
    private boolean started;

    /**
     * @param name the thread's name, also in log lines
     * @param consumer a consumer with auto-commit off; the loop owns and closes it
     */
    public PollLoop(String name, Consumer<String, String> consumer, Collection<String> topics, Handler handler,
                    Duration pollTimeout, Duration retryBackoff) {
        this.name = name;
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.pollTimeout = pollTimeout;
        this.retryBackoff = retryBackoff;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /**
     * Starts polling on the loop's own thread.
     *
     * @throws IllegalStateException if it was started or closed before
     */
    public synchronized void start() {
        if (started || stopping) {
            throw new IllegalStateException("the Kafka consumer " + name + " was already " + (started ? "started"
                    : "closed") + "; build a new one");
        }
        started = true;
        thread.start();
    }

    /** @return true while the loop's thread runs */
    public boolean isRunning() {
        return thread.isAlive();
    }

    private void run() {
        try {
            consumer.subscribe(topics);
            while (!stopping) {
                ConsumerRecords<String, String> records = consumer.poll(pollTimeout);
                if (!records.isEmpty() && !handleAll(records) && !stopping) {
                    Thread.sleep(retryBackoff.toMillis());
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // close() woke the consumer up
        } catch (RuntimeException e) {
            LOG.error("prorch: the Kafka consumer {} stopped on an unexpected error; nothing handled is lost, but it"
                    + " must be started again", name, e);
        } finally {
            try {
                consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            } catch (RuntimeException e) {
                LOG.warn("prorch: closing the Kafka consumer {} failed: {}", name, e.toString());
            }
            stopped.countDown();
        }
    }

    /** @return false if a record could not be handled (its partition waits for the next poll) */
    private boolean handleAll(ConsumerRecords<String, String> records) {
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        boolean allHandled = true;
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, String> record : records.records(partition)) {
                if (stopping) {
                    // the rest are not handled: seek back so that no later commit skips them
                    consumer.seek(partition, record.offset());
                    break;
                }
                try {
                    handler.handle(record);
                } catch (Exception e) {
                    LOG.warn("prorch: {} could not handle {}-{}@{} now; it is tried again in {} ms: {}", name,
                            record.topic(), record.partition(), record.offset(), retryBackoff.toMillis(),
                            e.toString());
                    consumer.seek(partition, record.offset());
                    allHandled = false;
                    break;
                }
                done.put(partition, new OffsetAndMetadata(record.offset() + 1));
            }
        }
        commit(done);
        return allHandled;
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
        } catch (WakeupException e) {
            // close() during the commit: commit once more, without wake-ups now, so that nothing handled repeats
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
            throw e;
        } catch (KafkaException e) {
            // a rebalance or a slow broker: these records come again and are handled idempotently
            LOG.warn("prorch: {} could not commit offsets {}; the records may be handled again: {}", name, offsets,
                    e.toString());
        }
    }

    /**
     * Stops polling: the record being handled finishes, the offsets handled are committed, the consumer is closed.
     *
     * @return true if the loop stopped within {@code timeout}
     */
    public boolean close(Duration timeout) {
        synchronized (this) {
            stopping = true;
            if (!started) {
                if (stopped.getCount() > 0) {
                    consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));   // never started: nothing to hand over
                    stopped.countDown();
                }
                return true;
            }
        }
        consumer.wakeup();
        return awaitStopped(timeout);
    }

    private boolean awaitStopped(Duration timeout) {
        try {
            return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
