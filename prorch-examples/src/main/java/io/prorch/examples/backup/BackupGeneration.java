package io.prorch.examples.backup;

import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Step;
import io.prorch.StepContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 1: archives the database directory named by the pipeline input {@code database}. {@code onStart} starts the
 * archive in the background and returns; {@code onContinue} finishes the step once the archive is complete (it is
 * written to a {@code .part} file and renamed at the end, so a complete file is never confused with a partial one).
 * After a crash the archive job is gone: {@code onContinue} sees no job and no archive, and starts it again.
 */
@Step(name = "BackupGeneration")
public final class BackupGeneration implements OnStart, OnContinue {
    private static final Logger LOG = LoggerFactory.getLogger(BackupGeneration.class);
    private static final Map<Path, Future<?>> RUNNING = new ConcurrentHashMap<>();
    private static final ExecutorService ARCHIVERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "archiver");
        thread.setDaemon(true);
        return thread;
    });

    private final BackupEnvironment env;

    /** @param env where to read the database and write the archive */
    public BackupGeneration(BackupEnvironment env) {
        this.env = env;
    }

    @Override
    public void onStart(StepContext ctx) throws IOException {
        String database = ctx.pipelineMetadata().getString("database");
        // named after the pipeline, so a repeated onStart (after a crash) reuses the same file
        Path archive = env.backups().resolve("backup-" + database + "-" + ctx.pipelineId() + ".zip");
        ctx.metadata().put("archive", archive.toString());
        startArchiving(env.sampleDatabase(database), archive);
        LOG.info("pipeline {}: archiving database \"{}\" to {}", shortId(ctx), database, archive.getFileName());
    }

    @Override
    public void onContinue(StepContext ctx) throws IOException {
        Path archive = Path.of(ctx.metadata().getString("archive"));
        if (Files.exists(archive)) {
            ctx.pipelineMetadata().put("archive", archive.toString())
                    .put("size", Files.size(archive))
                    .put("sha256", BackupEnvironment.sha256(archive));
            ctx.finish();
        } else if (!RUNNING.containsKey(archive)) {
            // no archive and nobody making it: the process that started it is gone
            ctx.metadata().put("restarts", ctx.metadata().getLong("restarts", 0) + 1);
            startArchiving(env.sampleDatabase(ctx.pipelineMetadata().getString("database")), archive);
            LOG.info("pipeline {}: archive job was lost (restart?); started it again", shortId(ctx));
        }
    }

    private void startArchiving(Path source, Path archive) {
        RUNNING.computeIfAbsent(archive, key -> ARCHIVERS.submit(() -> {
            try {
                Path part = archive.resolveSibling(archive.getFileName() + ".part");
                zip(source, part);
                Thread.sleep(env.archiveTime().toMillis());
                Files.move(part, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                LOG.warn("archiving {} failed: {}", source, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                RUNNING.remove(archive);
            }
            return null;
        }));
    }

    private static void zip(Path source, Path target) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(target); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Path file : files) {
                ZipEntry entry = new ZipEntry(source.relativize(file).toString());
                entry.setTime(0); // the same input gives the same bytes, so a re-run gives the same checksum
                zip.putNextEntry(entry);
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
    }

    static String shortId(StepContext ctx) {
        return TransitionPrinter.shortId(ctx.pipelineId());
    }
}
