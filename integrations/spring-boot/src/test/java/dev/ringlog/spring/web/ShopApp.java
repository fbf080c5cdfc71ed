package dev.ringlog.spring.web;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The web tests' application: every page view is an analytics event, published from the controller. */
@SpringBootApplication
public class ShopApp {

    /** Held by {@code /slow} until a test counts it down: a request that is in flight for as long as the test wants. */
    static volatile CountDownLatch entered = new CountDownLatch(1);
    static volatile CountDownLatch release = new CountDownLatch(1);

    @RestController
    static class Pages {

        private final EventLog<LogEvent> log;

        Pages(EventLog<LogEvent> log) {
            this.log = log;
        }

        @GetMapping("/pages/{page}")
        String view(@PathVariable("page") String page, @RequestParam("user") String user) {
            log.publish(LogEvent::set, "page_view", user, "{\"page\":\"" + page + "\"}");
            return "viewed " + page;
        }

        @PostMapping(path = "/orders", consumes = "application/json", produces = "application/json")
        String order(@RequestBody String order) {
            return "{\"received\":" + order.length() + "}";
        }

        @GetMapping("/slow")
        String slow(@RequestParam("user") String user) throws InterruptedException {
            entered.countDown();
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released within 60 s");
            }
            log.publish(LogEvent::set, "slow_view", user, "{}");
            return "slow";
        }
    }
}
