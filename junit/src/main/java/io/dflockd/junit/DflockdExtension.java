package io.dflockd.junit;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.DflockdClient;
import io.dflockd.server.ServerConfig;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs a real dflockd server in the test JVM for a test class, or a fresh one for each test, and
 * injects what tests need: an {@link EmbeddedDflockd} (address, stop, restart), a
 * {@link ClientConfig} for it, or a {@link DflockdClient} (closed after the test). No Docker, no
 * process: the server is the same code {@code bin/dflockd} runs.
 *
 * <pre>{@code
 * @ExtendWith(DflockdExtension.class)              // one server for the class, default settings
 * class OrdersTest {
 *     @Test
 *     void onlyOneWorkerAtATime(DflockdClient client) { ... }
 * }
 *
 * class CapsTest {
 *     @RegisterExtension                          // settings, or a server per test
 *     static final DflockdExtension dflockd = DflockdExtension.perTest().with(b -> b.maxLocks(2));
 * }
 * }</pre>
 */
public final class DflockdExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DflockdExtension.class);

    private final boolean perTest;
    private final Consumer<ServerConfig.Builder> settings;
    private EmbeddedDflockd server;

    /** One server for the test class with default settings (what {@code @ExtendWith} uses). */
    public DflockdExtension() {
        this(false, b -> { });
    }

    private DflockdExtension(boolean perTest, Consumer<ServerConfig.Builder> settings) {
        this.perTest = perTest;
        this.settings = settings;
    }

    /** One server for all tests of the class (register in a static field). */
    public static DflockdExtension perClass() {
        return new DflockdExtension(false, b -> { });
    }

    /** A fresh server for every test. */
    public static DflockdExtension perTest() {
        return new DflockdExtension(true, b -> { });
    }

    /** The same lifecycle with server settings (max locks, auth token, lease default, …) applied. */
    public DflockdExtension with(Consumer<ServerConfig.Builder> moreSettings) {
        return new DflockdExtension(perTest, settings.andThen(moreSettings));
    }

    /** The server of the running class or test. */
    public EmbeddedDflockd server() {
        if (server == null) {
            throw new IllegalStateException("no embedded dflockd server: the extension starts it before the tests");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!perTest) {
            start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!perTest) {
            stop();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (perTest) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            stop();
        }
    }

    private void start() {
        server = new EmbeddedDflockd(settings);
        server.start();
    }

    private void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EmbeddedDflockd.class || type == ClientConfig.class || type == DflockdClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == EmbeddedDflockd.class) {
            return server();
        }
        if (type == ClientConfig.class) {
            return server().clientConfig();
        }
        DflockdClient client = DflockdClient.create(server().clientConfig());
        // closed when the test (or, for a lifecycle method's parameter, the class) is done
        context.getStore(NAMESPACE).put(client, (ExtensionContext.Store.CloseableResource) client::close);
        return client;
    }
}
