package io.prorch.examples.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** orch_serv's Task1/Task2 table, run over four loopback services. */
class FlowsMainTest {
    @Test
    @Timeout(60)
    void eachTaskCallsTheSharedBlocksInItsOwnOrder() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertThat(FlowsMain.run(new PrintStream(printed, true, StandardCharsets.UTF_8))).isTrue();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("Task1 | service1 -> service2 -> service3", "SWOLF_OLLEH")
                .contains("Task2 | service2 -> service4 -> service1", "HELLO_FLOWS!");
    }
}
