package io.dflockd.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.testing.ReadmeExamples;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's {@code java junit} blocks compile against this module. */
class ReadmeJunitExamplesTest {
    private static final String IMPORTS = String.join("\n",
            "import io.dflockd.client.*;",
            "import io.dflockd.junit.*;",
            "import java.util.concurrent.CompletableFuture;",
            "import java.util.concurrent.TimeUnit;",
            "import org.junit.jupiter.api.Test;",
            "import org.junit.jupiter.api.extension.ExtendWith;",
            "import org.junit.jupiter.api.extension.RegisterExtension;");

    @TempDir
    Path out;

    @Test
    void theJunitSectionCompiles() throws IOException {
        ReadmeExamples.Result r = ReadmeExamples.compile("java junit", IMPORTS, "", out);
        assertThat(r.blocks()).isGreaterThanOrEqualTo(1);
        assertThat(r.compiled()).as("README junit examples must compile:\n%s\n--- generated source ---\n%s",
                r.diagnostics(), r.source()).isTrue();
    }
}
