package io.prorch.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.spring.boot.fixture.Greet;
import io.prorch.spring.boot.fixture.Greeter;
import io.prorch.spring.boot.fixture.WaitOnePass;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.UnsatisfiedDependencyException;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

class SpringStepFactoryTest {

    @Test
    void aStepClassThatIsABeanComesFromTheContext() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        WaitOnePass bean = new WaitOnePass();
        beans.registerSingleton("waitOnePass", bean);

        assertThat(new SpringStepFactory(beans).create(WaitOnePass.class)).isSameAs(bean);
    }

    @Test
    void anyOtherStepClassIsCreatedPerCallWithItsConstructorInjected() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("greeter", new Greeter());
        SpringStepFactory factory = new SpringStepFactory(beans);

        Object first = factory.create(Greet.class);
        assertThat(first).isInstanceOf(Greet.class).isNotSameAs(factory.create(Greet.class));
        assertThat(beans.containsBean("greet")).isFalse();
    }

    @Test
    void aMissingDependencyFailsTheCallNamingIt() {
        assertThatThrownBy(() -> new SpringStepFactory(new DefaultListableBeanFactory()).create(Greet.class))
                .isInstanceOf(UnsatisfiedDependencyException.class).hasMessageContaining(Greeter.class.getName());
    }
}
