package io.prorch.jdbc;

import java.util.UUID;

/** kill -9 during compensation, fan-out and fan-in on an H2 file database (one JVM opens it at a time). */
class H2ShapesKillTest extends ShapesKillContract {
    private final String name = "shapes-kill-" + UUID.randomUUID();

    @Override
    String url() {
        return "jdbc:h2:" + dir.resolve(name).toAbsolutePath() + ";WRITE_DELAY=0";
    }
}
