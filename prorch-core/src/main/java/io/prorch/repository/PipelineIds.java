package io.prorch.repository;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * New pipeline ids: time-ordered version 7 UUIDs (RFC 9562), so that the rows of recent pipelines, and their steps,
 * sit side by side in every primary-key index instead of scattering over it. Inserts then go to the right-hand edge
 * of the index and updates touch the few pages that hold the pipelines in flight, which keeps the working set small
 * as history grows.
 *
 * <p>Layout: 48 bits of Unix milliseconds, the version, a 12-bit counter that keeps ids made in the same millisecond
 * in order (RFC 9562 section 6.2, method 1), the variant, and 46 random bits. The lowest 16 bits are zero, so that
 * {@link io.prorch.repository.StepRecord#idOf} can derive the ids of up to 65,535 steps by setting them, without
 * colliding with the steps of any other pipeline.
 */
final class PipelineIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The last (milliseconds << 12 | counter) handed out; only ever grows. */
    private static final AtomicLong LAST = new AtomicLong();

    private PipelineIds() {
    }

    /** @return a new id, greater than every id this JVM made before (while the wall clock does not jump back) */
    static UUID next() {
        long stamp = LAST.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis() << 12));
        long msb = (stamp >>> 12) << 16 | 0x7000L | (stamp & 0xFFFL);
        long lsb = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_0000L) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
