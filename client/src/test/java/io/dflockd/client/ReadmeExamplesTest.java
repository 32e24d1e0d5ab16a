package io.dflockd.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code java} block of README.md compiles against this client, so the examples cannot drift
 * from the API. Each block becomes the body of its own method; {@code …} (elided code) becomes an
 * empty statement, and the two application callbacks the examples call are declared here.
 */
class ReadmeExamplesTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
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
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        StringBuilder source = new StringBuilder(IMPORTS).append("\n\nclass ReadmeExamples {\n")
                .append("    static void abortJob(String key, Throwable cause) { }\n")
                .append("    static void notifyExternalSystem(EnqueueResult status) { }\n");
        Matcher m = JAVA_BLOCK.matcher(readme);
        int blocks = 0;
        while (m.find()) {
            String body = m.group(1).replace("…", "");
            source.append("\n    // README block ").append(++blocks).append("\n")
                    .append("    void example").append(blocks).append("() throws Exception {\n")
                    .append(body).append("    }\n");
        }
        source.append("}\n");
        assertThat(blocks).as("java blocks in README.md").isGreaterThanOrEqualTo(10);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///ReadmeExamples.java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        List<String> options = new ArrayList<>(List.of("-proc:none", "-d", out.toString(),
                "-classpath", System.getProperty("java.class.path")));
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, null, null, options, null, List.of(file)).call();
        assertThat(ok).as("README examples must compile:\n%s\n--- generated source ---\n%s", diagnostics, source)
                .isTrue();
    }
}
