package io.dflockd.example.report;

import io.dflockd.client.DflockdClient;
import io.dflockd.shedlock.DflockdLockProvider;
import java.nio.file.Path;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A small Spring Boot application on dflockd. dflockd-spring's auto-configuration makes the
 * {@link DflockdClient} (from {@code dflockd.servers}) and the lock registry; this class adds the
 * ShedLock provider on the same client. Run several instances against one server: {@link ReportJob}
 * runs on one of them at a time, and {@link ReportService#compile()} excludes across all of them.
 *
 * <p>Properties: {@code dflockd.servers} (default 127.0.0.1:6388), {@code report.file} (the shared
 * file the runs are appended to, default {@code report.log}), {@code report.node} (this instance's
 * name in that file, default its pid).
 */
@SpringBootApplication
@EnableScheduling
@EnableSchedulerLock(defaultLockAtMostFor = "30s")
public class ScheduledReportApplication {

    @Bean
    LockProvider lockProvider(DflockdClient client) {
        return new DflockdLockProvider(client);
    }

    @Bean
    ReportLog reportLog(@Value("${report.file:report.log}") String file, @Value("${report.node:}") String node) {
        return new ReportLog(Path.of(file), node.isBlank() ? String.valueOf(ProcessHandle.current().pid()) : node);
    }

    public static void main(String[] args) {
        SpringApplication.run(ScheduledReportApplication.class, args);
    }
}
