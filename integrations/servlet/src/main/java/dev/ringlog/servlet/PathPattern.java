package dev.ringlog.servlet;

/**
 * An Ant-style path pattern: {@code ?} is one character and {@code *} any characters within a path
 * segment, {@code **} any number of segments ({@code /api/**} also matches {@code /api}, and
 * {@code /**}{@code /x} matches {@code /x}); everything else matches itself, case-sensitively.
 * Matching reads the path in place (no allocation): it runs once per request.
 */
final class PathPattern {

    private final String pattern;

    private PathPattern(String pattern) {
        this.pattern = pattern;
    }

    /** Parses {@code pattern}; the message of the exception names {@code option}. */
    static PathPattern parse(String pattern, String option) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException(option + " path pattern must start with '/': " + pattern);
        }
        if (pattern.contains("***")) {
            throw new IllegalArgumentException(option + " path pattern has '***' (use '*' within a segment or '**' for"
                    + " any number of segments): " + pattern);
        }
        return new PathPattern(pattern);
    }

    /** Whether the path {@code s}, from index {@code from} to its end, matches. */
    boolean matches(String s, int from) {
        if (matches(0, s, from)) {
            return true;
        }
        // "/prefix/**" matches "/prefix" too.
        int p = pattern.length();
        return p >= 3 && pattern.endsWith("/**") && s.length() - from == p - 3 && s.regionMatches(from, pattern, 0, p - 3);
    }

    private boolean matches(int pi, String s, int si) {
        String p = pattern;
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                boolean anySegments = pi + 1 < p.length() && p.charAt(pi + 1) == '*';
                int next = pi + (anySegments ? 2 : 1);
                if (anySegments && next < p.length() && p.charAt(next) == '/' && matches(next + 1, s, si)) {
                    return true; // "**/" standing for no segment at all
                }
                for (int k = si; k <= s.length(); k++) {
                    if (matches(next, s, k)) {
                        return true;
                    }
                    if (k < s.length() && !anySegments && s.charAt(k) == '/') {
                        return false;
                    }
                }
                return false;
            }
            if (si >= s.length() || (c == '?' ? s.charAt(si) == '/' : c != s.charAt(si))) {
                return false;
            }
            pi++;
            si++;
        }
        return si == s.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
