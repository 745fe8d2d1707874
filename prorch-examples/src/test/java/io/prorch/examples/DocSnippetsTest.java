package io.prorch.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Java snippet of the README and of {@code docs/} compiles against the real API: class declarations become
 * members of a wrapper class, the rest the body of a method, and the names the prose takes for granted
 * ({@code dataSource}, {@code orchestrator}, {@code startDump()}, ...) are declared by {@link #PRELUDE}.
 */
class DocSnippetsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);
    private static final String IMPORTS = String.join("\n",
            "import io.prorch.*;", "import io.prorch.repository.*;", "import io.prorch.test.*;", "import io.prorch.test.contract.*;",
            "import io.prorch.jdbc.*;", "import io.prorch.micrometer.*;", "import io.prorch.web.*;",
            "import io.prorch.examples.backup.*;",
            "import io.prorch.examples.filerepo.JsonFileRepository;", "import io.micrometer.core.instrument.MeterRegistry;",
            "import io.micrometer.observation.ObservationRegistry;", "import java.time.*;", "import java.util.*;",
            "import java.nio.file.Path;", "import java.sql.Connection;", "import javax.sql.DataSource;",
            "import org.junit.jupiter.api.Test;", "import org.junit.jupiter.api.io.TempDir;",
            "import io.prorch.examples.boot.*;", "import io.prorch.spring.boot.*;",
            "import org.springframework.context.annotation.Bean;", "import org.springframework.stereotype.Service;", "");
    /** What the snippets may use without declaring it. */
    static final String PRELUDE = String.join("\n",
            "DataSource dataSource; Connection connection; JdbcRepository repository; Orchestrator orchestrator;",
            "MeterRegistry meterRegistry; ObservationRegistry observationRegistry; PipelineListener myListener;",
            "UUID pipelineId; org.jdbi.v3.core.Jdbi jdbi; String orderId;",
            "interface Context { Object getBean(Class<?> type); } Context context;",
            "static class MyPipeline {} static class Fulfilment {} static class LegacyPipeline {}",
            "String startDump() { return \"dump-1\"; } boolean dumpDone(String id) { return true; }", "");

    record Snippet(String file, int index, String code) {
        @Override
        public String toString() {
            return file + " #" + index;
        }
    }

    static Stream<Snippet> snippets() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<Snippet> all = new ArrayList<>();
        for (Path file : files) {
            Matcher m = JAVA_BLOCK.matcher(Files.readString(file));
            for (int i = 1; m.find(); i++) {
                all.add(new Snippet(ROOT.relativize(file).toString(), i, m.group(1)));
            }
        }
        assertThat(all).as("snippets found").hasSizeGreaterThanOrEqualTo(6);
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void compiles(Snippet snippet) {
        String className = "Snippet" + Math.abs(snippet.toString().hashCode());
        StringBuilder imports = new StringBuilder();
        StringBuilder members = new StringBuilder();
        StringBuilder statements = new StringBuilder();
        int depth = -1;   // -1: in statements; else the brace depth inside a declaration
        for (String line : snippet.code().split("\n", -1)) {
            if (depth < 0 && line.startsWith("import ")) {
                imports.append(line).append('\n');
                continue;
            }
            if (depth < 0 && (line.startsWith("@") || line.matches("(public |abstract |final )*(class|record|"
                    + "interface|enum) .*"))) {
                depth = 0;
            }
            (depth >= 0 ? members : statements).append(line).append('\n');
            if (depth >= 0) {
                long opened = line.chars().filter(c -> c == '{').count();
                depth += (int) (opened - line.chars().filter(c -> c == '}').count());
                if (depth == 0 && (opened > 0 || line.startsWith("}"))) {
                    depth = -1;
                }
            }
        }
        String source = IMPORTS + imports + "abstract class " + className + " {\n" + PRELUDE + members
                + "void run() throws Exception {\n" + statements + "}\n}\n";

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + className + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        Path out = createTempDir();
        boolean ok = compiler.getTask(null, null, diagnostics, List.of("-proc:none", "-d", out.toString(),
                "-classpath", System.getProperty("java.class.path")), null, List.of(file)).call();

        assertThat(ok).as(snippet + " does not compile:\n" + diagnostics.getDiagnostics().stream()
                .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT)).toList()
                + "\n--- as compiled:\n" + source).isTrue();
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("prorch-snippets");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
