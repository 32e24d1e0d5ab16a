package io.dflockd.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.testing.ReadmeExamples;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code java} block of README.md compiles against this client, so the examples cannot drift
 * from the API. Each block becomes the body of its own method; {@code …} (elided code) becomes an
 * empty statement, and the two application callbacks the examples call are declared here.
 */
class ReadmeExamplesTest {
    private static final String IMPORTS = String.join("\n",
            "import io.dflockd.client.*;",
            "import io.dflockd.protocol.Stats;",
            "import java.time.Duration;",
            "import java.time.Instant;",
            "import java.util.concurrent.CompletableFuture;",
            "import java.util.concurrent.locks.Lock;",
            "import javax.net.ssl.SSLContext;");

    @TempDir
    Path out;

    @Test
    void everyJavaExampleInTheReadmeCompiles() throws IOException {
        ReadmeExamples.Result r = ReadmeExamples.compile("java", IMPORTS,
                "    static void abortJob(String key, Throwable cause) { }\n"
                        + "    static void notifyExternalSystem(EnqueueResult status) { }\n", out);
        assertThat(r.blocks()).as("java blocks in README.md").isGreaterThanOrEqualTo(10);
        assertThat(r.compiled()).as("README examples must compile:\n%s\n--- generated source ---\n%s",
                r.diagnostics(), r.source()).isTrue();
    }
}
