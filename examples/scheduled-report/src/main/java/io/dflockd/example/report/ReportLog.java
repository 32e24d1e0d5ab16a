package io.dflockd.example.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Appends one line per finished piece of work to a file the instances share:
 * {@code <what> <node> <start epoch ms> <end epoch ms>}.
 */
public class ReportLog {
    private final Path file;
    private final String node;

    public ReportLog(Path file, String node) {
        this.file = file;
        this.node = node;
    }

    public String node() {
        return node;
    }

    public void record(String what, Instant start, Instant end) {
        String line = what + " " + node + " " + start.toEpochMilli() + " " + end.toEpochMilli() + "\n";
        try {
            // one small O_APPEND write: lines from several writers do not interleave
            Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
