package io.prorch.spring.boot;

import static java.util.Objects.requireNonNull;

import io.prorch.StepFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Step instances from the Spring context. A step class that is a bean (one bean of that type) is taken from the
 * context, with the bean's scope: a singleton step must then be thread-safe, since hooks of different pipelines run at
 * once. Any other step class is created anew for every hook call by
 * {@link org.springframework.beans.factory.config.AutowireCapableBeanFactory#createBean(Class)}: its constructor
 * parameters are injected from the context (as are {@code @Autowired} fields and setters), without the class being
 * annotated or registered as a bean.
 *
 * <pre>{@code
 * @Step
 * public class ReserveStock implements OnStart {
 *     private final InventoryClient inventory;
 *     public ReserveStock(InventoryClient inventory) { this.inventory = inventory; }   // a bean of the application
 *     public void onStart(StepContext ctx) { inventory.reserve(ctx.pipelineMetadata().getString("order")); }
 * }
 * }</pre>
 */
public final class SpringStepFactory implements StepFactory {
    private final ConfigurableListableBeanFactory beanFactory;

    /** @throws NullPointerException if {@code beanFactory} is null */
    public SpringStepFactory(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = requireNonNull(beanFactory, "beanFactory");
    }

    /**
     * @return the unique bean of {@code stepClass}, or a new instance with its dependencies injected
     * @throws org.springframework.beans.BeansException if it cannot be created (a dependency is missing): the hook
     *     attempt counts as failed, and the error names the missing bean
     */
    @Override
    public Object create(Class<?> stepClass) {
        ObjectProvider<?> beans = beanFactory.getBeanProvider(stepClass);
        Object bean = beans.getIfUnique();
        return bean != null ? bean : beanFactory.createBean(stepClass);
    }
}
