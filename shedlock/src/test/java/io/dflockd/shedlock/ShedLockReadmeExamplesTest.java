package io.dflockd.shedlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.testing.ReadmeExamples;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every {@code java shedlock} block of README.md (the ShedLock section's examples) compiles. */
class ShedLockReadmeExamplesTest {
    private static final String IMPORTS = String.join("\n",
            "import io.dflockd.client.*;",
            "import io.dflockd.shedlock.*;",
            "import java.time.Duration;",
            "import java.time.Instant;",
            "import net.javacrumbs.shedlock.core.*;",
            "import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;",
            "import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;",
            "import org.springframework.context.annotation.Bean;",
            "import org.springframework.context.annotation.Configuration;",
            "import org.springframework.scheduling.annotation.EnableScheduling;",
            "import org.springframework.scheduling.annotation.Scheduled;",
            "import org.springframework.stereotype.Component;");

    @TempDir
    Path out;

    @Test
    void everyShedLockExampleInTheReadmeCompiles() throws IOException {
        ReadmeExamples.Result r = ReadmeExamples.compile("java shedlock", IMPORTS, "    static void generateReport() { }\n", out);
        assertThat(r.blocks()).as("java shedlock blocks in README.md").isGreaterThanOrEqualTo(2);
        assertThat(r.compiled()).as("README ShedLock examples must compile:\n%s\n--- generated source ---\n%s",
                r.diagnostics(), r.source()).isTrue();
    }
}
