package io.prorch.examples.boot;

import io.prorch.Orchestrator;
import io.prorch.PipelineView;
import io.prorch.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Places an order per customer (default Ada, Grace, Linus; {@code --customers=A,B}), starts an
 * {@link OrderFulfilmentPipeline} for each, waits until the starter's polling orchestrator has run them to the end,
 * prints each order's status, and exits. The orchestrator, its repository on the application's DataSource and its
 * polling come from prorch-spring-boot-starter; nothing here configures prorch. Runs on an in-memory H2 database
 * unless {@code --spring.datasource.url=jdbc:postgresql://...} says otherwise.
 *
 * <pre>
 * java -cp prorch-examples/target/prorch-examples.jar io.prorch.examples.boot.BootSampleApplication
 * </pre>
 */
@SpringBootApplication
public class BootSampleApplication {

    public static void main(String[] args) {
        // run, then close: the context's shutdown closes the orchestrator, releasing its claims
        try (ConfigurableApplicationContext context = application().run(args)) {
            System.out.println("All orders processed; shutting down.");
        }
    }

    /** @return the application with its defaults: in-memory H2, its Flyway migration, a quick poll */
    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(BootSampleApplication.class);
        application.setDefaultProperties(Map.of(
                "spring.datasource.url", "jdbc:h2:mem:boot-sample;DB_CLOSE_DELAY=-1",
                "spring.flyway.locations", "classpath:io/prorch/examples/boot/db",
                "spring.main.banner-mode", "off",
                "prorch.poll-interval", "200ms"));
        return application;
    }

    @Bean
    ApplicationRunner placeOrders(OrderBook orders, Orchestrator orchestrator) {
        return args -> {
            List<String> customers = customers(args);
            List<String[]> placed = new ArrayList<>();
            for (String customer : customers) {
                String orderId = orders.place(customer);
                UUID pipeline = orchestrator.start(OrderFulfilmentPipeline.class, Map.of("orderId", orderId));
                placed.add(new String[] {customer, orderId, pipeline.toString()});
            }
            System.out.printf("%-8s  %-36s  %-9s  %s%n", "customer", "pipeline", "pipeline", "order");
            for (String[] order : placed) {
                PipelineView view = awaitEnd(orchestrator, UUID.fromString(order[2]), Duration.ofSeconds(30));
                System.out.printf("%-8s  %-36s  %-9s  %s%n", order[0], order[2], view.status().name().toLowerCase(),
                        orders.status(order[1]));
            }
        };
    }

    private static List<String> customers(ApplicationArguments args) {
        List<String> values = args.getOptionValues("customers");
        if (values == null || values.isEmpty()) {
            return List.of("Ada", "Grace", "Linus");
        }
        return values.stream().flatMap(v -> List.of(v.split(",")).stream()).map(String::strip)
                .filter(v -> !v.isEmpty()).toList();
    }

    /** Waits while polling (not this thread) drives the pipeline. */
    static PipelineView awaitEnd(Orchestrator orchestrator, UUID id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        PipelineView view = orchestrator.find(id).orElseThrow();
        while (view.status() == Status.PENDING && System.nanoTime() < deadline) {
            Thread.sleep(50);
            view = orchestrator.find(id).orElseThrow();
        }
        return view;
    }
}
