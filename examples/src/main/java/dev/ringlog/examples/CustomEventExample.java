package dev.ringlog.examples;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.jdbc.JdbcSink;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Your own event class, table and binder: order events with typed columns instead of a JSON payload.
 *
 * <pre>mvn -B -q -pl examples -am compile exec:java -Ddemo.main=dev.ringlog.examples.CustomEventExample</pre>
 *
 * Options: {@code --orders N} (default 100,000), {@code --dir PATH}.
 */
public final class CustomEventExample {

    /** A ring slot: mutable, created once per slot by {@code OrderEvent::new}, filled by {@link #fill}. */
    static final class OrderEvent {
        long orderId;
        String sku;
        int quantity;
        long priceCents;

        /** The writer: a method reference to it publishes without allocating. */
        static void fill(OrderEvent e, Long orderId, String sku, Integer quantity) {
            e.orderId = orderId;
            e.sku = sku;
            e.quantity = quantity;
            e.priceCents = 199L * quantity;
        }
    }

    private CustomEventExample() {
    }

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, PrintStream out) throws Exception {
        int orders = args.length >= 2 && args[0].equals("--orders") ? Integer.parseInt(args[1]) : 100_000;
        Path dir = args.length >= 4 && args[2].equals("--dir") ? Path.of(args[3]) : Files.createTempDirectory("ringlog-orders");

        try (HikariDataSource db = JdbcSink.embeddedH2(dir).name("orders").open()) {
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS order_events (order_id BIGINT PRIMARY KEY,"
                        + " sku VARCHAR(32) NOT NULL, quantity INT NOT NULL CHECK (quantity > 0), price_cents BIGINT NOT NULL)");
                c.commit();
            }
            // The binder sets every parameter from the event, on the sink thread; values are always bound.
            // MERGE ... KEY makes a retried batch idempotent, as the standard table's insert is.
            JdbcSink<OrderEvent> sink = JdbcSink.<OrderEvent>builder(db,
                    "MERGE INTO order_events (order_id, sku, quantity, price_cents) KEY (order_id) VALUES (?, ?, ?, ?)",
                    (ps, e) -> {
                        ps.setLong(1, e.orderId);
                        ps.setString(2, e.sku);
                        ps.setInt(3, e.quantity);
                        ps.setLong(4, e.priceCents);
                    }).build();
            EventLog<OrderEvent> log = EventLog.builder(OrderEvent::new, sink).name("orders")
                    .overflow(OverflowPolicy.BLOCK)
                    .deadLetters((e, cause) -> out.println("rejected order " + e.orderId + ": " + cause.getMessage()))
                    .start();

            long quantities = 0;
            for (long id = 1; id <= orders; id++) {
                int quantity = id % 50_000 == 0 ? 0 : (int) (id % 5) + 1; // every 50,000th order is invalid
                quantities += quantity;
                log.publish(OrderEvent::fill, id, "SKU-" + (id % 100), quantity);
            }
            log.close();

            EventLog.Stats stats = log.stats();
            try (Connection c = db.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*), COALESCE(SUM(quantity), 0) FROM order_events")) {
                rs.next();
                long rows = rs.getLong(1);
                long sum = rs.getLong(2);
                out.printf("%,d orders published: %,d written in %,d batches, %,d rejected (dead-lettered), %,d dropped%n",
                        orders, stats.written(), stats.batches(), stats.failed(), stats.dropped());
                out.printf("order_events: %,d rows, %,d items%n", rows, sum);
                boolean ok = rows == stats.written() && stats.written() + stats.failed() == orders && sum == quantities
                        && stats.pending() == 0;
                out.println(ok ? "every order accounted for" : "ORDERS UNACCOUNTED FOR");
                return ok ? 0 : 1;
            }
        }
    }
}
