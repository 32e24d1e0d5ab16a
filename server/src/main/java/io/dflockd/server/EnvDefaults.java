package io.dflockd.server;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Environment variables as option defaults (PROTOCOL.md §12): an explicit flag still wins, an empty
 * variable counts as unset, and a malformed value is a start-up error that names the variable. The
 * legacy GC names are accepted when the new ones are not set. The auth options are resolved
 * separately (their precedence differs, §12.3).
 */
final class EnvDefaults implements CommandLine.IDefaultValueProvider {
    private static final Map<String, String[]> VARS = new HashMap<>();

    static {
        VARS.put("--host", new String[] {"DFLOCKD_HOST"});
        VARS.put("--port", new String[] {"DFLOCKD_PORT"});
        VARS.put("--default-lease-ttl", new String[] {"DFLOCKD_DEFAULT_LEASE_TTL_S"});
        VARS.put("--lease-sweep-interval", new String[] {"DFLOCKD_LEASE_SWEEP_INTERVAL_S"});
        VARS.put("--gc-interval", new String[] {"DFLOCKD_GC_INTERVAL_S", "DFLOCKD_GC_LOOP_SLEEP"});
        VARS.put("--gc-max-idle", new String[] {"DFLOCKD_GC_MAX_IDLE_S", "DFLOCKD_GC_MAX_UNUSED_TIME"});
        VARS.put("--max-locks", new String[] {"DFLOCKD_MAX_LOCKS"});
        VARS.put("--max-waiters", new String[] {"DFLOCKD_MAX_WAITERS"});
        VARS.put("--max-keys", new String[] {"DFLOCKD_MAX_KEYS"});
        VARS.put("--max-list-length", new String[] {"DFLOCKD_MAX_LIST_LENGTH"});
        VARS.put("--max-connections", new String[] {"DFLOCKD_MAX_CONNECTIONS"});
        VARS.put("--max-connections-per-ip", new String[] {"DFLOCKD_MAX_CONNECTIONS_PER_IP"});
        VARS.put("--max-subscriptions", new String[] {"DFLOCKD_MAX_SUBSCRIPTIONS"});
        VARS.put("--read-timeout", new String[] {"DFLOCKD_READ_TIMEOUT_S"});
        VARS.put("--write-timeout", new String[] {"DFLOCKD_WRITE_TIMEOUT_S"});
        VARS.put("--shutdown-timeout", new String[] {"DFLOCKD_SHUTDOWN_TIMEOUT_S"});
        VARS.put("--auto-release-on-disconnect", new String[] {"DFLOCKD_AUTO_RELEASE_ON_DISCONNECT"});
        VARS.put("--fence-state-file", new String[] {"DFLOCKD_FENCE_STATE_FILE"});
        VARS.put("--tls-cert", new String[] {"DFLOCKD_TLS_CERT"});
        VARS.put("--tls-key", new String[] {"DFLOCKD_TLS_KEY"});
        VARS.put("--tls-client-ca", new String[] {"DFLOCKD_TLS_CLIENT_CA"});
        VARS.put("--http-port", new String[] {"DFLOCKD_HTTP_PORT"});
        VARS.put("--http-host", new String[] {"DFLOCKD_HTTP_HOST"});
        VARS.put("--raft-dir", new String[] {"DFLOCKD_RAFT_DIR"});
        VARS.put("--node-id", new String[] {"DFLOCKD_NODE_ID"});
        VARS.put("--cluster-peers", new String[] {"DFLOCKD_CLUSTER_PEERS"});
        VARS.put("--raft-addr", new String[] {"DFLOCKD_RAFT_ADDR"});
        VARS.put("--cluster-request-timeout", new String[] {"DFLOCKD_CLUSTER_REQUEST_TIMEOUT_S"});
        VARS.put("--raft-tls-cert", new String[] {"DFLOCKD_RAFT_TLS_CERT"});
        VARS.put("--raft-tls-key", new String[] {"DFLOCKD_RAFT_TLS_KEY"});
        VARS.put("--raft-tls-ca", new String[] {"DFLOCKD_RAFT_TLS_CA"});
        VARS.put("--follower-mode", new String[] {"DFLOCKD_FOLLOWER_MODE"});
        VARS.put("--advertise-addr", new String[] {"DFLOCKD_ADVERTISE_ADDR"});
        VARS.put("--cluster-join", new String[] {"DFLOCKD_CLUSTER_JOIN"});
        VARS.put("--orphan-ttl", new String[] {"DFLOCKD_ORPHAN_TTL_S"});
        VARS.put("--node-gone-timeout", new String[] {"DFLOCKD_NODE_GONE_TIMEOUT_S"});
        VARS.put("--http-session-idle-timeout", new String[] {"DFLOCKD_HTTP_SESSION_IDLE_S"});
        VARS.put("--http-max-sessions", new String[] {"DFLOCKD_HTTP_MAX_SESSIONS"});
        VARS.put("--http-max-sessions-per-ip", new String[] {"DFLOCKD_HTTP_MAX_SESSIONS_PER_IP"});
        VARS.put("--http-max-connections-per-ip", new String[] {"DFLOCKD_HTTP_MAX_CONNECTIONS_PER_IP"});
        VARS.put("--http-rate-limit-per-ip", new String[] {"DFLOCKD_HTTP_RATE_LIMIT_PER_IP"});
        VARS.put("--http-rate-limit-burst", new String[] {"DFLOCKD_HTTP_RATE_LIMIT_BURST"});
        VARS.put("--http-cors-allowed-origins", new String[] {"DFLOCKD_HTTP_CORS_ALLOWED_ORIGINS"});
        VARS.put("--debug", new String[] {"DFLOCKD_DEBUG"});
    }

