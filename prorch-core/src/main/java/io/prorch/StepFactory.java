package io.prorch;

/**
 * Creates step instances; plug in your container to get injected steps.
 *
 * <pre>{@code
 * OrchestratorConfig.builder().stepFactory(applicationContext::getBean)
 * }</pre>
 *
 * <p>It is called for every hook invocation, so a factory returning shared singletons is fine as long as those
 * are thread-safe. The default creates a new instance through the public no-arg constructor.
 */
@FunctionalInterface
public interface StepFactory {
    /**
     * @param stepClass a registered {@code @Step} class
     * @return an instance of {@code stepClass}; not null
     * @throws Exception if it cannot create one; the hook attempt counts as failed
     */
    Object create(Class<?> stepClass) throws Exception;
}
