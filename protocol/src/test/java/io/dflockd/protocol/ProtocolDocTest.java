package io.dflockd.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/PROTOCOL.md honest: every command, status and error code of this module has its row in
 * the reference, the wire limits are stated, every {@code §N.M} citation in the repository's Java
 * sources and Markdown files names a section that exists, and every link into the document hits a
 * heading. Paths are relative to the module directory, where Maven runs tests (as for README.md in
 * the client's ReadmeExamplesTest).
 */
class ProtocolDocTest {
    private static final Path ROOT = Path.of("..");
    private static final Path DOC = ROOT.resolve("docs").resolve("PROTOCOL.md");
    private static final Pattern SECTION_HEADING = Pattern.compile("^#{2,3} (\\d+(?:\\.\\d+)?)\\.?\\s",
            Pattern.MULTILINE);
    private static final Pattern ANY_HEADING = Pattern.compile("^#{1,4} (.+)$", Pattern.MULTILINE);
    private static final Pattern CITATION = Pattern.compile("§(\\d+(?:\\.\\d+)?)");
    /** "CLUSTER-DESIGN.md §2.3": a citation right after another document's name cites that document. */
    private static final Pattern OTHER_DOC_BEFORE = Pattern.compile("([A-Z][A-Z-]*)\\.md,? $");
    private static final Pattern LINK_INTO_DOC = Pattern.compile("PROTOCOL\\.md#([^)\\s]+)");
    private static final Pattern LINK_WITHIN_DOC = Pattern.compile("\\]\\(#([^)\\s]+)\\)");

    private static String doc() throws IOException {
        return Files.readString(DOC, StandardCharsets.UTF_8);
    }

    /** The text of section {@code number} (e.g. "6.0"), up to the next heading of any level. */
    private static String section(String doc, String number) {
        Matcher m = Pattern.compile("^#{2,3} " + Pattern.quote(number) + "\\.?\\s.*$", Pattern.MULTILINE)
                .matcher(doc);
        assertThat(m.find()).as("section %s exists", number).isTrue();
        int start = m.end();
        Matcher next = Pattern.compile("^#{1,3} ", Pattern.MULTILINE).matcher(doc);
        int end = next.find(start) ? next.start() : doc.length();
        return doc.substring(start, end);
    }

    @Test
    void everyCommandHasARowInTheCommandSummary() throws IOException {
        String summary = section(doc(), "6.0");
        for (Command c : Command.values()) {
            assertThat(summary).as("§6.0 row for %s", c).contains("| `" + c.wire() + "` |");
        }
    }

    @Test
    void everyStatusHasARowInTheStatusTable() throws IOException {
        String statuses = section(doc(), "11.1");
        for (Status s : Status.values()) {
            assertThat(statuses).as("§11.1 row for %s", s).contains("| `" + s.wire() + "` |");
        }
    }

    @Test
    void everyErrorCodeHasARowInTheErrorTable() throws IOException {
        String codes = section(doc(), "11.2");
        for (ErrorCode e : ErrorCode.values()) {
            assertThat(codes).as("§11.2 row for %s", e).contains("\n| " + e.code() + " |");
            String connection = e.fatal() ? "closed" : "stays open";
            assertThat(codes).as("§11.2 says whether %s closes the connection", e)
                    .containsPattern("\\n\\| " + e.code() + " \\|[^\\n]*\\| (\\*\\*)?" + connection + "(\\*\\*)? \\|");
        }
    }

    @Test
    void theWireLimitsAreStated() throws IOException {
        String doc = doc();
        assertThat(flat(section(doc, "2.2"))).contains("| " + ProtocolLimits.MAX_LINE_BYTES + " |")
                .contains("| " + grouped(ProtocolLimits.MAX_PAYLOAD_BYTES) + " |");
        assertThat(flat(section(doc, "5"))).contains(grouped(ProtocolLimits.MAX_SECONDS))
                .contains(grouped(Integer.MAX_VALUE))
                .contains("`--default-lease-ttl` (" + ProtocolLimits.DEFAULT_LEASE_TTL_S + ")");
        assertThat(flat(section(doc, "9.4"))).contains(grouped(ProtocolLimits.maxPayloadBytes(0)) + " − len(channel)");
        assertThat(flat(section(doc, "1"))).contains(ProtocolLimits.DEFAULT_HOST + ":" + ProtocolLimits.DEFAULT_PORT);
        assertThat(flat(section(doc, "2.3"))).contains("(default **" + ProtocolLimits.DEFAULT_READ_TIMEOUT_S + "**)");
    }

    private static String flat(String text) {
        return text.replaceAll("\\s+", " ");
    }

    @Test
    void everySectionCitationInTheRepositoryExists() throws IOException {
        Set<String> sections = sectionsOf(doc());
        assertThat(sections).contains("0", "2.5", "6.0", "9.12", "14.11", "15");
        List<String> dangling = new ArrayList<>();
        for (Path file : sourcesAndDocs()) {
            String text = read(file);
            if (file.toString().endsWith(".md") && !file.endsWith(Path.of("docs", "PROTOCOL.md"))
                    && SECTION_HEADING.matcher(text).find()) {
                continue; // a document with numbered sections of its own (a design doc) cites itself
            }
            Matcher m = CITATION.matcher(text);
            while (m.find()) {
                Matcher other = OTHER_DOC_BEFORE.matcher(text.substring(Math.max(0, m.start() - 40), m.start()));
                String cited = other.find() && !other.group(1).equals("PROTOCOL") ? other.group(1) + ".md" : null;
                Set<String> known = cited == null ? sections : sectionsOf(read(ROOT.resolve("docs").resolve(cited)));
                if (!known.contains(m.group(1))) {
                    dangling.add(ROOT.relativize(file) + ": " + (cited == null ? "" : cited + " ") + "§" + m.group(1));
                }
            }
        }
        assertThat(dangling).as("citations of sections docs/PROTOCOL.md does not have").isEmpty();
    }

    @Test
    void everyLinkIntoTheDocumentHitsAHeading() throws IOException {
        String doc = doc();
        Set<String> anchors = new HashSet<>();
        Matcher h = ANY_HEADING.matcher(doc);
        while (h.find()) {
            anchors.add(slug(h.group(1)));
        }
        List<String> broken = new ArrayList<>();
        Matcher within = LINK_WITHIN_DOC.matcher(doc);
        while (within.find()) {
            if (!anchors.contains(within.group(1))) {
                broken.add("docs/PROTOCOL.md: #" + within.group(1));
            }
        }
        for (Path file : sourcesAndDocs()) {
            if (!file.toString().endsWith(".md")) {
                continue; // links are Markdown's
            }
            Matcher m = LINK_INTO_DOC.matcher(read(file));
            while (m.find()) {
                if (!anchors.contains(m.group(1))) {
                    broken.add(ROOT.relativize(file) + ": PROTOCOL.md#" + m.group(1));
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, each space a hyphen. */
    static String slug(String heading) {
        StringBuilder b = new StringBuilder();
        heading.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if (c == ' ') {
                b.append('-');
            } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    /** 65536 → "65 536", as the document writes numbers of five digits and more. */
    private static String grouped(long n) {
        String s = Long.toString(n);
        if (s.length() < 5) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (i > 0 && (s.length() - i) % 3 == 0) {
                b.append(' ');
            }
            b.append(s.charAt(i));
        }
        return b.toString();
    }

    /** Every .java and .md file of the repository outside build output and hidden directories. */
    private static List<Path> sourcesAndDocs() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".md"))
                    .filter(p -> {
                        for (Path part : ROOT.relativize(p)) {
                            String name = part.toString();
                            if (name.equals("target") || name.equals("target-launch") || name.startsWith(".")
                                    || name.equals("node_modules")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .toList();
        }
    }

    private static Set<String> sectionsOf(String doc) {
        Set<String> sections = new HashSet<>();
        Matcher h = SECTION_HEADING.matcher(doc);
        while (h.find()) {
            sections.add(h.group(1));
        }
        return sections;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
