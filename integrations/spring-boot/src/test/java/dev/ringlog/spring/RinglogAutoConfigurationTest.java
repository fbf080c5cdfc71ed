package dev.ringlog.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.jdbc.JdbcSink;
import dev.ringlog.micrometer.RinglogMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration's conditions and properties, each on a real context and a real H2 file. */
class RinglogAutoConfigurationTest {

    @TempDir
    Path directory;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, RinglogAutoConfiguration.class,
                        RinglogHealthAutoConfiguration.class, RinglogMetricsAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:file:" + directory.resolve("app"));
    }

    @SuppressWarnings("unchecked")
    private static EventLog<LogEvent> log(org.springframework.context.ApplicationContext context) {
        return context.getBean(EventLog.class);
    }

    @Test
    void writesToTheTableOnAPoolOfItsOwnOnTheApplicationsUrl() {
        runner().withPropertyValues("ringlog.table=boot_page_views", "ringlog.name=shop", "ringlog.ring-size=1024",
                        "ringlog.max-batch-size=100", "ringlog.linger=5ms")
                .run(context -> {
                    EventLog<LogEvent> log = log(context);
                    assertEquals("shop", log.name());
                    assertEquals(1024, log.ringCapacity());
                    for (int i = 0; i < 10; i++) {
                        log.publish(LogEvent::set, "page_view", "user-" + i, "{}");
                    }
                    assertTrue(log.flush(Duration.ofSeconds(10)));
                    DataSource application = context.getBean(DataSource.class);
                    try (var c = application.getConnection(); var s = c.createStatement();
                         var rs = s.executeQuery("SELECT COUNT(*) FROM boot_page_views")) {
                        rs.next();
                        assertEquals(10, rs.getLong(1));
                    }
                    HikariDataSource own = (HikariDataSource) context.getBean(RinglogDataSource.class).dataSource;
                    assertThat(own).isNotSameAs(application);
                    assertEquals("ringlog-shop", own.getPoolName());
                    assertEquals(2, own.getMaximumPoolSize());
                    assertEquals(application.unwrap(HikariDataSource.class).getJdbcUrl(), own.getJdbcUrl());
                });
    }

    @Test
    void ownPoolTakesItsOwnUrlAndSize() {
        runner().withPropertyValues("ringlog.datasource.url=jdbc:h2:file:" + directory.resolve("log"),
                        "ringlog.datasource.maximum-pool-size=3")
                .run(context -> {
                    HikariDataSource own = (HikariDataSource) context.getBean(RinglogDataSource.class).dataSource;
                    assertEquals("jdbc:h2:file:" + directory.resolve("log"), own.getJdbcUrl());
                    assertEquals(3, own.getMaximumPoolSize());
                });
    }

    @Test
    void sharedWritesThroughTheApplicationsDataSource() {
        runner().withPropertyValues("ringlog.datasource.shared=true").run(context -> {
            assertSame(context.getBean(DataSource.class), context.getBean(RinglogDataSource.class).dataSource);
            EventLog<LogEvent> log = log(context);
            log.publish(LogEvent::set, "page_view", "u", "{}");
            assertTrue(log.flush(Duration.ofSeconds(10)));
            assertEquals(1, log.stats().written());
        });
    }

    @Test
    void theApplicationsOwnLogWinsAndGetsTheHealthIndicatorAndMeters() {
        runner().withUserConfiguration(OwnLog.class).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(RinglogDataSource.class).doesNotHaveBean(RinglogLifecycle.class);
            assertSame(context.getBean("ownLog"), context.getBean(EventLog.class));
            assertThat(context).hasSingleBean(RinglogMetrics.class).hasBean("ringlogHealthIndicator");
        });
    }

    @Test
    void theApplicationsOwnMetersAndHealthIndicatorWin() {
        runner().withUserConfiguration(OwnMetersAndHealth.class).run(context -> {
            assertSame(context.getBean("ownMetrics"), context.getBean(RinglogMetrics.class));
            assertSame(OwnMetersAndHealth.HEALTH, context.getBean("ringlogHealthIndicator"));
        });
    }

    @Test
    void metersAreBoundToARegistry() {
        runner().run(context -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(RinglogMetrics.class).bindTo(registry);
            EventLog<LogEvent> log = log(context);
            log.publish(LogEvent::set, "page_view", "u", "{}");
            assertTrue(log.flush(Duration.ofSeconds(10)));
            assertEquals(1.0, registry.get("ringlog.events").tag("result", "written").tag("name", "default")
                    .functionCounter().count());
        });
    }

    @Test
    void healthIsUpWhileWritingAndDownOnceClosed() {
        runner().run(context -> {
            HealthIndicator health = context.getBean("ringlogHealthIndicator", HealthIndicator.class);
            assertEquals(Status.UP, health.health().getStatus());
            assertEquals("WRITING", String.valueOf(health.health().getDetails().get("state")));
            log(context).close();
            assertEquals(Status.DOWN, health.health().getStatus());
            assertEquals("STOPPED", String.valueOf(health.health().getDetails().get("state")));
        });
    }

    @Test
    void withoutActuatorOrMicrometerOnlyTheLog() {
        runner().withClassLoader(new FilteredClassLoader(HealthIndicator.class, MeterBinder.class)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(EventLog.class)
                    .doesNotHaveBean("ringlogHealthIndicator").doesNotHaveBean(RinglogMetrics.class);
        });
    }

    @Test
    void healthIndicatorOffByManagementProperty() {
        runner().withPropertyValues("management.health.ringlog.enabled=false").run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(EventLog.class).doesNotHaveBean("ringlogHealthIndicator"));
    }

    @Test
    void offWhenDisabled() {
        runner().withPropertyValues("ringlog.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(EventLog.class).doesNotHaveBean("ringlogHealthIndicator"));
    }

    @Test
    void theContextClosesTheLog() {
        EventLog<?>[] log = new EventLog<?>[1];
        runner().run(context -> {
            log[0] = log(context);
            assertThat(log[0].isClosed()).isFalse();
        });
        assertTrue(log[0].isClosed());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "ringlog.ring-size        | 1000      | must be a power of two in [64, 2^24]",
            "ringlog.ring-size        | 64k       | must be an integer of digits 0-9",
            "ringlog.max-batch-size   | 0         | must be in [1, ringSize]",
            "ringlog.linger           | 5 ms      | must be a duration like 100ms, 2s or PT0.5S in [0, 1m]",
            "ringlog.linger           | 2m        | must be a duration like 100ms, 2s or PT0.5S in [0, 1m]",
            "ringlog.overflow         | sometimes | must be drop, block or block:<duration>",
            "ringlog.shutdown-timeout | 2h        | in [0, 1h]",
            "ringlog.mode             | fast      | must be async or sync",
            "ringlog.wait-strategy    | nap       | must be sleep, block, yield or spin",
            "ringlog.name             | a b       | must be 1 to 64 letters, digits",
            "ringlog.table            | 1st-table | table must be an SQL identifier",
            "ringlog.datasource.maximum-pool-size | 0 | must be in [1, 16]",
            "ringlog.datasource.connection-timeout | 10ms | must be in [250ms, 1m]",
            "ringlog.health.down-after | 2h      | must be in [0, 1h]",
    })
    void aBadPropertyFailsStartupNamingItsKeyValueAndRange(String key, String value, String rule) {
        runner().withPropertyValues(key + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            Throwable cause = rootCause(context.getStartupFailure());
            assertThat(cause).isInstanceOf(InvalidConfigurationPropertyValueException.class);
            InvalidConfigurationPropertyValueException invalid = (InvalidConfigurationPropertyValueException) cause;
            assertEquals(key, invalid.getName());
            // Boot binds the pool's and the health's durations itself; the engine's values are checked as written
            Object bound = invalid.getValue() instanceof Duration ? DurationStyle.detectAndParse(value) : value;
            assertEquals(String.valueOf(bound), String.valueOf(invalid.getValue()));
            assertThat(invalid.getMessage()).contains(key).contains(rule);
        });
    }

    @Test
    void aBatchLargerThanTheRingFailsNamingMaxBatchSize() {
        runner().withPropertyValues("ringlog.ring-size=64", "ringlog.max-batch-size=100").run(context -> {
            InvalidConfigurationPropertyValueException invalid =
                    (InvalidConfigurationPropertyValueException) rootCause(context.getStartupFailure());
            assertEquals("ringlog.max-batch-size", invalid.getName());
            assertThat(invalid.getMessage()).contains("must be in [1, ringSize=64]").contains("100");
        });
    }

    @Test
    void anUnknownRinglogPropertyFailsStartupNamingIt() {
        runner().withPropertyValues("ringlog.ring-sise=64").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("ringlog.ring-sise");
        });
    }

    @Test
    void noUrlAnywhereFailsStartupSayingWhatToSet() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RinglogAutoConfiguration.class))
                .run(context -> assertThat(rootCause(context.getStartupFailure()).getMessage())
                        .contains("ringlog.datasource.url is not set and neither is spring.datasource.url")
                        .contains("ringlog.datasource.shared=true"));
    }

    @Test
    void sharedWithoutADataSourceFailsNamingTheKey() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RinglogAutoConfiguration.class))
                .withPropertyValues("ringlog.datasource.shared=true")
                .run(context -> assertThat(rootCause(context.getStartupFailure()).getMessage())
                        .contains("ringlog.datasource.shared").contains("no single DataSource bean"));
    }

    @Test
    void configurationMetadataIsGenerated() throws Exception {
        String metadata = null;
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (text.contains("\"ringlog.")) {
                    metadata = text;
                }
            }
        }
        assertThat(metadata).isNotNull();
        for (String key : new String[] {"ringlog.ring-size", "ringlog.max-batch-size", "ringlog.linger", "ringlog.overflow",
                "ringlog.shutdown-timeout", "ringlog.mode", "ringlog.wait-strategy", "ringlog.name", "ringlog.table",
                "ringlog.datasource.url", "ringlog.datasource.shared", "ringlog.datasource.maximum-pool-size",
                "ringlog.health.down-after"}) {
            assertThat(metadata).contains("\"name\": \"" + key + "\"");
        }
        assertThat(metadata).contains("a power of two in [64, 2^24]")
                .contains("\"hints\"").contains("\"value\": \"block:2s\"");
        for (String key : new String[] {"ringlog.request-log.enabled", "ringlog.request-log.max-body-bytes",
                "ringlog.request-log.sample", "ringlog.request-log.order"}) {
            assertThat(metadata).contains("\"name\": \"" + key + "\"");
        }
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnLog {
        @Bean(destroyMethod = "close")
        EventLog<LogEvent> ownLog(DataSource dataSource) {
            return EventLog.builder(LogEvent::new, JdbcSink.forLogEvents(dataSource).table("own_events").build())
                    .name("own").shutdownHook(false).start();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMetersAndHealth {
        static final HealthIndicator HEALTH = () -> org.springframework.boot.actuate.health.Health.up().build();

        @Bean
        RinglogMetrics ownMetrics(EventLog<?> log) {
            return new RinglogMetrics(log);
        }

        @Bean
        HealthIndicator ringlogHealthIndicator() {
            return HEALTH;
        }
    }
}
