package dev.discovery.spring.autoconfigure;

import dev.discovery.spring.LoadBalanced;
import dev.discovery.spring.LoadBalancerInterceptor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.web.client.RestClient;

/**
 * Adds the {@link LoadBalancerInterceptor}, last, to every {@code RestClient.Builder} bean
 * declared with {@link LoadBalanced @LoadBalanced}, including the starter's own.
 */
class LoadBalancedRestClientBuilderPostProcessor implements BeanPostProcessor {

	private final ConfigurableListableBeanFactory beanFactory;

	private final ObjectProvider<LoadBalancerInterceptor> interceptor;

	LoadBalancedRestClientBuilderPostProcessor(ConfigurableListableBeanFactory beanFactory,
			ObjectProvider<LoadBalancerInterceptor> interceptor) {
		this.beanFactory = beanFactory;
		this.interceptor = interceptor;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof RestClient.Builder builder && this.beanFactory.containsBeanDefinition(beanName)
				&& this.beanFactory.findAnnotationOnBean(beanName, LoadBalanced.class) != null) {
			LoadBalancerInterceptor loadBalancer = this.interceptor.getObject();
			builder.requestInterceptors((interceptors) -> {
				interceptors.remove(loadBalancer);
				interceptors.add(loadBalancer);
			});
		}
		return bean;
	}

}
