package io.prorch.examples.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Where the example's steps read and write, handed to them by the orchestrator's step factory.
 *
 * @param sources the directory holding one sample directory per database to back up
 * @param backups where archives are produced
 * @param secureStorage where archives are transferred to
 * @param notifications where completion notifications are written
 * @param archiveTime how long producing an archive takes, so the waiting step is visible
 */
public record BackupEnvironment(Path sources, Path backups, Path secureStorage, Path notifications,
                                Duration archiveTime) {

    /** @return the environment under {@code dataDir}, its directories created */
    public static BackupEnvironment under(Path dataDir, Duration archiveTime) throws IOException {
        BackupEnvironment env = new BackupEnvironment(dataDir.resolve("sources"), dataDir.resolve("backups"),
                dataDir.resolve("secure-storage"), dataDir.resolve("notifications"), archiveTime);
        for (Path dir : new Path[] {env.sources, env.backups, env.secureStorage, env.notifications}) {
            Files.createDirectories(dir);
        }
        return env;
    }

    /** Creates a small sample "database" directory to back up, unless it exists. */
    public Path sampleDatabase(String name) throws IOException {
        Path dir = sources.resolve(name);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            for (int table = 1; table <= 3; table++) {
                StringBuilder rows = new StringBuilder("id,name,amount\n");
                for (int row = 1; row <= 200; row++) {
                    rows.append(row).append(',').append(name).append('-').append(row).append(',')
                            .append(row * table * 7 % 1000).append('\n');
                }
                Files.writeString(dir.resolve("table" + table + ".csv"), rows);
            }
        }
        return dir;
    }

    /** @return the hex SHA-256 of {@code file} */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
