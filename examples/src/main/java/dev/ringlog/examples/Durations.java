package dev.ringlog.examples;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the demos' duration options: {@code 85ms}, {@code 2s}, {@code 0}. */
final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s)?");

    private Durations() {
    }

    static Duration parse(String option, String value) {
        Matcher m = SHORT.matcher(value.trim());
        if (!m.matches() || (m.group(2) == null && !m.group(1).equals("0"))) {
            throw new IllegalArgumentException(option + " must be a duration like 85ms or 2s: " + option + "=" + value);
        }
        long n = Long.parseLong(m.group(1));
        return "s".equals(m.group(2)) ? Duration.ofSeconds(n) : Duration.ofMillis(n);
    }
}
