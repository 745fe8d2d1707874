package io.prorch.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Definitions are checked when registered, and every problem is named in one answer. */
class ValidationTest {
    static final String UPPER = """
            {"name": "upper", "address": "http://127.0.0.1:1/",
             "inputs": [{"name": "message", "type": "string", "description": "The text"}],
             "outputs": [{"name": "message", "type": "string"}]}""";
    static final String COUNTER = """
            {"name": "space-counter", "address": "http://127.0.0.1:1/",
             "inputs": [{"name": "message", "type": "string"}],
             "outputs": [{"name": "space_count", "type": "int"}]}""";

    private final Services services = Services.builder().build();

    @Test
    void machineryJsonIsReadWithEveryField() {
        ServiceDefinition upper = ServiceDefinition.fromJson(UPPER);
        assertThat(upper.inputs()).containsExactly(new Field("message", "string", "The text"));
        assertThat(ServiceDefinition.fromJson(upper.toJson())).isEqualTo(upper);
        WorkflowDefinition workflow = WorkflowDefinition.fromJson("""
                {"name": "w", "services": ["upper"], "inputs": [], "outputs": [], "operations": [{"x": 1}]}""");
        assertThat(workflow.operations()).containsExactly(Map.of("x", 1L));
    }

    @Test
    void malformedDocumentsNameEachProblem() {
        assertThatThrownBy(() -> ServiceDefinition.fromJson("{\"name\": "))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ServiceDefinition.fromJson("[]")).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> ServiceDefinition.fromJson(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ServiceDefinition.fromJson("{\"name\": 3, \"inputs\": [{\"name\": \"a\"}]}"))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).hasSize(4)
                        .anySatisfy(p -> assertThat(p).contains("\"name\" must be a string"))
                        .anySatisfy(p -> assertThat(p).contains("\"address\" must be a string"))
                        .anySatisfy(p -> assertThat(p).contains("inputs[0] must be"))
                        .anySatisfy(p -> assertThat(p).contains("\"outputs\" is missing")));
        assertThatThrownBy(() -> ServiceDefinition.fromJson("{\"x\": \"" + "a".repeat(1 << 20) + "\"}"))
                .hasMessageContaining("over the limit");
    }

    @Test
    void aServiceWithBadNameAddressTypesAndDuplicatesIsRefusedWithAllOfThem() {
        ServiceDefinition bad = new ServiceDefinition("bad name", "ftp://x/", List.of(Field.of("a", FieldType.INT),
                new Field("a", "integer", null)), List.of(new Field("b", "strin", null)));

        assertThatThrownBy(() -> services.registerService(bad))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).hasSize(5)
                        .anySatisfy(p -> assertThat(p).contains("service name \"bad name\""))
                        .anySatisfy(p -> assertThat(p).contains("absolute http(s) URL"))
                        .anySatisfy(p -> assertThat(p).contains("\"a\": duplicate name"))
                        .anySatisfy(p -> assertThat(p).contains("unknown type \"integer\"", "string, int"))
                        .anySatisfy(p -> assertThat(p).contains("unknown type \"strin\"")));
        assertThat(services.services()).isEmpty();
    }

    @Test
    void aWorkflowIsCheckedAgainstTheServicesWithEveryProblemInOneAnswer() {
        services.registerService(ServiceDefinition.fromJson(UPPER));
        services.registerService(ServiceDefinition.fromJson(COUNTER));
        WorkflowDefinition bad = WorkflowDefinition.fromJson("""
                {"name": "w", "services": ["upper", "nope", "space-counter"],
                 "inputs": [{"name": "message", "type": "int"}, {"name": "x", "type": "decimal"}],
                 "outputs": [{"name": "space_count", "type": "string"}, {"name": "missing", "type": "bool"}],
                 "operations": []}""");

        assertThatThrownBy(() -> services.registerWorkflow(bad))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).hasSize(5)
                        .anySatisfy(p -> assertThat(p).contains("unknown type \"decimal\""))
                        .anySatisfy(p -> assertThat(p).contains("unknown service \"nope\"", "space-counter"))
                        .anySatisfy(p -> assertThat(p).contains("input \"message\" of service \"upper\"",
                                "type mismatch", "a string but the workflow's input provides a int"))
                        .anySatisfy(p -> assertThat(p).contains("output \"space_count\"", "type mismatch",
                                "service \"space-counter\""))
                        .anySatisfy(p -> assertThat(p).contains("output \"missing\"", "neither")));
        assertThat(services.workflows()).isEmpty();
    }

    @Test
    void anInputNothingProvidesIsNamed() {
        services.registerService(ServiceDefinition.fromJson(UPPER));
        assertThatThrownBy(() -> services.registerWorkflow(new WorkflowDefinition("w", List.of("upper"), List.of(),
                List.of(), List.of())))
                .hasMessageContaining("input \"message\" of service \"upper\": neither the workflow's inputs nor an"
                        + " earlier service's outputs provide it");
        assertThatThrownBy(() -> services.registerWorkflow(new WorkflowDefinition("w", List.of(), List.of(),
                List.of(), List.of()))).hasMessageContaining("\"services\" is empty");
    }

    @Test
    void changingAServiceThatWouldBreakAWorkflowIsRefused() {
        services.registerService(ServiceDefinition.fromJson(UPPER));
        services.registerService(ServiceDefinition.fromJson(COUNTER));
        services.registerWorkflow(WorkflowDefinition.fromJson("""
                {"name": "w", "services": ["upper", "space-counter"], "inputs": [{"name": "message", "type": "string"}],
                 "outputs": [{"name": "space_count", "type": "int"}]}"""));

        assertThatThrownBy(() -> services.registerService(new ServiceDefinition("space-counter", "http://h/",
                List.of(Field.of("message", FieldType.STRING)), List.of(Field.of("count", FieldType.INT)))))
                .hasMessageContaining("workflow \"w\": output \"space_count\"");
        assertThat(services.services().get("space-counter").outputs()).extracting(Field::name)
                .containsExactly("space_count");
    }

    @Test
    void aDirectoryIsLoadedWithAllProblemsOfAllFilesAndNothingRegisteredIfAnyIsBad(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("service-upper.json"), UPPER);
        Files.writeString(dir.resolve("service-upper-again.json"), UPPER);
        Files.writeString(dir.resolve("broken.json"), "{");
        Files.writeString(dir.resolve("workflow.json"), """
                {"name": "w", "services": ["upper", "ghost"], "inputs": [{"name": "message", "type": "string"}],
                 "outputs": []}""");

        assertThatThrownBy(() -> services.load(dir))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).hasSize(3)
                        .anySatisfy(p -> assertThat(p).contains("broken.json", "not valid JSON"))
                        .anySatisfy(p -> assertThat(p).contains("service-upper.json",
                                "a second service named \"upper\""))
                        .anySatisfy(p -> assertThat(p).contains("unknown service \"ghost\"")));
        assertThat(services.services()).isEmpty();

        Files.delete(dir.resolve("broken.json"));
        Files.delete(dir.resolve("service-upper.json"));
        Files.writeString(dir.resolve("workflow.json"), """
                {"name": "w", "services": ["upper"], "inputs": [{"name": "message", "type": "string"}],
                 "outputs": [{"name": "message", "type": "string"}]}""");
        assertThat(services.load(dir)).extracting(Registration::id).containsExactly("upper", "w");
    }

    @Test
    void theSameDefinitionsGiveTheSameVersionAndAChangeANewOne() {
        Services other = Services.builder().build();
        for (Services s : List.of(services, other)) {
            s.registerService(ServiceDefinition.fromJson(UPPER));
        }
        WorkflowDefinition w = new WorkflowDefinition("w", List.of("upper"), List.of(Field.of("message",
                FieldType.STRING)), List.of(), List.of());
        int version = services.registerWorkflow(w).version();
        assertThat(other.registerWorkflow(w).version()).isEqualTo(version).isPositive();
        assertThat(services.registerWorkflow(new WorkflowDefinition("w", List.of("upper", "upper"), w.inputs(),
                List.of(), List.of())).version()).isNotEqualTo(version);
    }
}
