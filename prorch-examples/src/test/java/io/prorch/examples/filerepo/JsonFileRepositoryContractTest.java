package io.prorch.examples.filerepo;

import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RepositoryException;
import io.prorch.test.contract.RepositoryContractTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
    void aCorruptFileIsRefusedWithAClearMessage() throws Exception {
        Path file = dir.resolve("corrupt.json");
        Files.writeString(file, "{\"pipelines\": [ {\"uuid\": ");

        assertThatThrownBy(() -> JsonFileRepository.open(file))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("Cannot read the prorch store " + file)
                .hasMessageContaining("move it aside");
    }
}
