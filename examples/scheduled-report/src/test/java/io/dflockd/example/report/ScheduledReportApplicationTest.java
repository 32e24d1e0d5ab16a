package io.dflockd.example.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dflockd.server.DflockdServer;
import io.dflockd.testing.EmbeddedServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example application, twice in this JVM (two instances, two clients) against one real server:
 * the {@code @SchedulerLock} job runs on one instance at a time and never again before its last lock's
 * {@code lockAtLeastFor} (2 s) has passed, and the registry-guarded method excludes across the two instances.
 */
@Tag("integration") // a real server: not in the quick loop (mvn test -Pquick)
class ScheduledReportApplicationTest {

    /** A lock the job's ShedLock provider took on {@code node}: no run may start before {@code atLeastUntil}. */
    record Grant(String node, long acquiredMillis, long atLeastUntilMillis) {
    }

    /** Every lock the instances' providers took, recorded by a wrapper around each provider. */
    private final Queue<Grant> grants = new ConcurrentLinkedQueue<>();

    record Run(String what, String node, long start, long end) {
        static Run parse(String line) {
            String[] f = line.trim().split(" ");
            return new Run(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]));
        }
    }

    @Test
    void twoInstancesTakeTurns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.log");
        List<Run> runs;
        try (DflockdServer server = EmbeddedServers.start(b -> { })) {
            try (ConfigurableApplicationContext a = start(server, file, "a");
                    ConfigurableApplicationContext b = start(server, file, "b")) {
                // the scheduled job ticks every second on both; four runs take 6 s or more
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> runs(file, "job").size() >= 4);

                // on-demand work: 3 threads per instance, 2 calls each, all at once
                List<CompletableFuture<Void>> calls = new ArrayList<>();
                for (ConfigurableApplicationContext app : List.of(a, b)) {
                    ReportService service = app.getBean(ReportService.class);
                    for (int t = 0; t < 3; t++) {
                        calls.add(CompletableFuture.runAsync(() -> {
                            try {
                                service.compile();
                                service.compile();
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                        }));
                    }
                }
                CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
            }
            runs = runs(file, null);
        }

        List<Run> jobs = sorted(runs, "job");
        assertThat(jobs).hasSizeGreaterThanOrEqualTo(4);
        for (int i = 1; i < jobs.size(); i++) {
            Run prev = jobs.get(i - 1);
            Run next = jobs.get(i);
            assertThat(next.start()).as("job runs never overlap: %s then %s", prev, next)
                    .isGreaterThanOrEqualTo(prev.end());
            // lockAtLeastFor = 2 s from the lock's configuration, made just before the lock was asked for:
            // the next run may not start before then. (Not "2 s after the run started": on a loaded
            // machine a first lock() that connects can take most of those 2 s.)
            Grant held = grantOf(prev);
            assertThat(held.atLeastUntilMillis() - held.acquiredMillis()).as("lockAtLeastFor, less the time to lock")
                    .isLessThanOrEqualTo(2_000);
            assertThat(next.start()).as("no run before the previous lock's lockAtLeastUntil: %s then %s (%s)",
                    prev, next, held).isGreaterThanOrEqualTo(held.atLeastUntilMillis());
        }

        List<Run> compiles = sorted(runs, "compile");
        assertThat(compiles).hasSize(12);
        assertThat(compiles).extracting(Run::node).containsOnly("a", "b").contains("a", "b");
        for (int i = 1; i < compiles.size(); i++) {
            assertThat(compiles.get(i).start()).as("compiles never overlap: %s then %s", compiles.get(i - 1),
                    compiles.get(i)).isGreaterThanOrEqualTo(compiles.get(i - 1).end());
        }
        System.out.println("job runs by node: a=" + jobs.stream().filter(r -> r.node().equals("a")).count()
                + " b=" + jobs.stream().filter(r -> r.node().equals("b")).count());
    }

    /** The last lock {@code run}'s node took before the run started: the one the run ran under. */
    private Grant grantOf(Run run) {
        return grants.stream().filter(g -> g.node().equals(run.node()) && g.acquiredMillis() <= run.start())
                .max(Comparator.comparingLong(Grant::acquiredMillis))
                .orElseThrow(() -> new AssertionError("no lock recorded for " + run));
    }

    private ConfigurableApplicationContext start(DflockdServer server, Path file, String node) {
        return new SpringApplicationBuilder(ScheduledReportApplication.class)
                .initializers(context -> context.getBeanFactory().addBeanPostProcessor(recordingGrantsOf(node)))
                .properties("dflockd.servers=127.0.0.1:" + server.port(), "report.file=" + file,
                        "report.node=" + node)
                .run();
    }

    /** Wraps the application's {@link LockProvider} so that each lock it grants is recorded in {@link #grants}. */
    private BeanPostProcessor recordingGrantsOf(String node) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (!(bean instanceof LockProvider provider)) {
                    return bean;
                }
                return (LockProvider) config -> {
                    Optional<SimpleLock> lock = provider.lock(config);
                    lock.ifPresent(l -> grants.add(new Grant(node, Instant.now().toEpochMilli(),
                            config.getLockAtLeastUntil().toEpochMilli())));
                    return lock;
                };
            }
        };
    }

    private static List<Run> runs(Path file, String what) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(Run::parse)
                .filter(r -> what == null || r.what().equals(what)).toList();
    }

    private static List<Run> sorted(List<Run> runs, String what) {
        return runs.stream().filter(r -> r.what().equals(what)).sorted(Comparator.comparingLong(Run::start)).toList();
    }
}
