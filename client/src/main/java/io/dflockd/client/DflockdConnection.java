package io.dflockd.client;

import io.dflockd.protocol.ClusterNames;
import io.dflockd.protocol.LockKind;
import io.dflockd.protocol.Reply;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.Stats;
import io.dflockd.protocol.Status;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection you manage, with one method per protocol command — the "low-level functions" of the
 * Python client. {@link DistributedLock}, {@link DistributedSemaphore}, {@link DistributedReadWriteLock}
 * and their async forms are built on it.
 *
 * <pre>{@code
 * try (DflockdConnection c = DflockdConnection.open(ClientConfig.defaults())) {
 *     Grant g = c.acquire("my-key", Duration.ofSeconds(10));
 *     long lease = c.renew("my-key", g.token());
 *     c.release("my-key", g.token());
 * }
 * }</pre>
 *
 * <p><b>Conventions.</b> Every non-success reply throws the typed {@link DflockdException} of its
 * status; in particular a {@code timeout} reply to an acquire or wait throws
 * {@link AcquireTimeoutException}. Timeouts travel in whole seconds, rounded up; a zero timeout is
 * a try-lock (acquire) or a poll (wait). A {@code null} lease TTL omits the field, so the server
 * default applies. The connection stays usable after a status error, and is closed after an I/O
 * failure ({@link DflockdIOException}) or a malformed reply ({@link ProtocolViolationException}).
 *
 * <p><b>Threads.</b> Calls are serialised: a call waits until the previous one has its reply, so
 * nothing is ever sent behind a blocking command (PROTOCOL.md §2.5). {@link #close()} may be called
 * from any thread and aborts a pending call.
 *
 * <p><b>Sessions.</b> The connection is the server-side session: closing it releases what it holds
 * (with the server's default auto-release) and drops its queued waiters. Do not use a connection
 * that has signal subscriptions for these calls; use {@link SignalConn} for signals.
 *
 * <p><b>Clusters.</b> A connection to a member of a cluster set with {@link ClientConfig.Builder#cluster}
 * follows {@code error_not_leader} (a node in redirect mode, PROTOCOL.md §11.1): it reconnects to the
 * named leader if that is a listed member, or to the next member after 50 ms when none is named or
 * the named one cannot be reached, authenticates, and sends the call again, up to
 * {@value #MAX_REDIRECTS} times per call; otherwise the call throws {@link NotLeaderException}. The session then lives on the new node: a two-phase
 * enqueue made on the old one is not carried over; held locks stay held (renew or release them by
 * token as usual).
 */
public final class DflockdConnection implements AutoCloseable {
    private static final int CALL_TIMEOUT_MS = Durations.REPLY_GRACE_MS;
    /** A membership change waits for the cluster: an add, until the new node has caught up. */
    private static final int MEMBERSHIP_TIMEOUT_MS = 120_000;
    private static final Request STATS = new Request.QueryStats();
    private static final Request PING = new Request.Ping();
    private static final Request BARRIER = new Request.Barrier();

    /** Redirects one call may follow (CLUSTER-DESIGN.md §4.5). */
    static final int MAX_REDIRECTS = 3;

    private final ClientConfig config;
    /** Replaced (under {@link #io}) when a redirect moves the connection to another cluster member. */
    private volatile Transport transport;
    private final ReentrantLock io = new ReentrantLock();
    private volatile boolean closedByClient;
    private final DataCommands data = new DataCommands(this);
    /** The loss watch set by {@link #watch}, applied again to the transport of a redirect. */
    private String watchName;
    private java.util.function.Consumer<IOException> watchLoss;

    private DflockdConnection(ClientConfig config, Transport transport) {
        this.config = config;
        this.transport = transport;
    }

    /**
     * Connects to the first server of {@code config} (TCP, then TLS and auth as configured).
     *
     * @throws DflockdIOException if the server cannot be reached
     * @throws AuthException if the auth token is rejected
     */
    public static DflockdConnection open(ClientConfig config) {
        return open(config, config.servers().get(0));
    }

    /**
     * Connects to {@code server} with the TLS, auth and timeout settings of {@code config}. Use
     * {@code config.serverFor(key)} to reach the server that owns a key.
     */
    public static DflockdConnection open(ClientConfig config, InetSocketAddress server) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(server, "server");
        DflockdIOException unreachable = null;
        for (InetSocketAddress candidate : config.candidatesFor(server)) {
            try {
                return new DflockdConnection(config, Transport.connect(config, candidate));
            } catch (DflockdIOException e) { // a cluster member down: the next one serves the same keys
                if (unreachable != null) {
                    e.addSuppressed(unreachable);
                }
                unreachable = e;
            }
        }
        throw unreachable;
    }

    /** Connects to {@code host:port} with default settings (plain TCP, no auth). */
    public static DflockdConnection open(String hostPort) {
        return open(ClientConfig.defaults(), Addresses.parse(hostPort));
    }

    /** The server this connection talks to. */
    public InetSocketAddress server() {
        return transport.server();
    }

    /** Whether the connection is still open (not closed by either side as far as the client knows). */
    public boolean isOpen() {
        return !transport.isClosed();
    }

    // ---- locks -----------------------------------------------------------------------------

    /** Acquires a lock ({@code l}) with the server's default lease. */
    public Grant acquire(String key, Duration timeout) {
        return acquire(key, timeout, null);
    }

    /**
     * Acquires a lock ({@code l}), waiting up to {@code timeout} in the key's FIFO queue.
     *
     * @param leaseTtl lease to request, or {@code null} for the server default
     * @throws AcquireTimeoutException if not granted in time
     */
    public Grant acquire(String key, Duration timeout, Duration leaseTtl) {
        return lock(LockKind.LOCK, Validate.key(key), Durations.timeoutSeconds(timeout, "timeout"), 0,
                Durations.leaseSeconds(leaseTtl));
    }

    /** Releases a lock ({@code r}); {@link ServerErrorException} if the token does not hold it. */
    public void release(String key, String token) {
        unlock(LockKind.LOCK, Validate.key(key), Validate.token(token));
    }

    /** Renews a lock ({@code n}) to the server's default lease; returns the new lease in seconds. */
    public long renew(String key, String token) {
        return renew(key, token, null);
    }

    /**
     * Renews a lock ({@code n}).
     *
     * @param leaseTtl the new lease, or {@code null} for the server default (not the original lease)
     * @return the new lease in seconds
     * @throws ServerErrorException if the token no longer holds the lock
     */
    public long renew(String key, String token, Duration leaseTtl) {
        return renew(LockKind.LOCK, Validate.key(key), Validate.token(token), Durations.leaseSeconds(leaseTtl));
    }

    /** Joins the queue of a lock without blocking ({@code e}), server-default lease. */
    public EnqueueResponse enqueue(String key) {
        return enqueue(key, null);
    }

    /**
     * Two-phase step 1 ({@code e}): takes the lock if it is free, else joins its queue. Follow with
     * {@link #waitFor} on this same connection within the server's read timeout (23 s).
     */
    public EnqueueResponse enqueue(String key, Duration leaseTtl) {
        return enqueue(LockKind.LOCK, Validate.key(key), 0, Durations.leaseSeconds(leaseTtl));
    }

    /**
     * Two-phase step 2 ({@code w}): waits up to {@code timeout} for the grant of an earlier
     * {@link #enqueue}; returns at once if that already acquired (resetting the lease).
     *
     * @throws AcquireTimeoutException if not granted in time (the waiter leaves the queue)
     * @throws NotEnqueuedException if the key was not enqueued on this connection
     */
    public Grant waitFor(String key, Duration timeout) {
        return await(LockKind.LOCK, Validate.key(key), Durations.timeoutSeconds(timeout, "timeout"));
    }

    // ---- semaphores ------------------------------------------------------------------------

    /** Acquires a semaphore slot ({@code sl}) with the server's default lease. */
    public Grant semAcquire(String key, Duration timeout, int limit) {
        return semAcquire(key, timeout, limit, null);
    }

    /**
     * Acquires one of {@code limit} slots ({@code sl}).
     *
     * @throws LimitMismatchException if the key exists with another limit
     * @throws AcquireTimeoutException if not granted in time
     */
    public Grant semAcquire(String key, Duration timeout, int limit, Duration leaseTtl) {
        return lock(LockKind.SEMAPHORE, Validate.key(key), Durations.timeoutSeconds(timeout, "timeout"),
                Validate.limit(limit), Durations.leaseSeconds(leaseTtl));
    }

    /** Releases a semaphore slot ({@code sr}). */
    public void semRelease(String key, String token) {
        unlock(LockKind.SEMAPHORE, Validate.key(key), Validate.token(token));
    }

    /** Renews a semaphore slot ({@code sn}) to the server default; returns the lease in seconds. */
    public long semRenew(String key, String token) {
        return semRenew(key, token, null);
    }

    /** Renews a semaphore slot ({@code sn}); returns the new lease in seconds. */
    public long semRenew(String key, String token, Duration leaseTtl) {
        return renew(LockKind.SEMAPHORE, Validate.key(key), Validate.token(token), Durations.leaseSeconds(leaseTtl));
    }

    /**
     * Keeps a held lock ({@code k}, our extension, PROTOCOL.md §6.10) for {@code hold} from now,
     * whatever becomes of the connection that holds it; then it expires. Returns the lease set.
     *
     * @throws ServerErrorException if the token does not hold the lock, or the server does not have
     *     this extension (upstream servers answer {@code error})
     */
    public long keep(String key, String token, Duration hold) {
        return keep(LockKind.LOCK, Validate.key(key), Validate.token(token),
                Durations.leaseSeconds(Objects.requireNonNull(hold, "hold")));
    }

    /** {@link #keep} for a semaphore slot ({@code sk}). */
    public long semKeep(String key, String token, Duration hold) {
        return keep(LockKind.SEMAPHORE, Validate.key(key), Validate.token(token),
                Durations.leaseSeconds(Objects.requireNonNull(hold, "hold")));
    }

    /** Two-phase step 1 for a semaphore ({@code se}), server-default lease. */
    public EnqueueResponse semEnqueue(String key, int limit) {
        return semEnqueue(key, limit, null);
    }

    /** Two-phase step 1 for a semaphore ({@code se}). */
    public EnqueueResponse semEnqueue(String key, int limit, Duration leaseTtl) {
        return enqueue(LockKind.SEMAPHORE, Validate.key(key), Validate.limit(limit), Durations.leaseSeconds(leaseTtl));
    }

    /** Two-phase step 2 for a semaphore ({@code sw}). */
    public Grant semWaitFor(String key, Duration timeout) {
        return await(LockKind.SEMAPHORE, Validate.key(key), Durations.timeoutSeconds(timeout, "timeout"));
    }

    // ---- read-write locks (PROTOCOL.md §6.14) -----------------------------------------------

    /** Acquires the read side of a read-write lock ({@code rl}) with the server's default lease. */
    public Grant readAcquire(String key, Duration timeout) {
        return readAcquire(key, timeout, null);
    }

    /**
     * Acquires the read side of a read-write lock ({@code rl}): shared with other readers, granted
     * when no writer holds the key and nobody queues before it (a queued writer makes later readers
     * wait, PROTOCOL.md §7.11).
     *
     * @throws TypeMismatchException if the key is a lock or semaphore
     * @throws AcquireTimeoutException if not granted in time
     */
    public Grant readAcquire(String key, Duration timeout, Duration leaseTtl) {
        return rwAcquire(LockKind.READ, key, timeout, leaseTtl);
    }

    /** Acquires the write side of a read-write lock ({@code wl}) with the server's default lease. */
    public Grant writeAcquire(String key, Duration timeout) {
        return writeAcquire(key, timeout, null);
    }

    /**
     * Acquires the write side of a read-write lock ({@code wl}): alone, granted when nobody holds the
     * key and nobody queues before it.
     *
     * @throws TypeMismatchException if the key is a lock or semaphore
     * @throws AcquireTimeoutException if not granted in time
     */
    public Grant writeAcquire(String key, Duration timeout, Duration leaseTtl) {
        return rwAcquire(LockKind.WRITE, key, timeout, leaseTtl);
    }

    /**
     * Releases a read grant ({@code rr}); {@link ServerErrorException} if the token holds nothing on
     * the key. The server goes by the token: {@code rr} and {@code wr} release either side.
     */
    public void readRelease(String key, String token) {
        unlock(LockKind.READ, Validate.key(key), Validate.token(token));
    }

    /** Releases a write grant ({@code wr}); see {@link #readRelease}. */
    public void writeRelease(String key, String token) {
        unlock(LockKind.WRITE, Validate.key(key), Validate.token(token));
    }

    /** Renews a read grant ({@code rn}) to the server default; returns the new lease in seconds. */
    public long readRenew(String key, String token) {
        return readRenew(key, token, null);
    }

    /** Renews a read grant ({@code rn}); returns the new lease in seconds. */
    public long readRenew(String key, String token, Duration leaseTtl) {
        return renew(LockKind.READ, Validate.key(key), Validate.token(token), Durations.leaseSeconds(leaseTtl));
    }

    /** Renews a write grant ({@code wn}) to the server default; returns the new lease in seconds. */
    public long writeRenew(String key, String token) {
        return writeRenew(key, token, null);
    }

    /** Renews a write grant ({@code wn}); returns the new lease in seconds. */
    public long writeRenew(String key, String token, Duration leaseTtl) {
        return renew(LockKind.WRITE, Validate.key(key), Validate.token(token), Durations.leaseSeconds(leaseTtl));
    }

    /** Two-phase step 1 for the read side ({@code re}), server-default lease. */
    public EnqueueResponse readEnqueue(String key) {
        return readEnqueue(key, null);
    }

    /** Two-phase step 1 for the read side ({@code re}); follow with {@link #readWaitFor} on this connection. */
    public EnqueueResponse readEnqueue(String key, Duration leaseTtl) {
        return enqueue(LockKind.READ, Validate.key(key), 0, Durations.leaseSeconds(leaseTtl));
    }

    /** Two-phase step 1 for the write side ({@code we}), server-default lease. */
    public EnqueueResponse writeEnqueue(String key) {
        return writeEnqueue(key, null);
    }

    /** Two-phase step 1 for the write side ({@code we}); follow with {@link #writeWaitFor} on this connection. */
    public EnqueueResponse writeEnqueue(String key, Duration leaseTtl) {
        return enqueue(LockKind.WRITE, Validate.key(key), 0, Durations.leaseSeconds(leaseTtl));
    }

    /** Two-phase step 2 for the read side ({@code rw}); see {@link #waitFor}. */
    public Grant readWaitFor(String key, Duration timeout) {
        return await(LockKind.READ, Validate.key(key), Durations.timeoutSeconds(timeout, "timeout"));
    }

    /** Two-phase step 2 for the write side ({@code ww}); see {@link #waitFor}. */
    public Grant writeWaitFor(String key, Duration timeout) {
        return await(LockKind.WRITE, Validate.key(key), Durations.timeoutSeconds(timeout, "timeout"));
    }

    private Grant rwAcquire(LockKind kind, String key, Duration timeout, Duration leaseTtl) {
        return lock(kind, Validate.key(key), Durations.timeoutSeconds(timeout, "timeout"), 0,
                Durations.leaseSeconds(leaseTtl));
    }

    // ---- leader election (PROTOCOL.md §6.15) ------------------------------------------------

    /** Runs for leader of {@code key} ({@code elect}) with the server's default lease. */
    public Grant elect(String key, Duration timeout) {
        return elect(key, timeout, null);
    }

    /**
     * Runs for leader of {@code key} ({@code elect}), waiting up to {@code timeout} in the key's FIFO
     * queue of candidates. An election is a lock of limit 1 on the key: the leader keeps the term with
     * {@link #renew(String, String)} and ends it with {@link #resign}; the grant's
     * {@link Grant#fence() fence} is the term's, larger than every earlier term's.
     *
     * @param leaseTtl lease to request, or {@code null} for the server default
     * @throws AcquireTimeoutException if not elected in time
     */
    public Grant elect(String key, Duration timeout, Duration leaseTtl) {
        return elect(Validate.key(key), Durations.timeoutSeconds(timeout, "timeout"), Durations.leaseSeconds(leaseTtl));
    }

    /** Gives up the leadership of {@code token} ({@code resign}); {@link ServerErrorException} if it does not lead. */
    public void resign(String key, String token) {
        callOk(new Request.Resign(Validate.key(key), Validate.token(token)));
    }

    // ---- data (PROTOCOL.md §6.16-6.18, §6.20) ----------------------------------------------

    /** The counter, KV, list and barrier commands on this connection. */
    public DataCommands data() {
        return data;
    }

    // ---- other commands --------------------------------------------------------------------

    /**
     * Publishes a signal ({@code signal}) and returns the number of deliveries (each ungrouped
     * listener and each queue group counts once). Only for connections without subscriptions.
     */
    public int emitSignal(String channel, String payload) {
        Validate.channel(channel);
        Validate.payload(channel, payload);
        Request req = new Request.Publish(channel, payload);
        String line = call(req, CALL_TIMEOUT_MS);
        long n = checked(() -> Replies.okNumber(line, server(), Replies.describe(req)));
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** Fetches and parses the server's {@code stats}. */
    public Stats stats() {
        String line = call(STATS, CALL_TIMEOUT_MS);
        return checked(() -> Replies.stats(line, server(), Replies.describe(STATS)));
    }

    /** Sends {@code ping}; succeeds on {@code ok} (servers v1.14+). Counts as traffic for the read timeout. */
    public void ping() {
        callOk(PING);
    }

    /**
     * Sends {@code barrier} (PROTOCOL.md §6.11) and returns on {@code ok}: at once from a standalone
     * server; from a cluster node once it has applied every change committed anywhere in the cluster
     * before the call. A {@link ServerErrorException} when the cluster could not confirm it (no quorum),
     * or from a server without the command (upstream outside cluster mode).
     */
    public void barrier() {
        callOk(BARRIER);
    }

    /**
     * Sends {@code admin} (PROTOCOL.md §6.12): unlocks the membership commands on this connection to a
     * cluster node started with an admin token. An {@link AuthException} for a wrong token (the server
     * then closes the connection); a {@link ServerErrorException} from a standalone server or a node
     * without an admin token.
     */
    public void admin(String adminToken) {
        if (adminToken.isBlank() || adminToken.indexOf('\n') >= 0 || adminToken.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("the admin token must be one non-empty line");
        }
        membershipCall(new Request.Admin(adminToken), CALL_TIMEOUT_MS);
    }

    /**
     * Sends {@code cluster-add} after {@link #admin}: makes {@code nodeId} a voting member, reached by
     * its peers at {@code raftAddress} and by clients at {@code clientAddress} (both {@code host:port}).
     * Returns once the cluster committed the new configuration, which waits until the new node (started
     * with {@code --cluster-join}) has caught up. A {@link ServerErrorException} when the cluster refused
     * or could not complete the change (the server's log says why).
     */
    public void clusterAdd(String nodeId, String raftAddress, String clientAddress) {
        requireHostPort(raftAddress, "raftAddress");
        requireHostPort(clientAddress, "clientAddress");
        membershipCall(new Request.ClusterAdd(nodeId(nodeId), raftAddress, clientAddress), MEMBERSHIP_TIMEOUT_MS);
    }

    /** Sends {@code cluster-remove} after {@link #admin}; the removed node stops by itself. As {@link #clusterAdd} otherwise. */
    public void clusterRemove(String nodeId) {
        membershipCall(new Request.ClusterRemove(nodeId(nodeId)), MEMBERSHIP_TIMEOUT_MS);
    }

    /** Sends {@code cluster-transfer} after {@link #admin}: returns once {@code nodeId} leads. */
    public void clusterTransfer(String nodeId) {
        membershipCall(new Request.ClusterTransfer(nodeId(nodeId)), MEMBERSHIP_TIMEOUT_MS);
    }

    private static String nodeId(String nodeId) {
        if (nodeId == null || !ClusterNames.isNodeId(nodeId)) {
            throw new IllegalArgumentException("invalid node id '" + nodeId + "': 1-64 of A-Z a-z 0-9 _ . -");
        }
        return nodeId;
    }

    private static void requireHostPort(String address, String what) {
        if (address == null || !ClusterNames.isHostPort(address)) {
            throw new IllegalArgumentException("invalid " + what + " '" + address + "': expected host:port (port 1-65535)");
        }
    }

    private void membershipCall(Request req, int replyTimeoutMs) {
        String line = call(req, replyTimeoutMs);
        checked(() -> {
            Replies.membershipOk(line, server(), Replies.describe(req));
            return null;
        });
    }

    /**
     * Sends {@code stable-ref} (PROTOCOL.md §6.13): this connection acts for the client named
     * {@code ref}. A cluster then keeps the queue places and locks this connection leaves behind when
     * it or its node is gone, for {@code --orphan-ttl}, and a later connection that names the same
     * reference gets them back; a standalone server accepts and ignores it. Send it right after
     * connecting, once per connection. {@link DistributedLock} and {@link DistributedSemaphore} do it
     * themselves on every cluster connection.
     *
     * @param ref 1 to 64 printable ASCII characters; random, secret and unique per client (not a credential)
     * @throws ServerErrorException if the connection already named one, or the server lacks the command
     */
    public void stableRef(String ref) {
        if (!Request.StableRef.isValid(ref)) {
            throw new IllegalArgumentException("a stable ref must be 1 to 64 printable ASCII characters");
        }
        callOk(new Request.StableRef(ref));
    }

    private void callOk(Request req) {
        String line = call(req, CALL_TIMEOUT_MS);
        checked(() -> {
            Replies.ok(line, server(), Replies.describe(req));
            return null;
        });
    }

    /** Closes the connection; idempotent; aborts a pending call from another thread. */
    @Override
    public void close() {
        closedByClient = true;
        transport.close();
    }

    /**
     * Reports the loss of this connection to {@code onLoss} as soon as it happens (see
     * {@link ConnectionWatch}); used while a lease is held.
     */
    void watch(String name, java.util.function.Consumer<IOException> onLoss) {
        io.lock();
        try {
            transport.watch(name, onLoss);
            watchName = name;
            watchLoss = onLoss;
        } catch (IOException e) {
            throw transport.failure(e);
        } finally {
            io.unlock();
        }
    }

    /** Whether {@link #close()} was called, as opposed to the connection failing or the server closing it. */
    boolean closedByClient() {
        return closedByClient;
    }

    @Override
    public String toString() {
        return "DflockdConnection[" + Addresses.format(server()) + (isOpen() ? "" : ", closed") + "]";
    }

    // ---- package-private core used by the high-level types ---------------------------------

    /**
     * {@code l}/{@code sl}/{@code rl}/{@code wl}; {@code limit} counts for a semaphore only. Seconds
     * already validated; lease 0 = omit.
     */
    Grant lock(LockKind kind, String key, long timeoutS, int limit, long leaseS) {
        Request req = switch (kind) {
            case LOCK -> Request.Acquire.lock(key, timeoutS, leaseS);
            case SEMAPHORE -> Request.Acquire.semaphore(key, timeoutS, limit, leaseS);
            case READ, WRITE -> Request.Acquire.readWrite(kind, key, timeoutS, leaseS);
        };
        String line = call(req, Durations.replyTimeoutMs(timeoutS));
        return checked(() -> Replies.grant(line, Status.OK, server(), Replies.describe(req)));
    }

    /** {@code elect}; seconds already validated, lease 0 = omit. */
    Grant elect(String key, long timeoutS, long leaseS) {
        Request req = new Request.Elect(key, timeoutS, leaseS);
        String line = call(req, Durations.replyTimeoutMs(timeoutS));
        return checked(() -> Replies.grant(line, Status.OK, server(), Replies.describe(req)));
    }

    /** {@code r}/{@code sr}/{@code rr}/{@code wr}. */
    void unlock(LockKind kind, String key, String token) {
        callOk(new Request.Release(key, token, kind));
    }

    /** {@code n}/{@code sn}/{@code rn}/{@code wn}; returns the new lease in seconds. */
    long renew(LockKind kind, String key, String token, long leaseS) {
        Request req = new Request.Renew(key, token, leaseS, kind);
        String line = call(req, CALL_TIMEOUT_MS);
        return checked(() -> Replies.okNumber(line, server(), Replies.describe(req)));
    }

    /**
     * {@code k}/{@code sk}; returns the lease set in seconds. Keep has no read-write commands: {@code k}
     * keeps a read or write grant by its token (PROTOCOL.md §6.14).
     */
    long keep(LockKind kind, String key, String token, long holdS) {
        Request req = new Request.Keep(key, token, holdS, kind == LockKind.SEMAPHORE);
        String line = call(req, CALL_TIMEOUT_MS);
        return checked(() -> Replies.okNumber(line, server(), Replies.describe(req)));
    }

    /** {@code e}/{@code se}/{@code re}/{@code we}; {@code limit} counts for a semaphore only. */
    EnqueueResponse enqueue(LockKind kind, String key, int limit, long leaseS) {
        Request req = switch (kind) {
            case LOCK -> Request.Enqueue.lock(key, leaseS);
            case SEMAPHORE -> Request.Enqueue.semaphore(key, limit, leaseS);
            case READ, WRITE -> Request.Enqueue.readWrite(kind, key, leaseS);
        };
        String line = call(req, CALL_TIMEOUT_MS);
        return checked(() -> Replies.enqueue(line, server(), Replies.describe(req)));
    }

    /** {@code w}/{@code sw}/{@code rw}/{@code ww}. */
    Grant await(LockKind kind, String key, long timeoutS) {
        Request req = new Request.Wait(key, timeoutS, kind);
        String line = call(req, Durations.replyTimeoutMs(timeoutS));
        return checked(() -> Replies.grant(line, Status.OK, server(), Replies.describe(req)));
    }

    /** Reads a reply line; {@code request} names the request in messages. */
    interface ReplyReader<T> {
        T read(String line, InetSocketAddress server, String request);
    }

    /** One call whose reply line {@code reader} reads, as the public calls do. */
    <T> T request(Request req, int replyTimeoutMs, ReplyReader<T> reader) {
        String line = call(req, replyTimeoutMs);
        return checked(() -> reader.read(line, server(), Replies.describe(req)));
    }

    /**
     * Runs a reply parser; a malformed reply or an auth failure closes the connection, since the
     * framing can no longer be trusted (or the server closes it anyway).
     */
    private <T> T checked(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (ProtocolViolationException | AuthException e) {
            transport.closeSocket();
            throw e;
        }
    }

    /**
     * One request, one reply line, serialised with every other call on this connection; a cluster
     * member's {@code error_not_leader} is followed (see the class comment).
     */
    private String call(Request req, int replyTimeoutMs) {
        byte[] bytes = req.encode(StandardCharsets.UTF_8);
        io.lock();
        try {
            String line = exchange(req, bytes, replyTimeoutMs);
            Reply.NotLeader notLeader = LeaderRedirects.notLeader(line);
            InetSocketAddress from = server();
            DflockdIOException unreachable = null;
            for (int redirects = 0; notLeader != null && !config.membersOf(from).isEmpty(); redirects++) {
                if (redirects == MAX_REDIRECTS) {
                    throw new NotLeaderException(server(), "still not the leader after " + MAX_REDIRECTS
                            + " redirects (" + Replies.describe(req) + ")", notLeader.leaderAddress(), unreachable);
                }
                InetSocketAddress target = LeaderRedirects.target(config.membersOf(from), from, notLeader,
                        Replies.describe(req));
                from = target;
                try {
                    moveTo(target, notLeader.leaderAddress() == null);
                } catch (DflockdIOException e) {
                    // Followers name a dead leader until they elect another: on as if none was named.
                    unreachable = e;
                    notLeader = new Reply.NotLeader(null);
                    continue;
                }
                line = exchange(req, bytes, replyTimeoutMs);
                notLeader = LeaderRedirects.notLeader(line);
            }
            return line;
        } finally {
            io.unlock();
        }
    }

    /**
     * Replaces the transport with one to {@code member} (io held): connected, authenticated and
     * watched like the old one, which is closed. The server keeps what the old session holds
     * (a redirect-mode node that does not lead abandons rather than releases).
     */
    private void moveTo(InetSocketAddress member, boolean noLeaderKnown) {
        if (noLeaderKnown) {
            try {
                Thread.sleep(LeaderRedirects.NO_LEADER_PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DflockdIOException(server(), "interrupted while looking for the cluster's leader", null);
            }
        }
        Transport next = Transport.connect(config, member);
        Transport old = transport;
        transport = next;
        old.close();
        if (closedByClient) {
            next.close(); // close() ran during the move
        }
        if (watchName != null) {
            try {
                next.watch(watchName, watchLoss);
            } catch (IOException e) {
                throw next.failure(e);
            }
        }
    }

    /** Writes one request and reads its reply line (io held). */
    private String exchange(Request req, byte[] bytes, int replyTimeoutMs) {
        if (transport.isClosed()) {
            throw new DflockdIOException(server(), "connection is closed (" + Replies.describe(req) + ")");
        }
        String line;
        try {
            transport.readTimeout(replyTimeoutMs);
            // a list's range may be as long as the list: it gets the room of a stats document
            transport.maxReplyBytes(req == STATS || req instanceof Request.ListRange
                    ? Transport.MAX_STATS_REPLY_BYTES : Transport.MAX_REPLY_BYTES);
            transport.write(bytes);
            line = transport.readLine();
        } catch (IOException e) {
            throw transport.failure(e);
        }
        if (line == null) {
            throw transport.eof(Replies.describe(req));
        }
        return line;
    }
}
