package io.dflockd.cli;

import io.dflockd.junit.DflockdExtension;
import io.dflockd.server.DflockdServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded server per test class (the {@link DflockdExtension} users get) and the dflockctl
 * processes a test starts, none of which may outlive it. Register as
 * {@code @RegisterExtension static final CliServer cli = new CliServer();}.
 */
final class CliServer implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    private final DflockdExtension dflockd = DflockdExtension.perClass();
    private final List<Dflockctl.Running> started = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        dflockd.beforeAll(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        started.forEach(Dflockctl.Running::kill);
        started.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        dflockd.afterAll(context);
    }

    DflockdServer server() {
        return dflockd.server().server();
    }

    /** The {@code --servers=…} option pointing at this server. */
    String servers() {
        return "--servers=" + dflockd.server().hostPort();
    }

    /** Starts dflockctl with these arguments; it is killed after the test if still running. */
    Dflockctl.Running start(String... args) {
        Dflockctl.Running r = Dflockctl.start(args);
        started.add(r);
        return r;
    }
}
