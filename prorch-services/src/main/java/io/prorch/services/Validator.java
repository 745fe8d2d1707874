package io.prorch.services;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks definitions, collecting every problem with the definition, the field and the fix in each message. */
final class Validator {
    /** What service and workflow names look like: they appear in URLs and step names. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private Validator() {
    }

    /** @return every problem of {@code service} on its own; empty if it is valid */
    public static List<String> service(ServiceDefinition service) {
        List<String> problems = new ArrayList<>();
        String where = "service \"" + service.name() + "\"";
        name(service.name(), "service", problems);
        String address = service.address();
        try {
            URI uri = address == null ? null : new URI(address);
            if (uri == null || !uri.isAbsolute() || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                problems.add(where + ": address \"" + address + "\" must be an absolute http(s) URL such as"
                        + " \"http://upper.local:5000/\"");
            }
        } catch (java.net.URISyntaxException e) {
            problems.add(where + ": address \"" + address + "\" is not a URL (" + e.getReason() + ")");
        }
        fields(service.inputs(), where + " input", problems);
        fields(service.outputs(), where + " output", problems);
        return problems;
    }

    /**
     * @param services the registered services by name
     * @return every problem of {@code workflow} against {@code services}; empty if it is valid
     */
    public static List<String> workflow(WorkflowDefinition workflow, Map<String, ServiceDefinition> services) {
        List<String> problems = new ArrayList<>();
        String where = "workflow \"" + workflow.name() + "\"";
        name(workflow.name(), "workflow", problems);
        fields(workflow.inputs(), where + " input", problems);
        fields(workflow.outputs(), where + " output", problems);
        if (workflow.services().isEmpty()) {
            problems.add(where + ": \"services\" is empty; list at least one registered service");
        }
        Map<String, Source> provided = new HashMap<>();
        workflow.inputs().forEach(f -> provided.put(f.name(), new Source(f.type(), "the workflow's input")));
        for (String name : workflow.services()) {
            ServiceDefinition service = services.get(name);
            if (service == null) {
                problems.add(where + ": unknown service \"" + name + "\"; register it first (registered: "
                        + services.keySet().stream().sorted().toList() + ")");
                continue;
            }
            for (Field input : service.inputs()) {
                check(provided.get(input.name()), input, where + ": input \"" + input.name() + "\" of service \""
                        + name + "\"", "neither the workflow's inputs nor an earlier service's outputs provide it;"
                        + " add it to the workflow's inputs", problems);
            }
            service.outputs().forEach(f -> provided.put(f.name(), new Source(f.type(), "service \"" + name + "\"")));
        }
        for (Field output : workflow.outputs()) {
            check(provided.get(output.name()), output, where + ": output \"" + output.name() + "\"",
                    "neither its inputs nor its services provide it", problems);
        }
        return problems;
    }

    /** @return one error per workflow input that {@code data} lacks or holds with another type, in input order */
    public static List<String> data(WorkflowDefinition workflow, Map<String, Object> data) {
        List<String> errors = new ArrayList<>();
        for (Field input : workflow.inputs()) {
            Object value = data.get(input.name());
            FieldType type = FieldType.of(input.type()).orElseThrow();
            if (value == null) {
                errors.add("data." + input.name() + ": missing; the workflow \"" + workflow.name() + "\" needs a "
                        + input.type());
            } else if (!type.accepts(value)) {
                errors.add("data." + input.name() + ": must be a " + input.type() + ", but was "
                        + Json.write(value));
            }
        }
        return errors;
    }

    private record Source(String type, String what) {
    }

    private static void check(Source source, Field wanted, String where, String missing, List<String> problems) {
        if (source == null) {
            problems.add(where + ": " + missing);
        } else if (FieldType.of(wanted.type()).isPresent() && FieldType.of(source.type()).isPresent()
                && !compatible(source.type(), wanted.type())) {
            problems.add(where + ": type mismatch, it is a " + wanted.type() + " but " + source.what()
                    + " provides a " + source.type());
        }
    }

    private static boolean compatible(String provided, String wanted) {
        return provided.equals(wanted) || provided.equals("int") && wanted.equals("float");
    }

    private static void name(String name, String what, List<String> problems) {
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add(what + " name \"" + name + "\" must be 1 to 100 letters, digits, '.', '_' or '-', starting"
                    + " with a letter or digit");
        }
    }

    private static void fields(List<Field> fields, String where, List<String> problems) {
        Set<String> seen = new HashSet<>();
        for (Field field : fields) {
            if (field.name() == null || field.name().isBlank()) {
                problems.add(where + " with blank name: give every field a name");
                continue;
            }
            if (!seen.add(field.name())) {
                problems.add(where + " \"" + field.name() + "\": duplicate name; field names must be unique");
            }
            if (FieldType.of(field.type()).isEmpty()) {
                problems.add(where + " \"" + field.name() + "\": unknown type \"" + field.type() + "\"; use one of "
                        + FieldType.names());
            }
        }
    }
}
