package io.prorch.services;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * orch_serv's block: knows how to talk to one service. It builds the data of the {@link Envelope} sent to the
 * service from the flow's data, and folds the answer's data back into the flow's data. One block may serve many
 * {@link Flow}s. Its functions are called on worker threads, again on retries: keep them pure.
 *
 * @param name the block's name: the step's name in every flow that uses it
 * @param address where the envelope is POSTed
 * @param request the flow's data to the envelope's data
 * @param response the flow's data and the answer's data to the flow's new data
 */
public record Block(String name, URI address, UnaryOperator<Map<String, Object>> request,
                    BiFunction<Map<String, Object>, Map<String, Object>, Map<String, Object>> response) {
    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the name is not 1 to 100 letters, digits, '.', '_' or '-', or the address
     *     is not an absolute http(s) URL
     */
    public Block {
        requireNonNull(name, "name");
        requireNonNull(address, "address of block \"" + name + "\"");
        requireNonNull(request, "request");
        requireNonNull(response, "response");
        if (!Validator.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("block name \"" + name + "\" must be 1 to 100 letters, digits, '.', '_'"
                    + " or '-'");
        }
        if (!address.isAbsolute() || !("http".equals(address.getScheme()) || "https".equals(address.getScheme()))) {
            throw new IllegalArgumentException("block \"" + name + "\": address " + address
                    + " must be an absolute http(s) URL");
        }
    }

    /** @return a block that sends all of the flow's data and merges the answer's data into it */
    public static Block of(String name, URI address) {
        return new Block(name, address, data -> data, Block::merge);
    }

    /** @return this block with another way to build the request's data */
    public Block withRequest(UnaryOperator<Map<String, Object>> request) {
        return new Block(name, address, request, response);
    }

    /** @return this block with another way to fold the answer into the flow's data */
    public Block withResponse(BiFunction<Map<String, Object>, Map<String, Object>, Map<String, Object>> response) {
        return new Block(name, address, request, response);
    }

    private static Map<String, Object> merge(Map<String, Object> data, Map<String, Object> answer) {
        Map<String, Object> merged = new LinkedHashMap<>(data);
        merged.putAll(answer);
        return merged;
    }
}
