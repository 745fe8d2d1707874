package io.prorch.examples.backup;

import io.prorch.OnStart;
import io.prorch.Step;
import io.prorch.StepContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 2: copies the archive to secure storage and verifies its SHA-256 against the one recorded by step 1. A
 * mismatch throws, so the attempt is retried with backoff. Copying to a temporary name and renaming makes a repeated
 * run (at-least-once) harmless.
 */
@Step(name = "BackupTransfer", maxAttempts = 3, initialBackoffMillis = 200)
public final class BackupTransfer implements OnStart {
    private static final Logger LOG = LoggerFactory.getLogger(BackupTransfer.class);
    private final BackupEnvironment env;

    /** @param env where secure storage is */
    public BackupTransfer(BackupEnvironment env) {
        this.env = env;
    }

    @Override
    public void onStart(StepContext ctx) throws IOException {
        Path archive = Path.of(ctx.pipelineMetadata().getString("archive"));
        String expected = ctx.pipelineMetadata().getString("sha256");
        Path stored = env.secureStorage().resolve(archive.getFileName());
        Path part = stored.resolveSibling(stored.getFileName() + ".part");
        Files.copy(archive, part, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, stored, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        String actual = BackupEnvironment.sha256(stored);
        if (!actual.equals(expected)) {
            Files.deleteIfExists(stored);
            throw new IOException("checksum of " + stored + " is " + actual + ", expected " + expected);
        }
        ctx.pipelineMetadata().put("storedAt", stored.toString());
        ctx.metadata().put("verifiedSha256", actual);
        LOG.info("pipeline {}: archive stored in secure storage, checksum verified", BackupGeneration.shortId(ctx));
    }
}
