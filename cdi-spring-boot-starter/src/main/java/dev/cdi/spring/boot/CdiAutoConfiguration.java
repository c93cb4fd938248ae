package dev.cdi.spring.boot;

import dev.cdi.core.RunListener;
import dev.cdi.core.registry.SecretCipher;
import dev.cdi.core.service.CdiService;
import dev.cdi.core.state.PostgresStateStore;
import dev.cdi.micrometer.MicrometerRunListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds a {@link CdiService} from the {@code cdi.*} properties and the application's beans:
 * <ul>
 *   <li>its {@link DataSource} (when it has exactly one) holds CDI's state, in PostgreSQL schema
 *       {@code cdi.state-schema}; without one the state is kept in memory and lost at exit;
 *   <li>{@link dev.cdi.api.RowSink} beans receive the rows, by integration name (see {@link CdiProperties});
 *   <li>a {@link MeterRegistry}, when there is one, records the runs through a {@link MicrometerRunListener};
 *       any other {@link RunListener} bean hears about the runs too;
 *   <li>a {@link Clock} bean, when there is one, is the service's clock.
 * </ul>
 * The service starts and stops with the context ({@link CdiLifecycle}); with the actuator on the class path, a
 * {@code cdi} health indicator and info contributor report on it. Off with {@code cdi.enabled=false}, and backs off
 * when the application builds its own {@link CdiService}.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnProperty(prefix = "cdi", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(CdiProperties.class)
public class CdiAutoConfiguration {
    private static final Logger log = LoggerFactory.getLogger(CdiAutoConfiguration.class);

    /** Created by Spring. */
    public CdiAutoConfiguration() {
    }

    /** The service and its life cycle, unless the application builds its own service. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(CdiService.class)
    static class ServiceConfiguration {

        /**
         * The service, not yet started.
         *
         * @param properties the {@code cdi.*} properties
         * @param dataSource the application's data source, if any
         * @param listeners the run listeners, such as the Micrometer one
         * @param clock the application's clock, if any
         * @param beans where the sink beans are found
         * @return the service
         */
        @Bean
        public CdiService cdiService(CdiProperties properties, ObjectProvider<DataSource> dataSource,
                ObjectProvider<RunListener> listeners, ObjectProvider<Clock> clock, ListableBeanFactory beans) {
            CdiService.Builder builder = CdiService.builder()
                    .secretKey(cipher(properties))
                    .sinkFactory(new BeanSinkFactory(beans, properties.getIntegrations()))
                    .threads(properties.getThreads())
                    .tickInterval(properties.getTickInterval());
            DataSource database = dataSource.getIfUnique();
            if (database != null) {
                builder.store(new PostgresStateStore(database, properties.getStateSchema()));
            } else {
                log.warn("No unique DataSource bean: CDI keeps its watermarks, registry and run history in memory,"
                        + " lost at exit; give the application a PostgreSQL DataSource to keep them");
            }
            listeners.orderedStream().forEach(builder::listener);
            clock.ifAvailable(builder::clock);
            return builder.build();
        }

        /**
         * Starts and stops the service with the context.
         *
         * @param service the service
         * @param properties the {@code cdi.*} properties, applied to the registry at start
         * @param beans where the sink beans are found
         * @return the life cycle
         */
        @Bean
        public CdiLifecycle cdiLifecycle(CdiService service, CdiProperties properties, ListableBeanFactory beans) {
            return new CdiLifecycle(service, new ConfiguredIntegrations(properties, cipher(properties)),
                    new BeanSinkFactory(beans, properties.getIntegrations()));
        }

        private static SecretCipher cipher(CdiProperties properties) {
            if (properties.getSecretKey() == null || properties.getSecretKey().isBlank()) {
                throw new IllegalStateException("cdi.secret-key is not set: CDI needs the application's key (32 bytes"
                        + " in Base64) to encrypt connection secrets; set it from an environment variable such as"
                        + " CDI_SECRET_KEY, or turn CDI off with cdi.enabled=false");
            }
            return SecretCipher.fromBase64(properties.getSecretKey());
        }
    }

    /** Metrics, when Micrometer is on the class path and the application has a registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnBean(MeterRegistry.class)
        @ConditionalOnMissingBean
        MicrometerRunListener cdiMicrometerRunListener(MeterRegistry registry) {
            return new MicrometerRunListener(registry);
        }
    }

    /** Health and info, when the actuator is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    static class ActuatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "cdiHealthIndicator")
        CdiHealthIndicator cdiHealthIndicator(CdiService service) {
            return new CdiHealthIndicator(service);
        }

        @Bean
        @ConditionalOnMissingBean(name = "cdiInfoContributor")
        CdiInfoContributor cdiInfoContributor(CdiService service) {
            return new CdiInfoContributor(service);
        }
    }
}
