package io.prorch;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Records hook calls in order, for assertions on the exact sequence. Thread-safe. */
public final class HookLog {
    /** One hook call. */
    public record Call(UUID pipelineId, String step, String hook) {
        @Override
        public String toString() {
            return step + "." + hook;
        }
    }

    private final List<Call> calls = new ArrayList<>();

    public synchronized void record(StepContext ctx, String hook) {
        calls.add(new Call(ctx.pipelineId(), ctx.stepName(), hook));
    }

    /** @return the calls since the last drain, as "Step.hook" strings, and forgets them */
    public synchronized List<String> drain() {
        List<String> names = calls.stream().map(Call::toString).toList();
        calls.clear();
        return names;
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }
}
