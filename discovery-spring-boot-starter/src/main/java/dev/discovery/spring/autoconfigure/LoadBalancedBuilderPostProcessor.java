package dev.discovery.spring.autoconfigure;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.discovery.spring.LoadBalanced;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;

/**
 * Adds the load balancer, last, to every builder bean of one type that is declared with
 * {@link LoadBalanced @LoadBalanced}, including the starter's own, unless the bean also
 * carries Spring Cloud's {@code @LoadBalanced} while Spring Cloud LoadBalancer is active:
 * Spring Cloud balances that one, and a request must not be balanced twice.
 *
 * @param <B> the builder type
 * @param <E> the type of the builder's interceptors or filters
 */
final class LoadBalancedBuilderPostProcessor<B, E> implements BeanPostProcessor {

	private final Class<B> builderType;

	private final BiConsumer<B, Consumer<List<E>>> elements;

	private final ObjectProvider<? extends E> loadBalancer;

	private final ConfigurableListableBeanFactory beanFactory;

	private final @Nullable Class<? extends Annotation> balancedBySpringCloud;

	/**
	 * Creates the post-processor.
	 * @param builderType the builder type
	 * @param elements gives access to a builder's interceptors or filters
	 * @param loadBalancer the interceptor or filter that balances
	 * @param beanFactory the factory whose bean definitions carry the annotations
	 * @param environment the environment that tells whether Spring Cloud LoadBalancer is
	 * active
	 */
	LoadBalancedBuilderPostProcessor(Class<B> builderType, BiConsumer<B, Consumer<List<E>>> elements,
			ObjectProvider<? extends E> loadBalancer, ConfigurableListableBeanFactory beanFactory,
			Environment environment) {
		this.builderType = builderType;
		this.elements = elements;
		this.loadBalancer = loadBalancer;
		this.beanFactory = beanFactory;
		this.balancedBySpringCloud = SpringCloudLoadBalancer.loadBalancedAnnotation(environment,
				beanFactory.getBeanClassLoader());
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (this.builderType.isInstance(bean) && this.beanFactory.containsBeanDefinition(beanName)
				&& this.beanFactory.findAnnotationOnBean(beanName, LoadBalanced.class) != null
				&& (this.balancedBySpringCloud == null
						|| this.beanFactory.findAnnotationOnBean(beanName, this.balancedBySpringCloud) == null)) {
			E added = this.loadBalancer.getObject();
			this.elements.accept(this.builderType.cast(bean), (present) -> {
				present.remove(added);
				present.add(added);
			});
		}
		return bean;
	}

}
