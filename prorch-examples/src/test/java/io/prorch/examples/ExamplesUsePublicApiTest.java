package io.prorch.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.classgraph.ClassGraph;
import io.github.classgraph.ScanResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples are what users copy: they use only the public API, never io.prorch.internal. */
class ExamplesUsePublicApiTest {

    @Test
    void noExampleDependsOnAnInternalPackage() {
        try (ScanResult scan = new ClassGraph().enableInterClassDependencies().enableExternalClasses()
                .acceptPackages("io.prorch.examples").scan()) {
            List<String> uses = scan.getAllClasses().stream()
                    .filter(c -> !c.isExternalClass())
                    .filter(c -> !c.getClasspathElementFile().getPath().contains("test-classes"))
                    .flatMap(c -> c.getClassDependencies().stream()
                            .filter(d -> d.getName().startsWith("io.prorch.internal")
                                    || d.getName().startsWith("io.prorch.jdbc.internal"))
                            .map(d -> c.getName() + " -> " + d.getName()))
                    .toList();

            assertThat(scan.getAllClasses()).isNotEmpty();
            assertThat(uses).isEmpty();
        }
    }
}
