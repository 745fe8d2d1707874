package io.prorch.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PipelineIdsTest {

    @Test
    void idsAreVersion7WithTheCurrentTimeAndFreeLowBitsForStepPositions() {
        long before = System.currentTimeMillis();

        UUID id = PipelineIds.next();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        long millis = id.getMostSignificantBits() >>> 16;
        assertThat(millis).isBetween(before, System.currentTimeMillis() + 1);
        assertThat(id.getLeastSignificantBits() & 0xFFFF).isZero();
    }

    @Test
    void idsMadeOneAfterAnotherSortInTheOrderTheyWereMade() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(PipelineIds.next());
        }

        // UUID.compareTo compares signed halves; a version 7 id's high half is positive until the year 10889
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    @Test
    @Timeout(30)
    void concurrentCallersNeverGetTheSameId() throws Exception {
        Set<UUID> all = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                Set<UUID> mine = new HashSet<>();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000; i++) {
                    mine.add(PipelineIds.next());
                }
                all.addAll(mine);
            }));
        }
        threads.forEach(Thread::start);
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(all).hasSize(80_000);
    }
}
