package dev.ringlog.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's code samples are the tagged regions ({@code // tag::name[]} ... {@code // end::name[]})
 * of the examples, which the build compiles and the tests run: if the code changes, the README must
 * follow.
 */
class ReadmeSnippetsTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path EXAMPLES = Path.of("src/main/java/dev/ringlog/examples");
    private static final Pattern TAG = Pattern.compile("(?s)// tag::(\\w+)\\[\\]\\n(.*?)\\n\\s*// end::\\1\\[\\]");

    @Test
    void everyCodeSampleInTheReadmeIsCompiledCode() throws Exception {
        String readme = Files.readString(README);
        int found = 0;
        try (var sources = Files.list(EXAMPLES)) {
            for (Path source : (Iterable<Path>) sources.sorted()::iterator) {
                Matcher tags = TAG.matcher(Files.readString(source));
                while (tags.find()) {
                    String snippet = dedent(tags.group(2));
                    assertTrue(readme.contains(snippet), "README.md must contain the '" + tags.group(1)
                            + "' snippet of " + source + " exactly:\n" + snippet);
                    found++;
                }
            }
        }
        assertTrue(found >= 7, "tagged snippets found: " + found);
        long javaBlocks = Pattern.compile("```java").matcher(readme).results().count();
        assertTrue(javaBlocks <= found, "every ```java block of the README quotes a tagged snippet: "
                + javaBlocks + " blocks, " + found + " snippets");
    }

    private static String dedent(String block) {
        int indent = block.lines().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        block.lines().forEach(l -> out.append(l.length() >= indent ? l.substring(indent) : l.strip()).append('\n'));
        return out.toString().stripTrailing();
    }
}