    private final CommandLine cl;
    private final Map<String, String> env;
    /** Flag to the variable its value came from, for messages about that value. */
    private final Map<String, String> used = new HashMap<>();

    EnvDefaults(CommandLine cl, Map<String, String> env) {
        this.cl = cl;
        this.env = env;
    }

    static String get(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /**
     * The environment variable that supplied {@code flag}'s default, or {@code null}. Only meaningful
     * when the flag itself was not given.
     */
    String variableUsedFor(String flag) {
        return used.get(flag);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec)) {
            return null;
        }
        OptionSpec opt = (OptionSpec) arg;
        String[] names = VARS.get(opt.longestName());
        if (names == null) {
            return null;
        }
        for (String name : names) {
            String v = get(env, name);
            if (v != null) {
                used.put(opt.longestName(), name);
                return validated(opt, name, v.trim());
            }
        }
        return null;
    }

    private String validated(OptionSpec opt, String var, String v) {
        Class<?> type = opt.type();
        if (type == boolean.class || type == Boolean.class) {
            switch (v.toLowerCase(Locale.ROOT)) {
                case "1": case "yes": case "true": return "true";
                case "0": case "no": case "false": return "false";
                default: throw bad(var, v, opt, "true/false, yes/no or 1/0");
            }
        }
        if (type == int.class || type == long.class) {
            try {
                long n = Long.parseLong(v);
                if (type == int.class && (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE)) {
                    throw bad(var, v, opt, "an integer");
                }
            } catch (NumberFormatException e) {
                throw bad(var, v, opt, "an integer");
            }
        }
        return v;
    }

    private CommandLine.ParameterException bad(String var, String v, OptionSpec opt, String expected) {
        return new CommandLine.ParameterException(cl,
                "invalid value '" + v + "' in " + var + " (for " + opt.longestName() + "): expected " + expected);
    }

    /** Logs one warning per legacy variable in use. */
    static void warnDeprecated(Map<String, String> env) {
        for (String[] names : VARS.values()) {
            for (int i = 1; i < names.length; i++) {
                if (get(env, names[i]) != null) {
                    String legacy = names[i];
                    String current = names[0];
                    System.getLogger(EnvDefaults.class.getName()).log(Level.WARNING, () -> legacy
                            + " is deprecated; use " + current + (get(env, current) != null ? " (which wins)" : ""));
                }
            }
        }
    }
}
