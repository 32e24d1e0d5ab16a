package io.dflockd.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code dflockd.*}: the connection settings of the auto-configured client and its lock registry. */
@ConfigurationProperties("dflockd")
public class DflockdProperties {
    /** Servers as host:port, in sharding order (keys go to servers as all dflockd clients route them). */
    private List<String> servers = new ArrayList<>(List.of("127.0.0.1:6388"));
    /** Shared secret sent with auth right after connecting; none if unset. Combine it with TLS. */
    private String authToken;
    /** Bounds TCP connect, TLS handshake and auth together. */
    private Duration connectTimeout = Duration.ofSeconds(10);
    /** Renew a held lease after this fraction of it, in (0, 1). */
    private double renewRatio = 0.5;
    /** Renew up to 10 % early, at random, so a fleet does not renew in lockstep. */
    private boolean renewJitter = true;
    private final Tls tls = new Tls();
    private final LockRegistry lockRegistry = new LockRegistry();

    public List<String> getServers() {
        return servers;
    }

    public void setServers(List<String> servers) {
        this.servers = servers;
    }

    public String getAuthToken() {
        return authToken;
    }

    public void setAuthToken(String authToken) {
        this.authToken = authToken;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public double getRenewRatio() {
        return renewRatio;
    }

    public void setRenewRatio(double renewRatio) {
        this.renewRatio = renewRatio;
    }

    public boolean isRenewJitter() {
        return renewJitter;
    }

    public void setRenewJitter(boolean renewJitter) {
        this.renewJitter = renewJitter;
    }

    public Tls getTls() {
        return tls;
    }

    public LockRegistry getLockRegistry() {
        return lockRegistry;
    }

    /** {@code dflockd.tls.*}. */
    public static class Tls {
        /** TLS with the JDK's default trust store (or the bundle's, when a bundle is named). */
        private boolean enabled;
        /** Name of a Spring Boot SSL bundle (spring.ssl.bundle.*) to trust the servers with; implies enabled. */
        private String bundle;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getBundle() {
            return bundle;
        }

        public void setBundle(String bundle) {
            this.bundle = bundle;
        }
    }

    /** {@code dflockd.lock-registry.*}. */
    public static class LockRegistry {
        /** Whether to register a DflockdLockRegistry (when Spring Integration is on the class path). */
        private boolean enabled = true;
        /** Lease TTL of the registry's locks; the server's default (33 s) if unset. */
        private Duration leaseTtl;
        /** Put before every lock key to make the dflockd key. */
        private String keyPrefix = "";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getLeaseTtl() {
            return leaseTtl;
        }

        public void setLeaseTtl(Duration leaseTtl) {
            this.leaseTtl = leaseTtl;
        }

        public String getKeyPrefix() {
            return keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }
    }
}
