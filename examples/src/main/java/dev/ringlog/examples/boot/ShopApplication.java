package dev.ringlog.examples.boot;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot web shop with ringlog-spring-boot-starter: the controller publishes a {@code page_view}
 * analytics event per page, the starter's request log adds an {@code http_request} event per request,
 * both written in batches to the table {@code page_views} (its {@code application.properties}), on a
 * small pool of the log's own on the application's database. {@code /top} reads the most viewed pages
 * back through the application's own DataSource. Run it with
 * {@code mvn -B -q -pl examples -am compile exec:java -Ddemo.main=dev.ringlog.examples.boot.ShopApplication}.
 */
@SpringBootApplication
public class ShopApplication {

    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }

    // tag::boot_controller[]
    @RestController
    static class Pages {

        private final EventLog<LogEvent> log;   // the starter's bean

        Pages(EventLog<LogEvent> log) {
            this.log = log;
        }

        @GetMapping("/pages/{page:[a-z0-9-]{1,40}}")   // a safe page name: it goes into the JSON as is
        String view(@PathVariable("page") String page, @RequestParam(name = "user", defaultValue = "anonymous") String user) {
            log.publish(LogEvent::set, "page_view", user, "{\"page\":\"" + page + "\"}");   // returns at once: a batch writes the row
            return "viewed " + page;
        }
    }
    // end::boot_controller[]

    @RestController
    static class Top {

        private final JdbcTemplate jdbc;

        Top(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @GetMapping("/top")
        List<Map<String, Object>> top() {
            return jdbc.queryForList("SELECT payload, COUNT(*) AS views FROM page_views WHERE type = 'page_view'"
                    + " GROUP BY payload ORDER BY views DESC LIMIT 5");
        }
    }
}
