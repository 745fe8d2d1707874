package io.prorch.examples.backup;

import io.prorch.OnStart;
import io.prorch.Step;
import io.prorch.StepContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Step 3: writes a notification (a log line and a file) that the backup is safely stored. */
@Step(name = "ProcessCompletionNotification")
public final class ProcessCompletionNotification implements OnStart {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessCompletionNotification.class);
    private final BackupEnvironment env;

    /** @param env where notifications go */
    public ProcessCompletionNotification(BackupEnvironment env) {
        this.env = env;
    }

    @Override
    public void onStart(StepContext ctx) throws IOException {
        String text = "Backup of database \"" + ctx.pipelineMetadata().getString("database") + "\" completed: "
                + ctx.pipelineMetadata().getString("storedAt") + " (" + ctx.pipelineMetadata().getLong("size")
                + " bytes, sha256 " + ctx.pipelineMetadata().getString("sha256") + ")\n";
        // one file per pipeline, overwritten by a repeated run: the notification is sent once in effect
        Path file = env.notifications().resolve(ctx.pipelineId() + ".txt");
        Files.writeString(file, text);
        ctx.metadata().put("notification", file.toString());
        LOG.info("pipeline {}: {}", BackupGeneration.shortId(ctx), text.strip());
    }
}
