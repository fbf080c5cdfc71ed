package dev.ringlog.examples;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.jdbc.JdbcSink;
import dev.ringlog.servlet.RequestLogFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.nio.file.Path;
import java.util.EnumSet;

/**
 * Request logging in a plain servlet application (no framework): a listener, declared in
 * {@code web.xml} or with {@code @WebListener}, that starts a log into the table {@code http_requests}
 * of an embedded H2 database in the directory of the context parameter {@code ringlog.dir}, registers
 * {@link RequestLogFilter} in front of every servlet, and closes the log when the application stops.
 * The README quotes the tagged regions; {@code RequestLoggingTest} runs it in an embedded Tomcat.
 */
public final class RequestLogging implements ServletContextListener {

    private HikariDataSource db;
    private EventLog<LogEvent> log;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Path dir = Path.of(context.getInitParameter("ringlog.dir"));
        // tag::request_log[]
        db = JdbcSink.embeddedH2(dir).open();
        log = EventLog.builder(LogEvent::new, JdbcSink.forLogEvents(db).table("http_requests").build())
                .name("requests").start();
        RequestLogFilter filter = RequestLogFilter.builder(log)
                .bodyContentTypes("application/json")   // bodies of these types only, at most 4 KiB each
                .maxBodyBytes(4_096)
                .headers("User-Agent", "X-Request-Id")   // an allow-list; Authorization and cookies are refused
                .sample("/health/**", 0.1)               // 10% of health checks; errors are always kept
                .build();
        FilterRegistration.Dynamic registration = context.addFilter("ringlog-requests", filter);
        registration.setAsyncSupported(true);            // async requests are logged when they complete
        registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        // end::request_log[]
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        // tag::request_log_close[]
        log.close();   // the container has destroyed the filter by now: drain what is left
        db.close();
        // end::request_log_close[]
    }
}
