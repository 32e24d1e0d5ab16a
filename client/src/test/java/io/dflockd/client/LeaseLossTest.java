package io.dflockd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dflockd.testing.ServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A held lease whose server process is SIGKILLed is reported lost at once (the connection's RST/EOF),
 * not at the next renewal, which with the default 33 s lease is 15 s away.
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class LeaseLossTest {
    /** Far below the 15 s renewal period, so only the connection watch can meet it. */
    private static final Duration PROMPT = Duration.ofSeconds(5);

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        Logger.getLogger(Shared.LOGGER_NAME).addHandler(capture);
    }

    @AfterEach
    void stopCapture() {
        Logger.getLogger(Shared.LOGGER_NAME).removeHandler(capture);
    }

    @Test
    void serverSigkillIsReportedAtOnceAndLoggedInOneLine() throws Exception {
        try (ServerProcess server = ServerProcess.start()) {
            ClientConfig config = ClientConfig.builder().server("127.0.0.1:" + server.port()).build();
            CompletableFuture<Long> lostAt = new CompletableFuture<>();
            CompletableFuture<Throwable> cause = new CompletableFuture<>();
            try (DistributedLock lock = DistributedLock.builder("sigkill").config(config)
                    .onLeaseLost((k, t, e) -> {
                        lostAt.complete(System.nanoTime());
                        cause.complete(e);
                    }).build().acquireOrThrow();
                    DistributedSemaphore slot = DistributedSemaphore.builder("sigkill-sem", 2).config(config)
                            .build().acquireOrThrow()) {
                assertThat(lock.lease()).isEqualTo(Duration.ofSeconds(33));
                long killedAt = System.nanoTime();
                server.kill();
                long delayMs = TimeUnit.NANOSECONDS.toMillis(lostAt.get(PROMPT.toMillis(), TimeUnit.MILLISECONDS) - killedAt);
                System.out.println("lease loss reported " + delayMs + " ms after the server's SIGKILL");
                assertThat(lock.isHeld()).isFalse();
                assertThat(lock.token()).isNull();
                assertThat(cause.get()).isInstanceOf(DflockdIOException.class)
                        .hasMessageContaining("127.0.0.1:" + server.port())
                        .message().satisfiesAnyOf(m -> assertThat(m).endsWith(": the server closed the connection"),
                                m -> assertThat(m).contains(": the connection failed: "));
                await().atMost(PROMPT).until(() -> !slot.isHeld());
            }
        }
        List<LogRecord> lost = records.stream().filter(r -> r.getLevel() == Level.SEVERE).toList();
        assertThat(lost).hasSize(2).allSatisfy(r -> assertThat(r.getThrown()).isNull());
        assertThat(lost).anySatisfy(r -> assertThat(format(r)).startsWith("lease of lock 'sigkill' lost: "));
    }

    @Test
    void aQuietlyClosedConnectionIsNotALoss() throws Exception {
        try (ServerProcess server = ServerProcess.start()) {
            ClientConfig config = ClientConfig.builder().server("127.0.0.1:" + server.port()).build();
            CompletableFuture<Throwable> lost = new CompletableFuture<>();
            DistributedLock lock = DistributedLock.builder("quiet").config(config)
                    .onLeaseLost((k, t, e) -> lost.complete(e)).build().acquireOrThrow();
            lock.release();
            assertThat(lock.acquire()).isTrue();
            lock.close();
            server.kill(); // nothing is held any more: nobody must be told of a loss
            assertThat(lost).isNotDone();
            await().during(Duration.ofMillis(500)).atMost(PROMPT).until(() -> !lost.isDone());
        }
        assertThat(records).noneMatch(r -> r.getLevel() == Level.SEVERE);
    }

    private static String format(LogRecord r) {
        return java.text.MessageFormat.format(r.getMessage(), r.getParameters());
    }
}
