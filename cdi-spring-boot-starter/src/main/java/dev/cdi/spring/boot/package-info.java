/**
 * Spring Boot auto-configuration of CDI: a {@link dev.cdi.core.service.CdiService} built from {@code cdi.*}
 * properties ({@link dev.cdi.spring.boot.CdiProperties}) and the application's beans, started and stopped with the
 * application context, with an actuator health indicator, an info contributor and Micrometer metrics.
 */
package dev.cdi.spring.boot;
