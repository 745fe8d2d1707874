package io.prorch.internal.engine;

import io.prorch.HookInterceptor;
import io.prorch.OnCompensate;
import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.StepFactory;
import io.prorch.internal.registry.StepDefinition;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Creates a step instance and calls one of its hooks, turning anything it throws into a value. */
final class HookInvoker {
    private final StepFactory factory;
    private final List<HookInterceptor> interceptors;
    private final Map<Class<?>, Constructor<?>> constructors = new ConcurrentHashMap<>();

    /**
     * @param factory the user's factory, or null for the public no-arg constructor
     * @param interceptors wrapped around every hook call, outermost first
     */
    HookInvoker(StepFactory factory, List<HookInterceptor> interceptors) {
        this.factory = factory;
        this.interceptors = List.copyOf(interceptors);
    }

    /** @return what the hook decided and left in metadata, or what it threw (unwrapped) */
    HookResult invoke(StepDefinition step, Hook hook, HookContext ctx) {
        Throwable error = call(step, hook, ctx);
        return error == null ? ctx.result() : HookResult.threw(error);
    }

    private Throwable call(StepDefinition step, Hook hook, HookContext ctx) {
        try {
            Object instance = step.hooks() != null ? step.hooks() : instantiate(step.type());
            HookInterceptor.Proceed call = switch (hook) {
                case ON_START -> () -> ((OnStart) instance).onStart(ctx);
                case ON_CONTINUE -> () -> ((OnContinue) instance).onContinue(ctx);
                case ON_COMPENSATE -> () -> ((OnCompensate) instance).onCompensate(ctx);
            };
            intercepted(ctx, hook, call).proceed();
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

    /** @return {@code call} wrapped in the interceptors, each held to calling it exactly once */
    private HookInterceptor.Proceed intercepted(HookContext ctx, Hook hook, HookInterceptor.Proceed call) {
        if (interceptors.isEmpty()) {
            return call;
        }
        HookInterceptor.Invocation invocation = new HookInterceptor.Invocation(ctx.pipelineId(), ctx.pipelineName(),
                ctx.stepName(), ctx.stepPosition(), hook.methodName(), ctx.attempt());
        HookInterceptor.Proceed chain = call;
        for (int i = interceptors.size() - 1; i >= 0; i--) {
            HookInterceptor interceptor = interceptors.get(i);
            HookInterceptor.Proceed inner = chain;
            chain = () -> {
                int[] calls = new int[1];
                interceptor.intercept(invocation, () -> {
                    if (++calls[0] > 1) {
                        throw new IllegalStateException("HookInterceptor " + interceptor.getClass().getName()
                                + " called proceed() twice for " + invocation.hook() + " of step \""
                                + invocation.stepName() + "\"; a hook runs once per call");
                    }
                    inner.proceed();
                });
                if (calls[0] == 0) {
                    throw new IllegalStateException("HookInterceptor " + interceptor.getClass().getName()
                            + " returned without calling proceed() for " + invocation.hook() + " of step \""
                            + invocation.stepName() + "\"; the hook did not run");
                }
            };
        }
        return chain;
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
