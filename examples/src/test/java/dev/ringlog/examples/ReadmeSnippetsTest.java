package dev.ringlog.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start is made of the tagged regions of {@code Quickstart.java}, which the build
 * compiles and {@code QuickstartTest} runs: if the code changes, the README must follow.
 */
class ReadmeSnippetsTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path QUICKSTART = Path.of("src/main/java/dev/ringlog/examples/Quickstart.java");

    @Test
    void theQuickStartInTheReadmeIsTheCompiledCode() throws Exception {
        String readme = Files.readString(README);
        String source = Files.readString(QUICKSTART);
        Matcher tags = Pattern.compile("(?s)// tag::(\\w+)\\[\\]\\n(.*?)\\n\\s*// end::\\1\\[\\]").matcher(source);
        int found = 0;
        while (tags.find()) {
            String snippet = dedent(tags.group(2));
            assertTrue(readme.contains(snippet), "README.md must contain the '" + tags.group(1) + "' snippet of "
                    + QUICKSTART + " exactly:\n" + snippet);
            found++;
        }
        assertTrue(found >= 3, "tagged snippets found: " + found);
    }

    private static String dedent(String block) {
        int indent = block.lines().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        block.lines().forEach(l -> out.append(l.length() >= indent ? l.substring(indent) : l.strip()).append('\n'));
        return out.toString().stripTrailing();
    }
}
