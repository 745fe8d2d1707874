package io.prorch.services;

import io.prorch.Orchestrator;
import java.time.Duration;
import java.util.Map;

/** The child JVM of {@link KillMidCallTest}: starts one event of workflow "w" and waits to be killed. */
public final class KilledOrchestratorMain {
    private KilledOrchestratorMain() {
    }

    /** @param args the H2 URL and the address of service "hold" */
    public static void main(String[] args) throws Exception {
        Services services = KillMidCallTest.services(args[1]);
        Orchestrator orchestrator = KillMidCallTest.orchestrator(services, args[0]);
        orchestrator.startPolling(Duration.ofMillis(50));
        System.out.println("started " + services.submit("w", Map.of("message", "held"), "the-event").id());
        System.out.flush();
        Thread.sleep(60_000);   // bounded: the test kills it long before
        System.exit(3);
    }
}
