package io.prorch.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package structure of every module (this module sees them all): no package cycles, the SPI on its own, the
 * engine out of sight. The root package of prorch-core, {@code io.prorch}, is the facade: it wires the engine and
 * holds the API types the engine works with (hooks, context, status), so it is the one package left out of the cycle
 * check; every other package, public or internal, must form no cycle.
 */
class ArchitectureTest {
    private static final JavaClasses PRORCH = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // the other modules arrive as jars (prorch-test's kit among them, checked as main code); test-jars are tests
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.prorch");

    @Test
    void noPackageFormsACycle() {
        slices().matching("io.prorch.(**)").should().beFreeOfCycles().check(PRORCH);
    }

    @Test
    void theRepositorySpiImportsNothingInternal() {
        noClasses().that().resideInAPackage("io.prorch.repository..")
                .should().dependOnClassesThat().resideInAPackage("..internal..").check(PRORCH);
    }

    @Test
    void noPublicPackageImportsTheInternalsOfAnotherModule() {
        noClasses().that().resideOutsideOfPackage("io.prorch.jdbc..")
                .should().dependOnClassesThat().resideInAPackage("io.prorch.jdbc.internal..").check(PRORCH);
        noClasses().that().resideOutsideOfPackage("io.prorch.kafka..")
                .should().dependOnClassesThat().resideInAPackage("io.prorch.kafka.internal..").check(PRORCH);
        noClasses().that().resideOutsideOfPackage("io.prorch.web..")
                .should().dependOnClassesThat().resideInAPackage("io.prorch.web.internal..").check(PRORCH);
        noClasses().that().resideOutsideOfPackage("io.prorch").and().resideOutsideOfPackage("io.prorch.internal..")
                .should().dependOnClassesThat().resideInAPackage("io.prorch.internal..").check(PRORCH);
    }

    @Test
    void theStatusPageImplementationSeesOnlyTheCoresPublicApi() {
        noClasses().that().resideInAPackage("io.prorch.web.internal..")
                .should().dependOnClassesThat().resideInAnyPackage("io.prorch.internal..", "io.prorch.web",
                        "io.prorch.web.servlet").check(PRORCH);
    }

    @Test
    void theClassesCheckedAreTheModulesOwn() {
        // guards the rules above against an import that silently finds nothing
        org.assertj.core.api.Assertions.assertThat(PRORCH.stream().map(c -> c.getPackageName()).distinct())
                .contains("io.prorch", "io.prorch.repository", "io.prorch.internal.engine", "io.prorch.jdbc",
                        "io.prorch.jdbc.internal.sql", "io.prorch.micrometer", "io.prorch.test", "io.prorch.test.contract",
                        "io.prorch.spring.boot", "io.prorch.web", "io.prorch.web.internal", "io.prorch.web.servlet",
                        "io.prorch.examples.backup", "io.prorch.examples.boot",
                        "io.prorch.kafka", "io.prorch.kafka.internal", "io.prorch.kafka.test",
                        "io.prorch.examples.kafka", "io.prorch.services", "io.prorch.examples.machinery",
                        "io.prorch.examples.flows");
    }
}
