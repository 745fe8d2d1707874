package io.prorch.test.contract;

import static io.prorch.test.contract.RecordBuilders.T0;
import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static io.prorch.test.contract.RecordBuilders.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.Status;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.SignalRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.repository.VersionConflictException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The part of {@link RepositoryContractTest} that defines signals and the handling of bad input (null, unknown,
 * malformed). Not extended on its own: {@link RepositoryContractTest} extends it.
 */
public abstract class SignalContract extends ClaimContract {
    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Nested
    @DisplayName("signals")
    class Signals {
        private final UUID pipeline = UUID.randomUUID();

        private SignalRecord signal(String name, int second, Map<String, Object> payload) {
            return SignalRecord.sent(UUID.randomUUID(), pipeline, name, payload, at(second));
        }

        @Test
        @DisplayName("a signal round-trips every field, its payload exactly")
        void roundTrip() {
            SignalRecord sent = repo.save(signal("approved", 1, Map.of("by", "alice", "amount",
                    new BigInteger("123456789012345678901234567890"), "ok", true, "rate", 0.25)));

            assertThat(repo.get(Model.SIGNAL, sent.id())).contains(sent);
            SignalRecord consumed = repo.update(sent.consumedBy(2, at(3)));
            assertThat(consumed.version()).isEqualTo(1);
            assertThat(repo.get(Model.SIGNAL, sent.id())).contains(consumed);
            assertThat(consumed.status()).isEqualTo(Status.FINISHED);
            assertThat(consumed.consumedByStep()).isEqualTo(2);
        }

        @Test
        @DisplayName("search finds a pipeline's pending signals of a name, oldest first")
        void searchInSendingOrder() {
            SignalRecord second = repo.save(signal("approved", 5, Map.of("n", 2)));
            SignalRecord first = repo.save(signal("approved", 4, Map.of("n", 1)));
            repo.save(signal("rejected", 3, Map.of()));
            SignalRecord third = repo.save(signal("approved", 6, Map.of("n", 3)));
            repo.update(third.consumedBy(0, at(7)));
            repo.save(SignalRecord.sent(UUID.randomUUID(), UUID.randomUUID(), "approved", Map.of(), at(1)));

            SearchFilter pending = SearchFilter.all().where(SearchField.PIPELINE_ID, pipeline)
                    .where(SearchField.STATUS, Status.PENDING).where(SearchField.NAME, "approved");

            assertThat(repo.search(Model.SIGNAL, pending)).containsExactly(first, second);
            assertThat(repo.search(Model.SIGNAL, pending.limit(1))).containsExactly(first);
            assertThat(repo.search(Model.SIGNAL, SearchFilter.all().where(SearchField.PIPELINE_ID, pipeline)))
                    .hasSize(4);
        }

        @Test
        @DisplayName("a signal sent twice with one key is stored once; a stale consume conflicts")
        void idempotentSendAndConflicts() {
            SignalRecord once = repo.save(SignalRecord.sent(SignalRecord.idFor(pipeline, "webhook-9"), pipeline,
                    "paid", Map.of(), at(1)));

            assertThatThrownBy(() -> repo.save(SignalRecord.sent(SignalRecord.idFor(pipeline, "webhook-9"),
                    pipeline, "paid", Map.of("again", true), at(2)))).isInstanceOf(DuplicateRecordException.class);
            repo.update(once.consumedBy(1, at(3)));
            assertThatThrownBy(() -> repo.update(once.consumedBy(2, at(4))))
                    .isInstanceOf(VersionConflictException.class).hasMessageContaining(once.id().toString());
            assertThat(repo.get(Model.SIGNAL, once.id())).get().extracting(SignalRecord::consumedByStep)
                    .isEqualTo(1);
        }

        @Test
        @DisplayName("signals join the batches of pipelines and steps, all or nothing where the store says so")
        void inBatches() {
            PipelineRecord p = repo.save(aPipeline().withId(pipeline).build());
            SignalRecord s = repo.save(signal("go", 1, Map.of()));

            List<StoredRecord> written = repo.updateAll(List.of(p.withStatus(Status.FINISHED), s.consumedBy(0,
                    at(2))));

            assertThat(written).hasSize(2);
            assertThat(repo.get(Model.SIGNAL, s.id())).get().extracting(SignalRecord::status)
                    .isEqualTo(Status.FINISHED);
            if (repo.atomicBatches()) {
                SignalRecord pending = repo.save(signal("later", 3, Map.of()));
                PipelineRecord stale = p;
                assertThatThrownBy(() -> repo.updateAll(List.of(pending.consumedBy(0, at(4)), stale)))
                        .isInstanceOf(VersionConflictException.class);
                assertThat(repo.get(Model.SIGNAL, pending.id())).contains(pending);
            }
        }
    }

    @Nested
    @DisplayName("bad input")
    class BadInput {
        @Test
        @DisplayName("null arguments throw NullPointerException and write nothing")
        void nulls() {
            PipelineRecord saved = repo.save(aPipeline().build());

            assertThatThrownBy(() -> repo.get(null, saved.id())).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.get(Model.PIPELINE, null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.save(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.update(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.search(Model.STEP, null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.search(null, SearchFilter.all())).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.updateAll(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.saveAll(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.getAll(Model.STEP, null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.claimDue(null)).isInstanceOf(NullPointerException.class);
            assertThat(repo.search(Model.PIPELINE, SearchFilter.all())).containsExactly(saved);
        }

        @Test
        @DisplayName("a batch containing a null writes nothing")
        void nullInsideABatch() {
            List<StoredRecord> withNull = new ArrayList<>();
            withNull.add(aStep().build());
            withNull.add(null);

            assertThatThrownBy(() -> repo.saveAll(withNull)).isInstanceOf(NullPointerException.class);
            assertThat(repo.search(Model.STEP, SearchFilter.all())).isEmpty();
        }

        @Test
        @DisplayName("claims ask for a sensible window; a refused request claims nothing")
        void claimRequestsAreChecked() {
            PipelineRecord due = repo.save(aPipeline().withDueAt(at(5)).build());

            assertThatThrownBy(() -> new ClaimRequest("me", at(10), at(10), 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("until must be after now");
            assertThatThrownBy(() -> new ClaimRequest(" ", at(10), at(20), 1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ClaimRequest("me", at(10), at(20), 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
            assertThatThrownBy(() -> new ClaimRequest("me", at(10), at(20), 1, (java.util.Set<String>) null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("pipelineNames");
            assertThatThrownBy(() -> new ClaimRequest("me", at(10), at(20), 1, Set.of(" ")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank name");
            assertThat(repo.get(Model.PIPELINE, due.id())).contains(due);
            assertThat(repo.claimDue(new ClaimRequest("me", at(10), at(20), 1))).extracting(PipelineRecord::id)
                    .containsExactly(due.id());
        }
    }
}
