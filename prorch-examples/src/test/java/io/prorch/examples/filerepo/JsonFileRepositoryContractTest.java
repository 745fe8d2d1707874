package io.prorch.examples.filerepo;

import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.SignalRecord;
import io.prorch.test.contract.RepositoryContractTest;
import java.nio.file.Files;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The from-scratch repository passes the whole contract kit, and keeps its data across openings. */
class JsonFileRepositoryContractTest extends RepositoryContractTest {
    @TempDir
    Path dir;

    @Override
    protected IRepository newRepository() {
        return JsonFileRepository.open(dir.resolve("store-" + System.nanoTime() + ".json"));
    }

    @Test
    void aSecondOpeningOfTheFileSeesEverythingWritten() {
        Path file = dir.resolve("shared.json");
        PipelineRecord saved = JsonFileRepository.open(file).save(aPipeline().withMetadata(Map.of("n", 1)).build());

        assertThat(JsonFileRepository.open(file).get(Model.PIPELINE, saved.id())).contains(saved);
        assertThat(dir.resolve("shared.json.tmp")).doesNotExist();
    }

    @Test
    void signalsAreKeptAcrossOpeningsPayloadIncluded() {
        Path file = dir.resolve("signals.json");
        JsonFileRepository first = JsonFileRepository.open(file);
        PipelineRecord pipeline = first.save(aPipeline().build());
        SignalRecord pending = first.save(SignalRecord.sent(UUID.randomUUID(), pipeline.id(), "approved",
                Map.of("by", "alice", "amount", new BigInteger("123456789012345678901234567890"), "rate", 0.25),
                Instant.parse("2026-01-02T03:04:05.123456Z")));
        SignalRecord consumed = first.update(first.save(SignalRecord.sent(UUID.randomUUID(), pipeline.id(), "paid",
                Map.of(), Instant.parse("2026-01-02T03:04:06Z"))).consumedBy(1, Instant.parse("2026-01-02T03:04:07Z")));

        JsonFileRepository second = JsonFileRepository.open(file);

        assertThat(second.get(Model.SIGNAL, pending.id())).contains(pending);
        assertThat(second.search(Model.SIGNAL, SearchFilter.all())).containsExactly(pending, consumed);
    }

    @Test
    void aFileWrittenBeforeSignalsExistedOpensWithNone() throws Exception {
        Path file = dir.resolve("old.json");
        Files.writeString(file, "{\"pipelines\": [], \"pipeline_steps\": []}");

        JsonFileRepository repository = JsonFileRepository.open(file);

        assertThat(repository.search(Model.SIGNAL, SearchFilter.all())).isEmpty();
    }

    @Test
    void aCorruptFileIsRefusedWithAClearMessage() throws Exception {
        Path file = dir.resolve("corrupt.json");
        Files.writeString(file, "{\"pipelines\": [ {\"uuid\": ");

        assertThatThrownBy(() -> JsonFileRepository.open(file))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("Cannot read the prorch store " + file)
                .hasMessageContaining("move it aside");
    }
}
