/**
 * Spring Cloud Commons over the discovery starter: Spring Cloud's discovery clients, a
 * push-fed instance supplier and balancer for Spring Cloud LoadBalancer, heartbeats, and
 * the service registry facade.
 */
@NullMarked
package dev.discovery.spring.cloud;

import org.jspecify.annotations.NullMarked;
