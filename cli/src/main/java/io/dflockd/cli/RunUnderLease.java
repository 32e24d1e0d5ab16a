package io.dflockd.cli;

import io.dflockd.client.LeaseLostListener;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The heart of {@code lock}, {@code rwlock} and {@code sem}: acquire, run the command while the library renews the
 * lease in the background, release when the command exits, and pass its exit status through.
 *
 * <p>Lease loss is reported by the library's {@link LeaseLostListener} on one of its threads. With
 * {@link HoldOptions.OnLeaseLost#TERMINATE} the command is terminated at once: it must not go on
 * believing it is alone in its critical section. dflockctl then exits with
 * {@link ExitCodes#LEASE_LOST}, whatever status the terminated command returned.
 */
final class RunUnderLease {
    private final HoldOptions options;
    private final List<String> command;
    private final PrintWriter err;
    private final Object monitor = new Object();
    private ChildProcess child;
    private boolean leaseLost;
    private String lossMessage;

    RunUnderLease(HoldOptions options, List<String> command, PrintWriter err) {
        this.options = options;
        this.command = List.copyOf(command);
        this.err = err;
    }

    /**
     * @param leaseFactory builds the unacquired lease given the lease-lost listener to install
     * @return the exit code
     */
    int run(Function<LeaseLostListener, HeldLease> leaseFactory) {
        options.validate();
        HeldLease lease = leaseFactory.apply(this::onLeaseLost);
        Thread hook = new Thread(() -> stopOnShutdown(lease), "dflockctl-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (!lease.acquire()) {
                throw new CliException(ExitCodes.NOT_ACQUIRED, lease.describe() + " not acquired within "
                        + DurationConverter.format(options.timeout));
            }
            ChildProcess started = ChildProcess.start(command, childEnvironment(lease));
            synchronized (monitor) {
                child = started;
                if (leaseLost) { // lost between the grant and the start: do not let it run unprotected
                    reactToLoss();
                }
            }
            int status = started.waitFor();
            lease.close(); // release before anything else: the next waiter should not wait for our exit
            synchronized (monitor) {
                return leaseLost && started.terminationRequested() ? ExitCodes.LEASE_LOST : status;
            }
        } finally {
            lease.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook is running or will run
            }
        }
    }

    private static Map<String, String> childEnvironment(HeldLease lease) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DFLOCKD_KEY", lease.key());
        String token = lease.token();
        if (token != null) {
            env.put("DFLOCKD_TOKEN", token);
        }
        lease.fence().ifPresent(f -> env.put("DFLOCKD_FENCE", Long.toUnsignedString(f)));
        return env;
    }

    private void onLeaseLost(String key, String token, Throwable cause) {
        synchronized (monitor) {
            leaseLost = true;
            lossMessage = "lease on '" + key + "' lost: renewal failed"
                    + (cause == null || cause.getMessage() == null ? "" : " (" + Errors.message(cause) + ")");
            if (child != null) {
                reactToLoss();
            }
        }
    }

    /** Called with the monitor held, once the child exists. */
    private void reactToLoss() {
        if (!child.isAlive()) {
            return; // the command finished first; its status stands
        }
        if (options.onLeaseLost == HoldOptions.OnLeaseLost.IGNORE) {
            Errors.warn(err, lossMessage + "; the command keeps running (--on-lease-lost=ignore)");
            return;
        }
        err.println(Errors.PREFIX + Errors.oneLine(lossMessage) + "; terminating the command (SIGTERM, SIGKILL after "
                + DurationConverter.format(options.killAfter) + ")");
        err.flush();
        child.terminate(options.killAfter);
    }

    /** dflockctl was told to stop (SIGTERM, Ctrl-C): stop the command, then give the lease back. */
    private void stopOnShutdown(HeldLease lease) {
        ChildProcess c;
        synchronized (monitor) {
            c = child;
        }
        if (c != null && c.isAlive()) {
            c.terminateAndWait(options.killAfter);
        }
        lease.close();
    }
}
