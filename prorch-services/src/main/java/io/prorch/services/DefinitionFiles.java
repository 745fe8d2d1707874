package io.prorch.services;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The definitions of a directory of JSON files, checked together.
 *
 * @param services the services found, in file order
 * @param workflows the workflows found, in file order
 */
record DefinitionFiles(List<ServiceDefinition> services, List<WorkflowDefinition> workflows) {

    /**
     * Reads every {@code *.json} file of {@code directory}: a document with {@code "address"} is a service, one with
     * {@code "services"} a workflow.
     *
     * @param registered the services registered already, which workflows may call
     * @throws UncheckedIOException if the directory cannot be read
     * @throws DefinitionException listing every problem of every file, each naming its file
     */
    public static DefinitionFiles read(Path directory, Map<String, ServiceDefinition> registered) {
        requireNonNull(directory, "directory");
        List<String> problems = new ArrayList<>();
        Map<String, ServiceDefinition> services = new LinkedHashMap<>();
        List<WorkflowDefinition> workflows = new ArrayList<>();
        Set<String> workflowNames = new HashSet<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list definitions in " + directory, e);
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Map<String, Object> map = Json.object(text, name);
                if (map.containsKey("address")) {
                    ServiceDefinition service = ServiceDefinition.fromJson(text);
                    if (services.putIfAbsent(service.name(), service) != null) {
                        problems.add(name + ": a second service named \"" + service.name() + "\"");
                    }
                    Validator.service(service).forEach(p -> problems.add(name + ": " + p));
                } else if (map.containsKey("services")) {
                    WorkflowDefinition workflow = WorkflowDefinition.fromJson(text);
                    if (!workflowNames.add(workflow.name())) {
                        problems.add(name + ": a second workflow named \"" + workflow.name() + "\"");
                    }
                    workflows.add(workflow);
                } else {
                    problems.add(name + ": neither a service (no \"address\") nor a workflow (no \"services\")");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            } catch (DefinitionException e) {
                e.problems().forEach(p -> problems.add(name + ": " + p));
            }
        }
        Map<String, ServiceDefinition> all = new LinkedHashMap<>(registered);
        all.putAll(services);
        workflows.forEach(w -> problems.addAll(Validator.workflow(w, all)));
        if (files.isEmpty()) {
            problems.add(directory + ": no *.json definition files");
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(problems);
        }
        return new DefinitionFiles(List.copyOf(services.values()), List.copyOf(workflows));
    }

    /** @return a version derived from the workflow's and its services' JSON: equal definitions, equal versions */
    public static int version(WorkflowDefinition workflow, Map<String, ServiceDefinition> services) {
        StringBuilder text = new StringBuilder(workflow.toJson());
        workflow.services().forEach(s -> text.append('\n').append(services.get(s).toJson()));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            int value = ((hash[0] & 0x7f) << 24) | ((hash[1] & 0xff) << 16) | ((hash[2] & 0xff) << 8) | (hash[3] & 0xff);
            return Math.max(1, value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
