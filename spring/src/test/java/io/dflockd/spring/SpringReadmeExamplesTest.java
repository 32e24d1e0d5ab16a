package io.dflockd.spring;

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
 * Every {@code java spring} block of README.md (the Spring section's examples, which need this
 * module's class path, so the client's ReadmeExamplesTest leaves them out) compiles. Each block
 * becomes the body of its own method; the application callback the examples call, and the registry a
 * later block goes on with, are declared here.
 */
class SpringReadmeExamplesTest {
    private static final Pattern SPRING_BLOCK = Pattern.compile("```java spring\\n(.*?)```", Pattern.DOTALL);
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
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        StringBuilder source = new StringBuilder(IMPORTS).append("\n\nclass SpringReadmeExamples {\n")
                .append("    static void generateReport() { }\n")
                .append("    DflockdLockRegistry registry; // the registry of an earlier block\n");
        Matcher m = SPRING_BLOCK.matcher(readme);
        int blocks = 0;
        while (m.find()) {
            source.append("\n    // README block ").append(++blocks).append("\n")
                    .append("    void example").append(blocks).append("() throws Exception {\n")
                    .append(m.group(1)).append("    }\n");
        }
        source.append("}\n");
        assertThat(blocks).as("java spring blocks in README.md").isGreaterThanOrEqualTo(3);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///SpringReadmeExamples.java"),
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
        assertThat(ok).as("README Spring examples must compile:\n%s\n--- generated source ---\n%s", diagnostics, source)
                .isTrue();
    }
}
