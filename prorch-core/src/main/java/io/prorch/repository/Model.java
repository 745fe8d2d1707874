package io.prorch.repository;

import java.util.Comparator;
import java.util.Objects;

/**
 * A type token for one of the stored models, the Java form of the Python {@code IRepository(model)}: pass
 * {@link #PIPELINE}, {@link #STEP}, {@link #SIGNAL} or {@link #HISTORY} to {@link IRepository#get} and {@link IRepository#search}.
 *
 * @param <R> the record type of the model
 */
public final class Model<R extends StoredRecord> {
    /** Pipelines, stored in the table {@code pipelines}. */
    public static final Model<PipelineRecord> PIPELINE = new Model<>("pipelines", "pipeline", PipelineRecord.class,
            Comparator.comparing(PipelineRecord::dueAt, Comparator.nullsLast(Comparator.naturalOrder())));
    /** Pipeline steps, stored in the table {@code pipeline_steps}. */
    public static final Model<StepRecord> STEP = new Model<>("pipeline_steps", "step", StepRecord.class,
            Comparator.comparingInt(StepRecord::position));
    /** Signals sent to pipelines, stored in the table {@code pipeline_signals}. */
    public static final Model<SignalRecord> SIGNAL = new Model<>("pipeline_signals", "signal", SignalRecord.class,
            Comparator.comparing(SignalRecord::createdAt).thenComparing(s -> s.id().toString()));
    /** The history of pipelines (append-only), stored in the table {@code pipeline_history}. */
    public static final Model<HistoryRecord> HISTORY = new Model<>("pipeline_history", "history entry",
            HistoryRecord.class, Comparator.comparing(HistoryRecord::at)
            .thenComparing(HistoryRecord::id, SearchFilter::compareIds));

    private final String tableName;
    private final String singular;
    private final Class<R> recordType;
    private final Comparator<R> searchOrder;

    private Model(String tableName, String singular, Class<R> recordType, Comparator<R> searchOrder) {
        this.tableName = tableName;
        this.singular = singular;
        this.recordType = recordType;
        this.searchOrder = searchOrder;
    }

    /** @return the conventional table or collection name: {@code "pipelines"} or {@code "pipeline_steps"} */
    public String tableName() {
        return tableName;
    }

    /** @return {@code "pipeline"} or {@code "step"}, for messages */
    public String singular() {
        return singular;
    }

    /** @return the record class of this model */
    public Class<R> recordType() {
        return recordType;
    }

    /**
     * The order {@link IRepository#search} returns records in: pipelines by {@code dueAt} ascending, records
     * without a due time last; steps by {@code position} ascending; signals by {@code createdAt}, then id; history
     * entries by {@code at}, then id (compared unsigned, as {@link SearchFilter#compareIds} does). Ties come in no
     * particular order.
     *
     * @return a comparator a simple store can sort its matches with
     */
    public Comparator<R> searchOrder() {
        return searchOrder;
    }

    /**
     * Casts a record to this model's type.
     *
     * @throws NullPointerException if {@code record} is null
     * @throws IllegalArgumentException if the record belongs to the other model
     */
    public R cast(StoredRecord record) {
        Objects.requireNonNull(record, "record");
        if (!recordType.isInstance(record)) {
            throw new IllegalArgumentException("Expected a " + recordType.getSimpleName() + " but got a "
                    + record.getClass().getSimpleName());
        }
        return recordType.cast(record);
    }

    /**
     * @param record a pipeline or step record
     * @return the model the record belongs to
     * @throws NullPointerException if {@code record} is null
     */
    @SuppressWarnings("unchecked")
    public static <R extends StoredRecord> Model<R> of(R record) {
        Objects.requireNonNull(record, "record");
        return (Model<R>) (record instanceof PipelineRecord ? PIPELINE : record instanceof StepRecord ? STEP
                : record instanceof SignalRecord ? SIGNAL : HISTORY);
    }

    @Override
    public String toString() {
        return tableName;
    }
}
