package io.prorch.examples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU time a phase cost this JVM and the machine's PostgreSQL processes: on a machine shared with other work the
 * throughput drifts, while the CPU spent per process says whether a change made the work cheaper. PostgreSQL's share
 * is read from {@code /proc} (Linux, server on this machine, readable by this user); where it cannot be read, only the
 * JVM's is reported. Processes that end within the phase are not counted: the pool's backends outlive it.
 */
final class CpuMeter {
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ is 100 on Linux
    private final long jvm0;
    private final long pg0;

    private CpuMeter(long jvm0, long pg0) {
        this.jvm0 = jvm0;
        this.pg0 = pg0;
    }

    /** @return a meter that counts from now */
    static CpuMeter start() {
        return new CpuMeter(jvmNanos(), postgresNanos());
    }

    /** Adds {@code jvm_cpu_ms_per_proc} and, where readable, {@code pg_cpu_ms_per_proc} since {@link #start}. */
    void put(Map<String, Object> r, double processes) {
        long pg1 = postgresNanos();
        r.put("jvm_cpu_ms_per_proc", millis(jvmNanos() - jvm0, processes));
        if (pg0 >= 0 && pg1 >= 0) {
            r.put("pg_cpu_ms_per_proc", millis(pg1 - pg0, processes));
        }
    }

    /** @return milliseconds per process, to three decimals */
    private static double millis(long nanos, double processes) {
        return Math.round(nanos / 1e3 / processes) / 1000.0;
    }

    private static long jvmNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** @return the user and system CPU time of every process named postgres, or -1 if /proc cannot be read */
    private static long postgresNanos() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .mapToLong(CpuMeter::postgresTicks).sum() * TICK_NANOS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long postgresTicks(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            int close = stat.lastIndexOf(')');
            if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
                return 0;
            }
            String[] fields = stat.substring(close + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
            return 0; // ended meanwhile
        }
    }
}
