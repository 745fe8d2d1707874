package io.prorch.services;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service side: exposes a Java service's commands over HTTP ({@code POST /{command}}), each run at most once per
 * idempotency key. A request is either an {@link Envelope} (orch_serv; answered with an envelope) or a plain JSON
 * object of inputs (machinery; answered with the outputs). The key is the {@code Idempotency-Key} header, else the
 * envelope's id; a repeated key is answered with the first answer, without running the command again, also while
 * the first one still runs. Serve it with {@link ServicesServer}: {@code ServicesServer.start(endpoint::handle, ...)}.
 *
 * <pre>{@code
 * ServiceEndpoint upper = ServiceEndpoint.builder()
 *         .command("upper", data -> Map.of("message", ((String) data.get("message")).toUpperCase()))
 *         .build();
 * }</pre>
 *
 * <p>A command that throws {@link IllegalArgumentException} answers {@code 422} with its message (remembered: the
 * same input fails the same way); any other exception answers {@code 500} and is forgotten, so a retry runs it again.
 * Keys are remembered in memory, the last {@link Builder#remember(int)} of them. Thread-safe.
 */
public final class ServiceEndpoint {
    /** A command: data in, results out. */
    @FunctionalInterface
    public interface Command {
        /**
         * @param data the request's data (JSON-compatible values)
         * @return the results, JSON-compatible
         * @throws IllegalArgumentException if the data is wrong for the command (answers 422)
         * @throws Exception for any other failure (answers 500; the caller retries)
         */
        Map<String, Object> run(Map<String, Object> data) throws Exception;
    }

    /** What to do after a command's main task (orch_serv's post-processing), once per key, off the request. */
    @FunctionalInterface
    public interface Afterwards {
        /**
         * @param data the request's data
         * @param results what the command answered
         * @throws Exception ignored after being counted; the answer was sent already
         */
        void run(Map<String, Object> data, Map<String, Object> results) throws Exception;
    }

    private record Entry(Command command, Afterwards afterwards) {
    }

    private final Map<String, Entry> commands;
    private final int remember;
    private final Clock clock;
    private final Map<String, CompletableFuture<ApiResponse>> answers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
    /** The length of {@link #order}, kept apart: the queue counts itself by walking every node. */
    private final AtomicInteger remembered = new AtomicInteger();
    private final Map<String, AtomicLong> runsByKey = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final ExecutorService after = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "prorch-service-afterwards");
        t.setDaemon(true);
        return t;
    });

    private ServiceEndpoint(Builder b) {
        this.commands = Map.copyOf(b.commands);
        this.remember = b.remember;
        this.clock = b.clock;
    }

    /** @return a builder with no commands */
    public static Builder builder() {
        return new Builder();
    }

    /** @return requests received */
    public long requests() {
        return requests.get();
    }

    /** @return commands run to an answer */
    public long applied() {
        return applied.get();
    }

    /** @return requests answered from memory because their key was seen */
    public long replayed() {
        return replayed.get();
    }

    /** @return keys whose command ran to an answer more than once (stays 0 unless a key was forgotten) */
    public long appliedTwice() {
        return runsByKey.values().stream().filter(n -> n.get() > 1).count();
    }

    /**
     * Answers one request; never throws for bad input.
     *
     * @throws NullPointerException if {@code request} is null
     */
    public ApiResponse handle(ApiRequest request) {
        requireNonNull(request, "request");
        requests.incrementAndGet();
        String name = Json.trimSlashes(request.path(), true);
        Entry entry = commands.get(name);
        if (!request.method().equals("POST") || entry == null) {
            return error(404, "no command POST /" + name + "; commands: " + commands.keySet());
        }
        Map<String, Object> body;
        try {
            body = Json.object(request.body(), "the request");
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
        Envelope envelope = null;
        if (body.containsKey("flow") && body.containsKey("step") && body.containsKey("id")) {
            try {
                envelope = Envelope.fromJson(request.body());
            } catch (IllegalArgumentException e) {
                return error(400, e.getMessage());
            }
        }
        String key = request.header("Idempotency-Key").orElse(envelope == null ? null : envelope.id());
        if (key == null) {
            return run(entry, envelope, body, null);
        }
        CompletableFuture<ApiResponse> mine = new CompletableFuture<>();
        CompletableFuture<ApiResponse> first = answers.putIfAbsent(key, mine);
        if (first != null) {
            replayed.incrementAndGet();
            try {
                return first.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                return error(503, "the first request with this key is still running; retry");
            }
        }
        ApiResponse response = run(entry, envelope, body, key);
        mine.complete(response);
        if (response.status() >= 500) {
            answers.remove(key, mine);
        } else {
            order.add(key);
            if (remembered.incrementAndGet() > remember) {
                String old = order.poll();
                if (old != null) {
                    remembered.decrementAndGet();
                    answers.remove(old);
                    runsByKey.remove(old);
                }
            }
        }
        return response;
    }

    private ApiResponse run(Entry entry, Envelope envelope, Map<String, Object> body, String key) {
        Map<String, Object> data = envelope != null ? envelope.data() : body;
        try {
            Map<String, Object> results = requireNonNull(entry.command().run(data), "command results");
            applied.incrementAndGet();
            if (key != null) {
                runsByKey.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
            }
            if (entry.afterwards() != null) {
                after.execute(() -> {
                    try {
                        entry.afterwards().run(data, results);
                    } catch (Exception ignored) {
                        // the answer is out; post-processing failures are the service's to log
                    }
                });
            }
            return new ApiResponse(200, envelope != null ? envelope.answer(results, clock.instant()).toJson()
                    : Json.write(results));
        } catch (IllegalArgumentException e) {
            return envelope != null ? new ApiResponse(422, envelope.failure(e.getMessage(), clock.instant()).toJson())
                    : error(422, e.getMessage());
        } catch (Exception e) {
            return error(500, String.valueOf(e));
        }
    }

    private static ApiResponse error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        return new ApiResponse(status, Json.write(body));
    }

    /** Collects commands. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Entry> commands = new LinkedHashMap<>();
        private int remember = 100_000;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Adds a command served at {@code POST /{name}}.
         *
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if the name is not 1 to 100 letters, digits, '.', '_' or '-', or taken
         */
        public Builder command(String name, Command command) {
            return command(name, command, null);
        }

        /**
         * Adds a command and what to do after it (orch_serv's post-processing).
         *
         * @param afterwards run once per key after the answer, off the request thread; null for nothing
         * @throws NullPointerException if {@code name} or {@code command} is null
         * @throws IllegalArgumentException if the name is not 1 to 100 letters, digits, '.', '_' or '-', or taken
         */
        public Builder command(String name, Command command, Afterwards afterwards) {
            requireNonNull(name, "name");
            requireNonNull(command, "command");
            if (!Validator.NAME.matcher(name).matches() || commands.containsKey(name)) {
                throw new IllegalArgumentException("command name \"" + name + "\" must be 1 to 100 letters, digits,"
                        + " '.', '_' or '-', and not taken");
            }
            commands.put(name, new Entry(command, afterwards));
            return this;
        }

        /**
         * How many keys are remembered (the oldest are forgotten first). Default: 100000.
         *
         * @throws IllegalArgumentException if not in [1, 10000000]
         */
        public Builder remember(int keys) {
            if (keys < 1 || keys > 10_000_000) {
                throw new IllegalArgumentException("remember must be in [1, 10000000], but was " + keys);
            }
            this.remember = keys;
            return this;
        }

        /**
         * The clock of {@code answered_at}. Default: {@link Clock#systemUTC()}.
         *
         * @throws NullPointerException if {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the endpoint
         * @throws IllegalStateException if no command was added
         */
        public ServiceEndpoint build() {
            if (commands.isEmpty()) {
                throw new IllegalStateException("no commands: add at least one with command(name, command)");
            }
            return new ServiceEndpoint(this);
        }
    }
}
