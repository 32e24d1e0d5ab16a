package io.dflockd.spring.boot;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.DflockdClient;
import io.dflockd.spring.DflockdLockListener;
import io.dflockd.spring.DflockdLockRegistry;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A {@link DflockdClient} from the {@code dflockd.*} properties (closed with the context), and, when
 * their libraries are on the class path, a {@link DflockdLockRegistry} (Spring Integration), a
 * health indicator {@code dflockd} (Spring Boot health) and the registry's metrics (Micrometer).
 * Each bean backs off when the application defines its own.
 */
@AutoConfiguration
@ConditionalOnClass(DflockdClient.class)
@EnableConfigurationProperties(DflockdProperties.class)
public class DflockdAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public DflockdClient dflockdClient(DflockdProperties properties, ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<DflockdClientConfigCustomizer> customizers) {
        ClientConfig.Builder b = ClientConfig.builder()
                .servers(properties.getServers().toArray(String[]::new))
                .authToken(properties.getAuthToken())
                .connectTimeout(properties.getConnectTimeout())
                .renewRatio(properties.getRenewRatio())
                .renewJitter(properties.isRenewJitter());
        DflockdProperties.Tls tls = properties.getTls();
        if (tls.getBundle() != null) {
            b.sslContext(sslBundles.getObject().getBundle(tls.getBundle()).createSslContext());
        } else if (tls.isEnabled()) {
            try {
                b.sslContext(SSLContext.getDefault());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("dflockd.tls.enabled: the JDK has no default SSLContext", e);
            }
        }
        customizers.orderedStream().forEach(c -> c.customize(b));
        return DflockdClient.create(b.build());
    }

    /** The lock registry, when Spring Integration is there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.integration.support.locks.LockRegistry")
    @ConditionalOnProperty(prefix = "dflockd.lock-registry", name = "enabled", matchIfMissing = true)
    static class LockRegistryConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        DflockdLockRegistry dflockdLockRegistry(DflockdClient client, DflockdProperties properties,
                ObjectProvider<DflockdLockListener> listeners) {
            DflockdLockRegistry registry = new DflockdLockRegistry(client);
            registry.setLeaseTtl(properties.getLockRegistry().getLeaseTtl());
            registry.setKeyPrefix(properties.getLockRegistry().getKeyPrefix());
            List<DflockdLockListener> all = listeners.orderedStream().toList();
            if (!all.isEmpty()) {
                registry.setListener(all.size() == 1 ? all.get(0) : new Listeners(all));
            }
            return registry;
        }

        /** Its metrics, when Micrometer is there. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
        static class MetricsConfiguration {
            @Bean
            @ConditionalOnMissingBean
            DflockdLockMetrics dflockdLockMetrics(ObjectProvider<DflockdLockRegistry> registry) {
                return new DflockdLockMetrics(registry::getObject);
            }
        }
    }

    /** The health indicator {@code dflockd}, when Spring Boot's health support is there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("dflockd")
    static class HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "dflockdHealthIndicator")
        DflockdHealthIndicator dflockdHealthIndicator(DflockdClient client) {
            return new DflockdHealthIndicator(client);
        }
    }

    /** Several listeners told in order. */
    private record Listeners(List<DflockdLockListener> all) implements DflockdLockListener {
        @Override
        public void acquired(String key, java.time.Duration waited) {
            all.forEach(l -> l.acquired(key, waited));
        }

        @Override
        public void notAcquired(String key, java.time.Duration waited) {
            all.forEach(l -> l.notAcquired(key, waited));
        }

        @Override
        public void acquireFailed(String key, java.time.Duration waited, Throwable cause) {
            all.forEach(l -> l.acquireFailed(key, waited, cause));
        }

        @Override
        public void renewed(String key) {
            all.forEach(l -> l.renewed(key));
        }

        @Override
        public void renewFailed(String key, Throwable cause) {
            all.forEach(l -> l.renewFailed(key, cause));
        }

        @Override
        public void leaseLost(String key, Throwable cause) {
            all.forEach(l -> l.leaseLost(key, cause));
        }
    }
}
