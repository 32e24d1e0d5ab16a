package io.dflockd.example.report;

import java.time.Instant;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every instance tries the job every second; ShedLock (on dflockd) lets one of them run it, and no
 * instance runs it again until 2 s after the last run started ({@code lockAtLeastFor}).
 */
@Component
public class ReportJob {
    private final ReportLog log;

    public ReportJob(ReportLog log) {
        this.log = log;
    }

    @Scheduled(fixedRate = 1000)
    @SchedulerLock(name = "scheduled-report", lockAtLeastFor = "2s", lockAtMostFor = "30s")
    public void run() throws InterruptedException {
        Instant start = Instant.now();
        Thread.sleep(200); // the report
        log.record("job", start, Instant.now());
    }
}
