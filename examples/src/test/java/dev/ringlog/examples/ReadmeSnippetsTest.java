package dev.ringlog.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's code samples are the tagged regions ({@code // tag::name[]} ... {@code // end::name[]})
 * of the examples, which the build compiles and the tests run: if the code changes, the README must
 * follow, and a README sample typed by hand fails this test.
 */
class ReadmeSnippetsTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path EXAMPLES = Path.of("src/main/java/dev/ringlog/examples");
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?s)```java\\n(.*?)```");
    private static final Pattern TAG = Pattern.compile("(?s)// tag::(\\w+)\\[\\]\\n(.*?)\\n\\s*// end::\\1\\[\\]");

    @Test
    void everyCodeSampleInTheReadmeIsCompiledCode() throws Exception {
        String readme = Files.readString(README);
        List<String> snippets = new ArrayList<>();
        try (var sources = Files.walk(EXAMPLES)) {
            for (Path source : (Iterable<Path>) sources.filter(Files::isRegularFile).sorted()::iterator) {
                Matcher tags = TAG.matcher(Files.readString(source));
                while (tags.find()) {
                    snippets.add(dedent(tags.group(2)));
                }
            }
        }
        assertTrue(snippets.size() >= 4, "tagged snippets found: " + snippets.size());
        // Each ```java block of the README is, character for character, tagged snippets separated by blank lines.
        Matcher blocks = JAVA_BLOCK.matcher(readme);
        int checked = 0;
        while (blocks.find()) {
            String block = blocks.group(1).stripTrailing();
            assertTrue(isMadeOf(block, snippets), "this ```java block of README.md is not made of tagged snippets of the"
                    + " examples (copy it from the code, between // tag::name[] and // end::name[]):\n" + block);
            checked++;
        }
        assertTrue(checked > 0, "the README has ```java blocks");
        for (String snippet : snippets) {
            assertTrue(readme.contains(snippet), "README.md must contain this snippet exactly:\n" + snippet);
        }
    }

    /** Whether {@code block} is a sequence of {@code snippets} with blank lines between them. */
    private static boolean isMadeOf(String block, List<String> snippets) {
        String rest = block;
        while (!rest.isEmpty()) {
            String r = rest;
            String first = snippets.stream().filter(sn -> r.equals(sn) || r.startsWith(sn + "\n\n"))
                    .max(java.util.Comparator.comparingInt(String::length)).orElse(null);
            if (first == null) {
                return false;
            }
            rest = rest.substring(first.length()).stripLeading();
        }
        return true;
    }

    private static String dedent(String block) {
        int indent = block.lines().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        block.lines().forEach(l -> out.append(l.length() >= indent ? l.substring(indent) : l.strip()).append('\n'));
        return out.toString().stripTrailing();
    }
}
