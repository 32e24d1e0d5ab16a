package io.dflockd.cli;

import io.dflockd.client.ClientConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every subcommand shares: where the servers are and how to reach them. Declared once on
 * the top-level command with {@link ScopeType#INHERIT}, so they may be written before or after the
 * subcommand name.
 *
 * <p>Each option falls back to an environment variable, then to the library default: flag &gt;
 * environment &gt; default. An empty environment variable counts as unset. The values are turned
 * into a {@link ClientConfig}, so sharding over several servers is exactly the library's.
 */
public final class ConnectionOptions {
    static final String ENV_SERVERS = "DFLOCKD_SERVERS";
    static final String ENV_CLUSTER = "DFLOCKD_CLUSTER";
    static final String ENV_TLS = "DFLOCKD_TLS";
    static final String ENV_CACERT = "DFLOCKD_CACERT";
    static final String ENV_AUTH_TOKEN = "DFLOCKD_AUTH_TOKEN";
    static final String ENV_AUTH_TOKEN_FILE = "DFLOCKD_AUTH_TOKEN_FILE";
    static final String ENV_CONNECT_TIMEOUT = "DFLOCKD_CONNECT_TIMEOUT";
    static final String DEFAULT_SERVERS = "127.0.0.1:6388";

    @Option(names = "--servers", paramLabel = "HOST:PORT[,…]", scope = ScopeType.INHERIT,
            description = "Servers, comma-separated; keys are sharded over them like the Java client does "
                    + "[" + ENV_SERVERS + "] (default: " + DEFAULT_SERVERS + ")")
    String servers;

    @Option(names = "--cluster", paramLabel = "HOST:PORT[,…]", scope = ScopeType.INHERIT,
            description = "One dflockd cluster's members, comma-separated, instead of --servers: any member is "
                    + "used, and its redirects to the leader are followed [" + ENV_CLUSTER + "]")
    String cluster;

    @Option(names = "--tls", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", scope = ScopeType.INHERIT,
            description = "Use TLS, trusting the JVM's default CAs [" + ENV_TLS + "]")
    Boolean tls;

    @Option(names = "--cacert", paramLabel = "PEM", scope = ScopeType.INHERIT,
            description = "Trust only the CA certificate(s) in this PEM file; implies --tls [" + ENV_CACERT + "]")
    Path cacert;

    @Option(names = "--auth-token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "File holding the server's shared secret [" + ENV_AUTH_TOKEN_FILE + "; "
                    + ENV_AUTH_TOKEN + " holds the secret itself]")
    Path authTokenFile;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            scope = ScopeType.INHERIT,
            description = "Bound on TCP connect, TLS handshake and auth [" + ENV_CONNECT_TIMEOUT + "] (default: 10s)")
    Duration connectTimeout;

    /**
     * Builds the client configuration from the options and {@code env}.
     *
     * @throws CliException with {@link ExitCodes#USAGE} for a malformed value and
     *     {@link ExitCodes#CONFIG} for an unusable file
     */
    ClientConfig toClientConfig(Map<String, String> env) {
        ClientConfig.Builder b = ClientConfig.builder();
        servers(b, env);
        b.connectTimeout(resolveConnectTimeout(env));
        b.sslContext(resolveTls(env));
        String token = resolveAuthToken(env);
        if (token != null) {
            try {
                b.authToken(token);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.CONFIG, e.getMessage());
            }
        }
        return b.build();
    }

    /** {@code --servers} or {@code --cluster} (flag, then environment): one of the two, not both. */
    private void servers(ClientConfig.Builder b, Map<String, String> env) {
        if (servers != null && cluster != null) {
            throw new CliException(ExitCodes.USAGE, "--servers and --cluster: give one of the two");
        }
        String source;
        String list;
        if (cluster != null) {
            source = "--cluster";
            list = cluster;
        } else if (servers != null) {
            source = "--servers";
            list = servers;
        } else if (get(env, ENV_CLUSTER) != null) {
            if (get(env, ENV_SERVERS) != null) {
                throw new CliException(ExitCodes.USAGE, ENV_SERVERS + " and " + ENV_CLUSTER + ": set one of the two");
            }
            source = ENV_CLUSTER;
            list = get(env, ENV_CLUSTER);
        } else {
            source = ENV_SERVERS;
            list = orDefault(env, ENV_SERVERS, DEFAULT_SERVERS);
        }
        String[] hostPorts = Arrays.stream(list.split(",")).map(String::strip).toArray(String[]::new);
        try {
            if (source.equals("--cluster") || source.equals(ENV_CLUSTER)) {
                b.cluster(hostPorts);
            } else {
                b.servers(hostPorts);
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, source + ": " + e.getMessage());
        }
    }

    private Duration resolveConnectTimeout(Map<String, String> env) {
        Duration d = connectTimeout;
        String source = "--connect-timeout";
        if (d == null && get(env, ENV_CONNECT_TIMEOUT) != null) {
            source = ENV_CONNECT_TIMEOUT;
            try {
                d = DurationConverter.parse(get(env, ENV_CONNECT_TIMEOUT));
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, source + ": " + e.getMessage());
            }
        }
        if (d == null) {
            return ClientConfig.DEFAULT_CONNECT_TIMEOUT;
        }
        if (d.isZero()) {
            throw new CliException(ExitCodes.USAGE, source + " must be positive");
        }
        return d;
    }

    private SSLContext resolveTls(Map<String, String> env) {
        Path ca = cacert != null ? cacert : pathOrNull(get(env, ENV_CACERT));
        boolean useTls;
        if (tls != null) {
            useTls = tls;
        } else if (get(env, ENV_TLS) != null) {
            useTls = parseBoolean(ENV_TLS, get(env, ENV_TLS));
        } else {
            useTls = false;
        }
        if (ca != null) {
            return TrustedCas.sslContext(ca); // --cacert implies TLS
        }
        if (!useTls) {
            return null;
        }
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new CliException(ExitCodes.CONFIG, "TLS is not available in this JVM: " + e.getMessage(), e);
        }
    }

    private String resolveAuthToken(Map<String, String> env) {
        return resolveToken(authTokenFile, "--auth-token-file", env, ENV_AUTH_TOKEN, "auth token");
    }

    /**
     * A secret in the server's order (PROTOCOL.md §12.3): the file flag, the variable, the variable
     * {@code <variable>_FILE}; {@code null} when none is set.
     *
     * @param what how messages name it ("auth token")
     */
    static String resolveToken(Path file, String fileFlag, Map<String, String> env, String variable, String what) {
        String raw;
        if (file != null) {
            raw = readToken(file, fileFlag);
        } else if (get(env, variable) != null) {
            raw = get(env, variable);
        } else if (get(env, variable + "_FILE") != null) {
            raw = readToken(Path.of(get(env, variable + "_FILE")), variable + "_FILE");
        } else {
            return null;
        }
        String token = raw.strip(); // files usually end with a newline
        if (token.isEmpty()) {
            throw new CliException(ExitCodes.CONFIG, "the " + what + " is empty");
        }
        return token;
    }

    private static String readToken(Path file, String source) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException(ExitCodes.CONFIG, source + ": cannot read " + file + " ("
                    + FileErrors.describe(e) + ")", e);
        }
    }

    static boolean parseBoolean(String source, String value) {
        switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "1":
            case "true":
            case "yes":
            case "on":
                return true;
            case "0":
            case "false":
            case "no":
            case "off":
                return false;
            default:
                throw new CliException(ExitCodes.USAGE, source + ": '" + value + "' is not a boolean (true/false)");
        }
    }

    private static Path pathOrNull(String s) {
        return s == null ? null : Path.of(s);
    }

    private static String orDefault(Map<String, String> env, String name, String fallback) {
        String v = get(env, name);
        return v != null ? v : fallback;
    }

    /** The variable's value, or null when unset or empty. */
    static String get(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }
}
