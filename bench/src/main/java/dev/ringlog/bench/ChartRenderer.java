package dev.ringlog.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * Renders the JMH JSON files of a results directory into {@code results.md} (tables and the targets
 * of issues 10 and 3, met or missed) and PNG charts: publish latency percentiles per system (one chart per
 * thread count) and end-to-end throughput per system and database. Reads every {@code *.json} that
 * JMH wrote ({@code -rf json}, see {@link JmhResults}), {@code idle-cpu.json} from {@link IdleCpu} and
 * {@code offered-load.md} from {@link OfferedLoad}.
 *
 * <p>Usage: {@code java -Djava.awt.headless=true -cp benchmarks.jar dev.ringlog.bench.ChartRenderer bench/results}.
 */
public final class ChartRenderer {

    private ChartRenderer() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path dir = Path.of(args.length > 0 ? args[0] : "bench/results");
        JmhResults results = JmhResults.read(dir);
        if (results.isEmpty()) {
            throw new IllegalStateException("no JMH JSON results in " + dir.toAbsolutePath());
        }
        StringBuilder md = new StringBuilder();
        Path machine = dir.resolve("machine.txt");
        md.append("# ringlog benchmark results\n\n");
        if (Files.exists(machine)) {
            md.append("```\n").append(Files.readString(machine).strip()).append("\n```\n\n");
        }
        PublishTables.publish(md, results, dir);
        SinkTables.endToEnd(md, results, dir);
        SinkTables.appenders(md, results);
        SinkTables.writePaths(md, results);
        PublishTables.slowStorage(md, results);
        PublishTables.publishPath(md, results);
        PublishTables.requestLog(md, results);
        SinkTables.multiSink(md, results);
        SinkTables.journal(md, results);
        SinkTables.idleCpu(md, dir);
        Path offered = dir.resolve("offered-load.md"); // OfferedLoad --render, when the run made it
        if (Files.exists(offered)) {
            md.append(Files.readString(offered)).append('\n');
        }
        Targets.append(md, results); // last: bench/run prints from "## Targets" to the end
        Files.writeString(dir.resolve("results.md"), md.toString());
        Summary.write(dir, results);
        System.out.println("wrote " + dir.resolve("results.md") + " and " + dir.resolve("summary.md"));
    }

    /** A bar chart in the style of every chart in {@code results.md}. */
    static CategoryChart chart(String title, String xAxis, String yAxis) {
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(560).title(title)
                .xAxisTitle(xAxis).yAxisTitle(yAxis).build();
        CategoryStyler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setToolTipsEnabled(false);
        s.setAvailableSpaceFill(0.85);
        s.setOverlapped(false);
        s.setSeriesColors(new Color[] {new Color(0x1b, 0x9e, 0x77), new Color(0x75, 0x70, 0xb3), new Color(0xd9, 0x5f, 0x02),
            new Color(0xe7, 0x29, 0x8a), new Color(0x66, 0xa6, 0x1e), new Color(0x66, 0x66, 0x66)});
        return chart;
    }
}
