package io.prorch.examples.backup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The example's command-line options.
 *
 * @param dataDir where the H2 database, the sample data and the backups live
 * @param jdbcUrl the database, or null for the embedded H2 file database under {@code dataDir}
 * @param user the database user, or null
 * @param password the database password, or null
 * @param pipelines how many pipelines to start when none is left unfinished
 * @param maxPasses stop after this many passes (0: when every pipeline ended)
 * @param pollInterval pause between passes
 * @param archiveTime how long generating one backup takes
 * @param metrics whether to record Micrometer meters and print them at the end
 * @param webPort the port of the status page (0: any free one), or -1 for none
 * @param help whether to print the usage and exit
 */
record Options(Path dataDir, String jdbcUrl, String user, String password, int pipelines, int maxPasses,
               Duration pollInterval, Duration archiveTime, boolean metrics, int webPort, boolean help) {

    static final String USAGE = """
            Usage: java -jar prorch-examples/target/prorch-examples.jar [options]

            Runs the backup automation pipeline (BackupGeneration -> BackupTransfer -> ProcessCompletionNotification)
            on an embedded H2 database, printing every transition. Stop it at any moment (Ctrl-C, or --max-passes):
            the next run resumes the unfinished pipelines where they stopped.

              --data-dir DIR      where the database, sample data and backups live (default: prorch-example-data)
              --jdbc-url URL      use this database instead of the embedded H2 file (PostgreSQL, MariaDB work the same)
              --user NAME         database user (default: none; "sa" for the embedded H2)
              --password SECRET   database password (default: none)
              --pipelines N       pipelines to start when none is unfinished (default: 3)
              --max-passes N      stop after N passes, leaving the rest for the next run (default: run to the end)
              --poll-ms N         pause between passes in milliseconds (default: 200)
              --archive-ms N      how long generating one backup takes in milliseconds (default: 700)
              --metrics           record prorch's Micrometer meters and print them at the end
              --web PORT          serve the status page on 127.0.0.1:PORT (0: any free port) while the pipelines
                                  run and afterwards, until Ctrl-C
              --help              show this help
            """;

    /** @throws IllegalArgumentException with a one-line message for any bad option */
    static Options parse(String... args) {
        Path dataDir = Path.of("prorch-example-data");
        String jdbcUrl = null;
        String user = null;
        String password = null;
        int pipelines = 3;
        int maxPasses = 0;
        long pollMs = 200;
        long archiveMs = 700;
        boolean metrics = false;
        int webPort = -1;
        boolean help = false;
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            switch (option) {
                case "--help", "-h" -> help = true;
                case "--metrics" -> metrics = true;
                case "--data-dir" -> dataDir = Path.of(value(option, rest));
                case "--jdbc-url" -> jdbcUrl = value(option, rest);
                case "--user" -> user = value(option, rest);
                case "--password" -> password = value(option, rest);
                case "--pipelines" -> pipelines = number(option, rest, 1, 1000);
                case "--max-passes" -> maxPasses = number(option, rest, 1, Integer.MAX_VALUE);
                case "--poll-ms" -> pollMs = number(option, rest, 1, 60_000);
                case "--archive-ms" -> archiveMs = number(option, rest, 0, 600_000);
                case "--web" -> webPort = number(option, rest, 0, 65_535);
                default -> throw new IllegalArgumentException("unknown option " + option + " (see --help)");
            }
        }
        return new Options(dataDir, jdbcUrl, user, password, pipelines, maxPasses, Duration.ofMillis(pollMs),
                Duration.ofMillis(archiveMs), metrics, webPort, help);
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value (see --help)");
        }
        return rest.remove(0);
    }

    private static int number(String option, List<String> rest, int min, int max) {
        String text = value(option, rest);
        try {
            int n = Integer.parseInt(text);
            if (n < min || n > max) {
                throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not \"" + text + "\"");
        }
    }
}
