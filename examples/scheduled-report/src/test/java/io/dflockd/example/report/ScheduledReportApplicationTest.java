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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example application, twice in this JVM (two instances, two clients) against one real server:
 * the {@code @SchedulerLock} job runs on one instance at a time and at most once per 2 s
 * ({@code lockAtLeastFor}), and the registry-guarded method excludes across the two instances.
 */
@Tag("integration") // a real server: not in the quick loop (mvn test -Pquick)
class ScheduledReportApplicationTest {

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
            // lockAtLeastFor = 2s from the lock's creation, just before the run's start (a little slack)
            assertThat(next.start() - prev.start()).as("at most one run per 2 s: %s then %s", prev, next)
                    .isGreaterThanOrEqualTo(1_900);
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

    private static ConfigurableApplicationContext start(DflockdServer server, Path file, String node) {
        return new SpringApplicationBuilder(ScheduledReportApplication.class)
                .properties("dflockd.servers=127.0.0.1:" + server.port(), "report.file=" + file,
                        "report.node=" + node)
                .run();
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
