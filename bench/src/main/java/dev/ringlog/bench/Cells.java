package dev.ringlog.bench;

import dev.ringlog.bench.JmhResults.Result;
import java.util.Locale;
import org.openjdk.jmh.util.Statistics;

/** How the results tables write numbers, and the target rows they share. */
final class Cells {

    private Cells() {
    }

    /** About three significant digits (integers from 100 up, thousands separated from 100,000); "–" for NaN: nothing measured. */
    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 100_000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** A percentile's name: 50, 99.9. */
    static String fmtPct(double p) {
        return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
    }

    /** JMH's score ± its 99.9% confidence half-width. */
    static String mean(Result r) {
        return fmt(r.score()) + " ± " + fmt(r.error());
    }

    /** The median events/s of a SingleShotTime result, in brackets the slowest and the fastest invocation. */
    static String rate(Result r) {
        Statistics s = JmhResults.eventsPerSecond(r);
        return fmt(s.getPercentile(50)) + " [" + fmt(s.getMin()) + "–" + fmt(s.getMax()) + "]";
    }

    /** A SampleTime result's "p50 | p99 | p99.9" cells, as they are (not net of a think time). */
    static String percentiles(Result r) {
        return fmt(r.percentile(50)) + " | " + fmt(r.percentile(99)) + " | " + fmt(r.percentile(99.9));
    }

    static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /**
     * A row "a / b = ratio" against a bound: at most {@code bound} if {@code atMost}, else at least; a miss
     * says by what factor (bound / ratio for "at least", ratio / bound for "at most").
     */
    static void ratioRow(StringBuilder md, String target, double a, double b, double bound, boolean atMost) {
        double ratio = a / b;
        md.append("| ").append(target).append(" | ").append(fmt(a)).append(" / ").append(fmt(b)).append(" = ")
                .append(String.format(Locale.ROOT, "%.2f", ratio)).append(" | ").append(verdict(ratio, bound, atMost))
                .append(" |\n");
    }

    /** "met", or "**missed** by" the factor: bound / ratio for "at least", ratio / bound for "at most". */
    static String verdict(double ratio, double bound, boolean atMost) {
        boolean met = atMost ? ratio <= bound : ratio >= bound;
        return met ? "met" : String.format(Locale.ROOT, "**missed** by %.2fx", atMost ? ratio / bound : bound / ratio);
    }
}
