package io.prorch.internal.engine;

import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.StepFactory;
import io.prorch.internal.registry.StepDefinition;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Creates a step instance and calls one of its hooks, turning anything it throws into a value. */
final class HookInvoker {
    private final StepFactory factory;
    private final Map<Class<?>, Constructor<?>> constructors = new ConcurrentHashMap<>();

    /** @param factory the user's factory, or null for the public no-arg constructor */
    HookInvoker(StepFactory factory) {
        this.factory = factory;
    }

    /** @return what the hook decided and left in metadata, or what it threw (unwrapped) */
    HookResult invoke(StepDefinition step, Hook hook, HookContext ctx) {
        Throwable error = call(step, hook, ctx);
        return error == null ? ctx.result() : HookResult.threw(error);
    }

    private Throwable call(StepDefinition step, Hook hook, HookContext ctx) {
        try {
            Object instance = instantiate(step.type());
            if (hook == Hook.ON_START) {
                ((OnStart) instance).onStart(ctx);
            } else {
                ((OnContinue) instance).onContinue(ctx);
            }
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause() != null ? e.getCause() : e;
        } catch (Throwable t) {
            return t;
        } finally {
            ctx.close();
            // a hook that was interrupted (or interrupted itself) must not poison the worker thread
            Thread.interrupted();
        }
    }

    private Object instantiate(Class<?> type) throws Exception {
        if (factory != null) {
            Object instance = factory.create(type);
            if (!type.isInstance(instance)) {
                throw new IllegalStateException("stepFactory returned " + (instance == null ? "null"
                        : "a " + instance.getClass().getName()) + " for " + type.getName()
                        + "; it must return an instance of the requested class");
            }
            return instance;
        }
        return constructors.computeIfAbsent(type, HookInvoker::constructor).newInstance();
    }

    private static Constructor<?> constructor(Class<?> type) {
        try {
            return type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getName() + " has no public no-arg constructor", e);
        }
    }
}
