package io.prorch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The public API never exposes the engine, and every internal package is marked as such. */
class ArchitectureTest {

    @Test
    void noPublicSignatureOfTheApiMentionsAnInternalType() {
        try (ScanResult scan = new ClassGraph().enableClassInfo().enableMethodInfo()
                .acceptPackagesNonRecursive("io.prorch", "io.prorch.repository").scan()) {
            List<String> leaks = scan.getAllClasses().stream()
                    .filter(c -> c.isPublic() && !c.getClasspathElementFile().getPath().contains("test-classes"))
                    .map(ClassInfo::loadClass)
                    .flatMap(type -> Arrays.stream(type.getDeclaredMethods())
                            .filter(m -> Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers()))
                            .filter(m -> Stream.concat(Stream.of(m.getReturnType()), Arrays.stream(m.getParameterTypes()))
                                    .anyMatch(t -> t.getName().startsWith("io.prorch.internal")))
                            .map(m -> type.getSimpleName() + "." + m.getName()))
                    .toList();

            assertThat(leaks).isEmpty();
        }
    }

    @Test
    void everyInternalPackageSaysItIsNotApi() {
        try (ScanResult scan = new ClassGraph().enableClassInfo().acceptPackages("io.prorch.internal").scan()) {
            List<String> packages = scan.getAllClasses().stream()
                    .filter(c -> !c.getClasspathElementFile().getPath().contains("test-classes"))
                    .map(ClassInfo::getPackageName).distinct().toList();

            assertThat(packages).isNotEmpty().allSatisfy(pkg -> {
                Package p = Class.forName(pkg + ".package-info").getPackage();
                assertThat(p).as(pkg).isNotNull();
            });
        }
    }
}
