package io.prorch.examples.backup;

import io.prorch.Pipeline;

/** The backup automation process: generate the backup, transfer it to secure storage, notify. */
@Pipeline(name = "BackupAutomationPipeline",
        steps = {BackupGeneration.class, BackupTransfer.class, ProcessCompletionNotification.class})
public final class BackupAutomationPipeline {
}
