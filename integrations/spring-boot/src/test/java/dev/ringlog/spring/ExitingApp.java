package dev.ringlog.spring;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Boot application that publishes events and calls {@code System.exit(0)} at once, run in a child
 * JVM by {@link JvmExitTest}: the JVM's shutdown hooks (Boot's, and ringlog's if it had one) then close
 * the context, concurrently. Prints {@code pending=N} just before the exit.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, RinglogAutoConfiguration.class})
public class ExitingApp {

    public static void main(String[] args) {
        int events = Integer.parseInt(args[0]);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ExitingApp.class)
                .web(WebApplicationType.NONE).run(args);
        @SuppressWarnings("unchecked")
        EventLog<LogEvent> log = context.getBean(EventLog.class);
        for (int i = 0; i < events; i++) {
            log.publish(LogEvent::set, "page_view", "user-" + i, "{}");
        }
        System.out.println("pending=" + log.stats().pending());
        System.exit(0);
    }
}
