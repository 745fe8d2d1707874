package io.prorch.examples.filerepo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prorch.Status;
import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.SignalRecord;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.repository.VersionConflictException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A repository in one JSON file, for small workloads (every write rewrites the file). All data is kept in memory
 * behind one lock, so it is correct under concurrent use within one JVM; each write goes to a temporary file that is
 * synced and then renamed over the old one, so a crash leaves either the old or the new file, never a torn one.
 * {@link #updateAll} and {@link #saveAll} are all-or-nothing because they are one file write. The file holds one list
 * per model: {@code pipelines}, {@code pipeline_steps} and {@code pipeline_signals} (a file written before signals
 * existed has no such list, and reads as holding none).
 *
 * <pre>{@code
 * IRepository repository = JsonFileRepository.open(Path.of("pipelines.json"));
 * }</pre>
 */
public final class JsonFileRepository implements IRepository {
    /*
     * Plain reading: Jackson gives an Integer, Long or BigInteger by size, and the records widen them to their
     * canonical form. (USE_LONG_FOR_INTS made a metadata integer beyond a long unreadable, and with it the whole file.)
     */
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, List<Map<String, Object>>>> FILE = new TypeReference<>() { };

    private final Path file;
    private final Map<UUID, PipelineRecord> pipelines = new LinkedHashMap<>();
    private final Map<UUID, StepRecord> steps = new LinkedHashMap<>();
    private final Map<UUID, SignalRecord> signals = new LinkedHashMap<>();

    private JsonFileRepository(Path file) {
        this.file = file;
    }

    /**
     * Opens the store in {@code file}, creating it on the first write if it does not exist.
     *
     * @throws NullPointerException if {@code file} is null
     * @throws RepositoryException if the file exists but cannot be read or is not a store written by this class
     */
    public static JsonFileRepository open(Path file) {
        JsonFileRepository repository = new JsonFileRepository(requireNonNull(file, "file").toAbsolutePath());
        repository.load();
        return repository;
    }

    @Override
    public synchronized <R extends StoredRecord> Optional<R> get(Model<R> model, UUID id) {
        requireNonNull(model, "model");
        requireNonNull(id, "id");
        return Optional.ofNullable(model.recordType().cast(table(model).get(id)));
    }

    @Override
    public synchronized <R extends StoredRecord> R save(R record) {
        saveAll(List.of(requireNonNull(record, "record")));
        return record;
    }

    @Override
    public synchronized <R extends StoredRecord> R update(R record) {
        @SuppressWarnings("unchecked")
        R updated = (R) updateAll(List.of(requireNonNull(record, "record"))).get(0);
        return updated;
    }

    @Override
    public synchronized <R extends StoredRecord> List<R> search(Model<R> model, SearchFilter filter) {
        requireNonNull(model, "model");
        requireNonNull(filter, "filter");
        filter.checkApplicableTo(model);
        return table(model).values().stream().filter(filter::matches).map(model::cast)
                .sorted(filter.order(model)).limit(filter.limit()).toList();
    }

    /** @return true: {@link #saveAll} and {@link #updateAll} check every record first and rewrite the file once */
    @Override
    public boolean atomicBatches() {
        return true;
    }

    @Override
    public synchronized List<StoredRecord> saveAll(List<? extends StoredRecord> records) {
        requireNonNull(records, "records");
        records.forEach(r -> requireNonNull(r, "records element"));
        for (int i = 0; i < records.size(); i++) {
            StoredRecord record = records.get(i);
            boolean repeated = records.subList(0, i).stream().anyMatch(r -> r.id().equals(record.id())
                    && Model.of(r) == Model.of(record));
            if (repeated || table(Model.of(record)).containsKey(record.id())) {
                throw new DuplicateRecordException(Model.of(record), record.id(), "id");
            }
            if (record instanceof PipelineRecord p && p.idempotencyKey() != null && pipelines.values().stream()
                    .anyMatch(other -> p.idempotencyKey().equals(other.idempotencyKey()))) {
                throw new DuplicateRecordException(Model.PIPELINE, p.id(), "idempotency key \""
                        + p.idempotencyKey() + "\"");
            }
        }
        return write(records, "saveAll");
    }

    @Override
    public synchronized List<StoredRecord> updateAll(List<? extends StoredRecord> records) {
        requireNonNull(records, "records");
        List<StoredRecord> updated = new ArrayList<>(records.size());
        // the version each record has once the earlier ones of this batch are applied (a record may come twice)
        Map<UUID, Long> versions = new HashMap<>();
        for (StoredRecord record : records) {
            StoredRecord stored = table(Model.of(requireNonNull(record, "records element"))).get(record.id());
            Long current = versions.containsKey(record.id()) ? versions.get(record.id())
                    : stored == null ? null : stored.version();
            if (current == null || current != record.version()) {
                throw new VersionConflictException(Model.of(record), record.id(), record.version());
            }
            versions.put(record.id(), record.version() + 1);
            updated.add(record.withVersion(record.version() + 1));
        }
        return write(updated, "updateAll");
    }

    /** Applies {@code records} in memory and rewrites the file; on failure the memory is restored. */
    private List<StoredRecord> write(List<? extends StoredRecord> records, String operation) {
        Map<UUID, PipelineRecord> pipelinesBefore = new LinkedHashMap<>(pipelines);
        Map<UUID, StepRecord> stepsBefore = new LinkedHashMap<>(steps);
        Map<UUID, SignalRecord> signalsBefore = new LinkedHashMap<>(signals);
        records.forEach(this::put);
        try {
            persist();
        } catch (IOException | RuntimeException e) {
            pipelines.clear();
            pipelines.putAll(pipelinesBefore);
            steps.clear();
            steps.putAll(stepsBefore);
            signals.clear();
            signals.putAll(signalsBefore);
            throw new RepositoryException(operation + " of " + records.size() + " record(s) to " + file + " failed: "
                    + e.getMessage(), e);
        }
        return List.copyOf(records);
    }

    private void persist() throws IOException {
        Map<String, List<Map<String, Object>>> content = new LinkedHashMap<>();
        content.put("pipelines", pipelines.values().stream().map(JsonFileRepository::toJson).toList());
        content.put("pipeline_steps", steps.values().stream().map(JsonFileRepository::toJson).toList());
        content.put("pipeline_signals", signals.values().stream().map(JsonFileRepository::toJson).toList());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.createDirectories(file.getParent());
        Files.write(temp, JSON.writeValueAsBytes(content));
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            Map<String, List<Map<String, Object>>> content = JSON.readValue(file.toFile(), FILE);
            Objects.requireNonNull(content.get("pipelines"), "the \"pipelines\" list")
                    .forEach(m -> put(pipelineFrom(m)));
            Objects.requireNonNull(content.get("pipeline_steps"), "the \"pipeline_steps\" list")
                    .forEach(m -> put(stepFrom(m)));
            // absent from files written before signals existed
            content.getOrDefault("pipeline_signals", List.of()).forEach(m -> put(signalFrom(m)));
        } catch (IOException | RuntimeException e) {
            throw new RepositoryException("Cannot read the prorch store " + file + ": " + e.getMessage()
                    + "; restore it from a backup or move it aside to start empty", e);
        }
    }

    private void put(StoredRecord record) {
        if (record instanceof PipelineRecord p) {
            pipelines.put(p.id(), p);
        } else if (record instanceof StepRecord s) {
            steps.put(s.id(), s);
        } else {
            signals.put(record.id(), (SignalRecord) record);
        }
    }

    private Map<UUID, ? extends StoredRecord> table(Model<?> model) {
        return model == Model.PIPELINE ? pipelines : model == Model.STEP ? steps : signals;
    }

    // --- the record <-> JSON mapping: plain maps, instants as ISO-8601 strings ---

    private static Map<String, Object> toJson(StoredRecord record) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uuid", record.id().toString());
        if (record instanceof PipelineRecord p) {
            m.put("name", p.name());
            m.put("status", p.status().value());
            m.put("step_names", p.stepNames());
            m.put("current_step", p.currentStep());
            m.put("due_at", text(p.dueAt()));
            m.put("claim_owner", p.claimOwner());
            m.put("claim_expires_at", text(p.claimExpiresAt()));
            m.put("idempotency_key", p.idempotencyKey());
            m.put("last_error", p.lastError());
        } else if (record instanceof StepRecord s) {
            m.put("pipeline_uuid", s.pipelineId().toString());
            m.put("name", s.name());
            m.put("position", s.position());
            m.put("status", s.status().value());
            m.put("attempts", s.attempts());
            m.put("last_error", s.lastError());
        } else {
            SignalRecord g = (SignalRecord) record;
            m.put("pipeline_uuid", g.pipelineId().toString());
            m.put("name", g.name());
            m.put("status", g.status().value());
            m.put("consumed_by_step", g.consumedByStep());
        }
        m.put(record instanceof SignalRecord ? "payload" : "metadata", record.metadata());
        m.put("version", record.version());
        m.put("created_at", text(record.createdAt()));
        m.put("updated_at", text(record.updatedAt()));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static PipelineRecord pipelineFrom(Map<String, Object> m) {
        return new PipelineRecord(UUID.fromString((String) m.get("uuid")), (String) m.get("name"),
                Status.fromValue((String) m.get("status")), (List<String>) m.get("step_names"),
                ((Number) m.get("current_step")).intValue(), (Map<String, Object>) m.get("metadata"),
                ((Number) m.get("version")).longValue(), instant(m.get("created_at")), instant(m.get("updated_at")),
                instant(m.get("due_at")), (String) m.get("claim_owner"), instant(m.get("claim_expires_at")),
                (String) m.get("last_error"), (String) m.get("idempotency_key"));
    }

    @SuppressWarnings("unchecked")
    private static StepRecord stepFrom(Map<String, Object> m) {
        return new StepRecord(UUID.fromString((String) m.get("uuid")), UUID.fromString((String) m.get("pipeline_uuid")),
                (String) m.get("name"), ((Number) m.get("position")).intValue(),
                Status.fromValue((String) m.get("status")), (Map<String, Object>) m.get("metadata"),
                ((Number) m.get("attempts")).intValue(), ((Number) m.get("version")).longValue(),
                instant(m.get("created_at")), instant(m.get("updated_at")), (String) m.get("last_error"));
    }

    @SuppressWarnings("unchecked")
    private static SignalRecord signalFrom(Map<String, Object> m) {
        return new SignalRecord(UUID.fromString((String) m.get("uuid")),
                UUID.fromString((String) m.get("pipeline_uuid")), (String) m.get("name"),
                Status.fromValue((String) m.get("status")), (Map<String, Object>) m.get("payload"),
                ((Number) m.get("version")).longValue(), instant(m.get("created_at")), instant(m.get("updated_at")),
                ((Number) m.get("consumed_by_step")).intValue());
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(Object text) {
        return text == null ? null : Instant.parse((String) text);
    }
}
