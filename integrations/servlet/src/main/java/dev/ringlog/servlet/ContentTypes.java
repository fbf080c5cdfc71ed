package dev.ringlog.servlet;

import java.util.Locale;

/** Content types as configured ({@code type/subtype} or {@code type/*}) and as matched against a request's or response's. */
final class ContentTypes {

    private ContentTypes() {
    }

    /** Checks and normalises a configured type; the message names the option and the value. */
    static String parse(String configured) {
        String type = configured == null ? "" : configured.strip().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        if (slash <= 0 || slash == type.length() - 1 || type.indexOf('/', slash + 1) >= 0 || type.indexOf(';') >= 0
                || type.indexOf(' ') >= 0 || type.startsWith("*")) {
            throw new IllegalArgumentException("bodyContentTypes: each must be type/subtype or type/*, without parameters:"
                    + " bodyContentTypes=" + (configured == null ? "null" : "\"" + configured + "\""));
        }
        return type;
    }

    /**
     * Whether {@code actual} (a header value such as {@code application/json;charset=UTF-8}) is of the
     * {@code configured} type; reads it in place, case-insensitively, ignoring parameters.
     */
    static boolean matches(String configured, String actual) {
        int end = actual.indexOf(';');
        if (end < 0) {
            end = actual.length();
        }
        while (end > 0 && actual.charAt(end - 1) == ' ') {
            end--;
        }
        int start = 0;
        while (start < end && actual.charAt(start) == ' ') {
            start++;
        }
        if (configured.endsWith("/*")) {
            int prefix = configured.length() - 1; // "text/"
            return end - start > prefix && actual.regionMatches(true, start, configured, 0, prefix);
        }
        return end - start == configured.length() && actual.regionMatches(true, start, configured, 0, configured.length());
    }
}
