package dev.ringlog.spring;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.jdbc.JdbcSink;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * An {@code EventLog<LogEvent>} bean writing through {@link JdbcSink} to the table {@code ringlog.table},
 * configured by the {@code ringlog.*} properties. A bean of the application's own of type
 * {@link EventLog} replaces it (and its pool); the health indicator and the meters then report that one.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass({EventLog.class, JdbcSink.class, HikariDataSource.class})
@ConditionalOnProperty(prefix = "ringlog", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(RinglogProperties.class)
public class RinglogAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(EventLog.class)
    static class LogConfiguration {

        @Bean
        RinglogDataSource ringlogDataSource(RinglogProperties properties, Environment environment,
                                            ObjectProvider<DataSource> application) {
            return RinglogDataSource.of(properties, environment, application);
        }

        /**
         * The log, without a JVM shutdown hook of its own: the context closes it ({@link RinglogLifecycle};
         * {@code close()} as the destroy method too, for a context whose refresh failed), before the pool.
         */
        @Bean
        EventLog<LogEvent> ringlogEventLog(RinglogProperties properties, RinglogDataSource dataSource) {
            JdbcSink.TableBuilder table = JdbcSink.forLogEvents(dataSource.dataSource);
            try {
                table.table(properties.getTable());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException("ringlog.table", properties.getTable(), e.getMessage());
            }
            EventLog.Builder<LogEvent> builder = EngineSettings.apply(properties, EventLog.builder(LogEvent::new, table.build()))
                    .shutdownHook(false);
            return EngineSettings.start(properties, builder);
        }

        @Bean
        RinglogLifecycle ringlogLifecycle(EventLog<LogEvent> ringlogEventLog) {
            return new RinglogLifecycle(ringlogEventLog);
        }
    }
}
