package io.dflockd.example.report;

import io.dflockd.spring.DflockdLockRegistry;
import java.time.Instant;
import java.util.concurrent.locks.Lock;
import org.springframework.stereotype.Service;

/**
 * On-demand work guarded by the lock registry: one caller at a time across every instance (and every
 * thread of one instance), the others wait their turn.
 */
@Service
public class ReportService {
    private final DflockdLockRegistry registry;
    private final ReportLog log;

    public ReportService(DflockdLockRegistry registry, ReportLog log) {
        this.registry = registry;
        this.log = log;
    }

    public void compile() throws InterruptedException {
        Lock lock = registry.obtain("report");
        lock.lock();
        try {
            Instant start = Instant.now();
            Thread.sleep(100); // the work
            log.record("compile", start, Instant.now());
        } finally {
            lock.unlock();
        }
    }
}
