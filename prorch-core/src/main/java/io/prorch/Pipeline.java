package io.prorch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a pipeline definition: an ordered list of {@link Step} classes. The class itself needs no
 * body; it is a name and a step list that {@link Orchestrator#start(Class)} accepts.
 *
 * <pre>{@code
 * @Pipeline(name = "BackupAutomationPipeline",
 *           steps = {BackupGeneration.class, BackupTransfer.class, ProcessCompletionNotification.class})
 * public class BackupAutomationPipeline {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Pipeline {
    /** @return the pipeline's stored name; defaults to the class's simple name. Must be unique. */
    String name() default "";

    /** @return the step classes in the order they run; at least one, each annotated {@link Step} */
    Class<?>[] steps();

    /**
     * @return a cron expression (six fields, seconds first, e.g. {@code "0 0 2 * * *"}) on whose every tick one
     *     pipeline is started, across all orchestrators; empty (the default) for none. See {@link Schedule#cron}; a
     *     malformed expression fails {@link OrchestratorConfig.Builder#build()}.
     */
    String schedule() default "";

    /** @return the time zone {@link #schedule()} is read in, e.g. {@code "Europe/Paris"}; default {@code "UTC"} */
    String scheduleZone() default "UTC";
}
