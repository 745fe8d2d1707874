package io.prorch.services;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * orch_serv's flow: a named sequence of {@link Block}s ({@code Task1: service1 -> service2 -> service3}), run as a
 * prorch pipeline of the same name whose steps are the blocks ({@code "service1"}; a block used twice:
 * {@code "service1#2"}). Names are checked by {@link Flows.Builder#build()}.
 *
 * @param name the flow's name, unique among flows
 * @param blocks at least one
 */
public record Flow(String name, List<Block> blocks) {
    /** @throws NullPointerException if {@code name}, {@code blocks} or a block is null */
    public Flow {
        requireNonNull(name, "name");
        blocks = List.copyOf(blocks);
    }

    /** @return a flow of {@code blocks} in order */
    public static Flow of(String name, Block... blocks) {
        return new Flow(name, List.of(blocks));
    }
}
