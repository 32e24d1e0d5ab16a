package io.dflockd.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.testing.ReadmeExamples;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code java spring} block of README.md (the Spring section's examples, which need this
 * module's class path, so the client's ReadmeExamplesTest leaves them out) compiles. The application
 * callback the examples call, and the registry a later block goes on with, are declared here.
 */
class SpringReadmeExamplesTest {
    private static final String IMPORTS = String.join("\n",
            "import io.dflockd.client.*;",
            "import io.dflockd.spring.*;",
            "import io.dflockd.spring.boot.*;",
            "import java.time.Duration;",
            "import java.util.concurrent.TimeUnit;",
            "import java.util.concurrent.locks.Lock;",
            "import org.springframework.integration.leader.DefaultCandidate;",
            "import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;",
            "import org.springframework.stereotype.Service;");

    @TempDir
    Path out;

    @Test
    void everySpringExampleInTheReadmeCompiles() throws IOException {
        ReadmeExamples.Result r = ReadmeExamples.compile("java spring", IMPORTS,
                "    static void generateReport() { }\n"
                        + "    DflockdLockRegistry registry; // the registry of an earlier block\n", out);
        assertThat(r.blocks()).as("java spring blocks in README.md").isGreaterThanOrEqualTo(3);
        assertThat(r.compiled()).as("README Spring examples must compile:\n%s\n--- generated source ---\n%s",
                r.diagnostics(), r.source()).isTrue();
    }
}
