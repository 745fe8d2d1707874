package io.prorch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchFilter;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleListener;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** {@code JdbcRepository.create(Jdbi)} and {@code builder().jdbi(..)}: where connections come from, and bad input. */
class JdbiBuilderTest {

    @Test
    void aNullJdbiIsRefusedByName() {
        assertThatThrownBy(() -> JdbcRepository.create((Jdbi) null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("jdbi");
        assertThatThrownBy(() -> JdbcRepository.builder().jdbi(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("jdbi");
    }

    @Test
    void bothADataSourceAndAJdbiAreRefusedWithTheFix() {
        DataSource dataSource = Databases.h2Memory();
        assertThatThrownBy(() -> JdbcRepository.builder().dataSource(dataSource).jdbi(Jdbi.create(dataSource)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("both dataSource(..) and jdbi(..)").hasMessageContaining("keep one");
    }

    @Test
    void neitherIsRefusedNamingBoth() {
        assertThatThrownBy(() -> JdbcRepository.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dataSource(..)").hasMessageContaining("jdbi(..)");
    }

    @Test
    void everyConnectionComesFromTheJdbisHandlesAndGoesBack() {
        Jdbi jdbi = Jdbi.create(Databases.h2Memory());
        AtomicInteger open = new AtomicInteger();
        AtomicInteger opened = new AtomicInteger();
        jdbi.getConfig(Handles.class).addListener(new HandleListener() {
            @Override
            public void handleCreated(Handle handle) {
                open.incrementAndGet();
                opened.incrementAndGet();
            }

            @Override
            public void handleClosed(Handle handle) {
                open.decrementAndGet();
            }
        });
        JdbcRepository repository = JdbcRepository.create(jdbi);
        int afterBuild = opened.get();
        PipelineRecord p = PipelineRecord.pending(UUID.randomUUID(), "P", List.of("S"), Map.of("k", "v"), java.time.Instant.now());

        repository.save(p);
        repository.update(p);
        List<PipelineRecord> found = repository.search(Model.PIPELINE, SearchFilter.all());
        repository.currentTime();

        assertThat(afterBuild).as("migrations ran on the Jdbi's connections").isPositive();
        assertThat(opened.get() - afterBuild).as("one handle per operation").isEqualTo(4);
        assertThat(open.get()).as("every handle closed").isZero();
        assertThat(found).extracting(PipelineRecord::id).containsExactly(p.id());
        assertThat(repository.connectionLimit()).isEmpty();
    }

    @Test
    void aViewOnAPlainConnectionSearchesInsideTheCallersTransactionAndLeavesItOpen() throws Exception {
        DataSource dataSource = Databases.h2Memory();
        JdbcRepository repository = JdbcRepository.create(dataSource);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            PipelineRecord p = PipelineRecord.pending(UUID.randomUUID(), "P", List.of("S"), Map.of(), java.time.Instant.now());
            repository.using(c).save(p);

            assertThat(repository.using(c).search(Model.PIPELINE, SearchFilter.all())).hasSize(1);
            assertThat(repository.using(c).currentTime()).isPresent();
            assertThat(c.isClosed()).isFalse();
            assertThat(c.getAutoCommit()).isFalse();
            c.rollback();
        }
        assertThat(repository.search(Model.PIPELINE, SearchFilter.all())).isEmpty();
    }
}
