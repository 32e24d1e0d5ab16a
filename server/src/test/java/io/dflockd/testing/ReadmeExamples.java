package io.dflockd.testing;

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

/**
 * Compiles the Java examples of README.md against a module's test class path, so the examples
 * cannot drift from the API. A module owns the blocks whose fence names it: {@code ```java} for the
 * client, {@code ```java junit} for the JUnit extension, and so on. Each block becomes the body of
 * its own method; {@code …} (elided code) becomes nothing. Other tests run other blocks (the
 * {@code ```sh http-api} curl examples) through {@link #blocks}.
 */
public final class ReadmeExamples {
    /** What a compilation produced. */
    public record Result(int blocks, boolean compiled, String diagnostics, String source) {
    }

    private ReadmeExamples() {
    }

    /**
     * The bodies of README.md's fenced blocks whose info string is exactly {@code fence}, in order
     * (each ends with a newline).
     */
    public static List<String> blocks(String fence) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```" + Pattern.quote(fence) + "\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<String> bodies = new ArrayList<>();
        while (m.find()) {
            bodies.add(m.group(1));
        }
        return bodies;
    }

    /**
     * @param fence   the info string after the backticks: {@code "java"}, {@code "java junit"}…
     * @param imports import lines for the generated class
     * @param members fields and helper methods the examples call
     * @param out     where the class file goes
     */
    public static Result compile(String fence, String imports, String members, Path out) throws IOException {
        StringBuilder source = new StringBuilder(imports).append("\n\nclass ReadmeExamples {\n").append(members);
        int blocks = 0;
        for (String body : blocks(fence)) {
            source.append("\n    // README block ").append(++blocks).append("\n")
                    .append("    void example").append(blocks).append("() throws Exception {\n")
                    .append(body.replace("…", "")).append("    }\n");
        }
        source.append("}\n");
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
        return new Result(blocks, ok, diagnostics.toString(), source.toString());
    }
}
