package io.prorch.jdbc;

/** The seed of a randomized chaos test: printed, and taken from {@code -Dprorch.chaos.seed} to replay a run. */
final class ChaosSeed {
    private ChaosSeed() {
    }

    static long pick(String test) {
        String given = System.getProperty("prorch.chaos.seed");
        long seed = given != null && !given.isBlank() ? Long.parseLong(given.trim()) : System.nanoTime();
        System.out.println("[chaos] " + test + " seed=" + seed + " (replay with -Dprorch.chaos.seed=" + seed + ")");
        return seed;
    }
}
