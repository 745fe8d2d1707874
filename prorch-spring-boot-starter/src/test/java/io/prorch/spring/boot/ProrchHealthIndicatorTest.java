package io.prorch.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.IRepository;
import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.Model;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StoredRecord;
import io.prorch.spring.boot.fixture.FixtureApplication;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ProrchHealthIndicatorTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, ProrchJdbcAutoConfiguration.class,
 ProrchAutoConfiguration.class,
                    ProrchHealthAutoConfiguration.class))
            .withUserConfiguration(FixtureApplication.class)
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:health;DB_CLOSE_DELAY=-1",
                    "prorch.orchestrator-id=node-7");

    @Test
    void isUpWithTheOrchestratorsIdWhenTheDatabaseAnswers() {
        runner.run(context -> {
            Health health = context.getBean(ProrchHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("orchestratorId", "node-7").containsEntry("polling", true)
                    .containsKey("storeTime");
        });
    }

    @Test
    void isDownWhenTheStoreDoesNotAnswerInTime() {
        BrokenClockRepository repository = new BrokenClockRepository();
        runner.withBean(IRepository.class, () -> repository)
                .withPropertyValues("prorch.health.timeout=200ms", "prorch.auto-startup=false").run(context -> {
                    repository.hang();
                    ProrchHealthIndicator indicator = context.getBean(ProrchHealthIndicator.class);
                    Health health = indicator.health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails()).containsEntry("polling", false);
                    assertThat(health.getDetails().get("error")).asString().contains("did not answer within PT0.2S");
                    // a second request waits on the same check rather than starting another
                    assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
                    assertThat(repository.clockReads()).isEqualTo(2);   // the orchestrator's first read, one check
                    repository.release();
                    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
                });
    }

    @Test
    void isDownWithTheErrorWhenTheStoreFails() {
        BrokenClockRepository repository = new BrokenClockRepository();
        runner.withBean(IRepository.class, () -> repository).withPropertyValues("prorch.auto-startup=false")
                .run(context -> {
            repository.fail();
            Health health = context.getBean(ProrchHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("error")).asString().contains("database is gone");
        });
    }

    @Test
    void onBoot3TheIndicatorIsBoot3sAndBoot4sApiIsNotLoaded() {
        // the starter compiles its Boot 4 indicator against Boot 4's health API; these tests run without it, as a
        // Boot 3 application does, and its guarded configuration must then stay out of the way
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Class.forName("org.springframework.boot.health.contributor.HealthIndicator"))
                .isInstanceOf(ClassNotFoundException.class);
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ProrchHealthIndicator.class);
            assertThat(context.getBean("prorchHealthIndicator")).isInstanceOf(ProrchHealthIndicator.class);
        });
    }

    @Test
    void canBeTurnedOffLikeEveryHealthIndicator() {
        runner.withPropertyValues("management.health.prorch.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ProrchHealthIndicator.class));
    }

    /** A store whose clock answers, hangs until released, or fails, as the test says. */
    private static final class BrokenClockRepository implements IRepository {
        private final IRepository delegate = InMemoryRepository.create();
        private final AtomicInteger clockReads = new AtomicInteger();
        private volatile CountDownLatch hanging;
        private volatile boolean failing;

        void hang() {
            hanging = new CountDownLatch(1);
        }

        void release() {
            hanging.countDown();
        }

        void fail() {
            failing = true;
        }

        int clockReads() {
            return clockReads.get();
        }

        @Override
        public Optional<Instant> currentTime() {
            clockReads.incrementAndGet();
            if (failing) {
                throw new IllegalStateException("database is gone");
            }
            CountDownLatch latch = hanging;
            if (latch != null) {
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Optional.of(Instant.now());
        }
        @Override
        public <R extends StoredRecord> Optional<R> get(Model<R> model, UUID id) {
            return delegate.get(model, id);
        }

        @Override
        public <R extends StoredRecord> R save(R record) {
            return delegate.save(record);
        }

        @Override
        public <R extends StoredRecord> R update(R record) {
            return delegate.update(record);
        }

        @Override
        public <R extends StoredRecord> List<R> search(Model<R> model, SearchFilter filter) {
            return delegate.search(model, filter);
        }
    }
}
