package dev.ringlog.file;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file names of a sink: {@code <prefix>-<yyyy-MM-dd>[.<index>].jsonl[.gz][.enc]}, index 0 without
 * its number; and the order of such names (by prefix, date, then index), for the reader's command.
 */
final class SegmentNames {

    private static final Pattern NAME = Pattern.compile("(.*)-(\\d{4}-\\d{2}-\\d{2})(?:\\.(\\d+))?\\.jsonl(\\..*)?");

    /** Reading order of archive files: a day's index 10 after index 2, and index 0 before both. */
    static final Comparator<Path> READING_ORDER = Comparator.comparing(SegmentNames::sortKey);

    private final Path directory;
    private final String prefix;
    private final String suffix;

    SegmentNames(Path directory, String prefix, boolean gzip, boolean encrypted) {
        this.directory = directory;
        this.prefix = prefix;
        this.suffix = ".jsonl" + (gzip ? ".gz" : "") + (encrypted ? ".enc" : "");
    }

    Path path(long day, int index) {
        return directory.resolve(prefix + "-" + LocalDate.ofEpochDay(day) + (index == 0 ? "" : "." + index) + suffix);
    }

    private static String sortKey(Path file) {
        String name = file.getFileName().toString();
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return name;
        }
        String index = m.group(3) == null ? "0" : m.group(3);
        return m.group(1) + "-" + m.group(2) + "." + "0".repeat(Math.max(0, 10 - index.length())) + index
                + (m.group(4) == null ? "" : m.group(4));
    }
}
