package dev.ringlog.logging.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code auditTimeout} setting of both appenders: how long an audit logging call waits for its commit. */
public final class AuditTimeout {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s)?");
    private static final Duration MAX = Duration.ofHours(1);

    private AuditTimeout() {
    }

    /**
     * Parses {@code 0} (do not wait), {@code 100ms}, {@code 2s} (a bare number is seconds) or ISO-8601
     * ({@code PT2S}).
     *
     * @throws IllegalArgumentException naming the rule and the value if it is none of those or above 1 h
     */
    public static Duration parse(String value) {
        Duration d = null;
        if (value != null) {
            Matcher m = SHORT.matcher(value.trim());
            try {
                d = m.matches()
                        ? Duration.of(Long.parseLong(m.group(1)), "ms".equals(m.group(2)) ? ChronoUnit.MILLIS : ChronoUnit.SECONDS)
                        : Duration.parse(value.trim());
            } catch (DateTimeParseException e) {
                d = null;
            }
        }
        if (d == null || d.isNegative() || d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("auditTimeout must be a duration in [0, 1 h] (0, 100ms, 2s or ISO-8601"
                    + " PT2S): auditTimeout='" + value + "'");
        }
        return d;
    }
}
