package io.prorch.kafka.test;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A one-node Kafka 4 broker in KRaft mode (broker and controller in one), started inside this JVM on 127.0.0.1 on
 * free ports, with its log directory in a fresh temporary directory that {@link #close()} deletes. No Docker, no
 * download: everything comes from the {@code kafka_2.13} Maven artifact.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *     kafka.createTopics(3, "orders", "replies");
 *     Properties props = new Properties();
 *     props.put("bootstrap.servers", kafka.bootstrapServers());
 *     ...
 * }
 * }</pre>
 *
 * <p>Unless the JVM says otherwise, the broker's own logging (through SLF4J) is turned down to warnings when the
 * backend is slf4j-simple. Give the JVM about 512 MB of heap for it.
 */
public final class EmbeddedKafka implements AutoCloseable {
    /** How long {@link #start()} waits for the broker to answer: 60 seconds. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    private static final int BIND_ATTEMPTS = 3;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaRaftServer server;
    private final Path directory;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, Path directory, String bootstrapServers) {
        this.server = server;
        this.directory = directory;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts a broker and waits until it answers, for at most {@link #DEFAULT_START_TIMEOUT}.
     *
     * @return the running broker; close it when done
     * @throws IllegalStateException if it did not start (the message holds the cause)
     */
    public static EmbeddedKafka start() {
        return start(DEFAULT_START_TIMEOUT);
    }

    /**
     * Starts a broker and waits until it answers. A port taken between choosing and binding it is retried with
     * other ports, up to three times.
     *
     * @param timeout how long to wait for the broker to answer; at least 1 second
     * @return the running broker; close it when done
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is shorter than 1 second
     * @throws IllegalStateException if it did not start (the message holds the cause)
     */
    public static EmbeddedKafka start(Duration timeout) {
        requireNonNull(timeout, "timeout");
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("timeout must be at least 1 second, but was " + timeout);
        }
        quietLogging();
        RuntimeException last = null;
        for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
            try {
                return startOnce(timeout);
            } catch (RuntimeException e) {
                last = e;   // most likely a port taken since it was chosen: choose others
            }
        }
        throw new IllegalStateException("The embedded Kafka broker did not start in " + BIND_ATTEMPTS
                + " attempts: " + last.getMessage(), last);
    }

    private static EmbeddedKafka startOnce(Duration timeout) {
        Path directory;
        try {
            directory = Files.createTempDirectory("prorch-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's log directory", e);
        }
        KafkaRaftServer server = null;
        try {
            int port = freePort();
            int controllerPort = freePort();
            Properties props = serverProperties(directory, port, controllerPort);
            format(directory, props);
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(server, directory, "127.0.0.1:" + port);
            kafka.awaitAnswer(timeout);
            return kafka;
        } catch (RuntimeException e) {
            stop(server);
            delete(directory);
            throw e;
        }
    }

    /** @return the {@code bootstrap.servers} value of clients of this broker, {@code 127.0.0.1:<port>} */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates topics with {@code partitions} partitions each (replication factor 1); topics that exist are left as
     * they are.
     *
     * @throws NullPointerException if {@code names} or one of them is null
     * @throws IllegalArgumentException if {@code partitions} is not in [1, 1000] or a name is blank
     * @throws IllegalStateException if the broker did not create them within 30 seconds
     */
    public void createTopics(int partitions, String... names) {
        requireNonNull(names, "names");
        if (partitions < 1 || partitions > 1000) {
            throw new IllegalArgumentException("partitions must be in [1, 1000], but was " + partitions);
        }
        List<NewTopic> topics = Stream.of(names).map(name -> {
            if (requireNonNull(name, "topic name").isBlank()) {
                throw new IllegalArgumentException("a topic name must not be blank");
            }
            return new NewTopic(name, partitions, (short) 1);
        }).toList();
        try (Admin admin = admin()) {
            for (var result : admin.createTopics(topics).values().values()) {
                try {
                    result.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("creating topics " + List.of(names) + " failed: "
                                + e.getCause(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + List.of(names), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not create topics " + List.of(names) + " within "
                    + ADMIN_TIMEOUT, e);
        }
    }

    /** Stops the broker (waiting for it) and deletes its log directory. Closing twice does nothing more. */
    @Override
    public synchronized void close() {
        stop(server);
        delete(directory);
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis()));
    }

    private void awaitAnswer(Duration timeout) {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker on " + bootstrapServers + " did not answer within "
                    + timeout + ": " + e, e);
        }
    }

    private static Properties serverProperties(Path directory, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", directory.resolve("data").toString());
        for (String one : List.of("offsets.topic.replication.factor", "transaction.state.log.replication.factor",
                "transaction.state.log.min.isr", "share.coordinator.state.topic.replication.factor",
                "share.coordinator.state.topic.min.isr")) {
            p.put(one, "1");
        }
        p.put("offsets.topic.num.partitions", "4");   // the default 50 makes the first consumer group slow to start
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "true");
        return p;
    }

    /** Formats the log directory for a new cluster, as {@code kafka-storage.sh format} does. */
    private static void format(Path directory, Properties props) {
        Path config = directory.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "prorch EmbeddedKafka");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString()}, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException("formatting the broker's log directory " + directory + " failed (exit "
                    + exit + "): " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static void stop(KafkaRaftServer server) {
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                // a broker that failed half-way through starting may not stop cleanly; nothing is left to do
            }
        }
    }

    private static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    /** Turns the broker's INFO chatter down, unless the JVM configured those loggers itself. */
    private static void quietLogging() {
        for (String logger : List.of("kafka", "org.apache.kafka", "state.change.logger")) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }
}
