package dev.ringlog.spring;

import dev.ringlog.EventLog;
import java.time.Duration;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * The health contributor {@code ringlog} when Spring Boot Actuator is present, for the application's
 * one {@link EventLog} (the starter's, or its own); {@code management.health.ringlog.enabled=false}
 * turns it off, a bean named {@code ringlogHealthIndicator} replaces it.
 */
@AutoConfiguration(after = RinglogAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnSingleCandidate(EventLog.class)
@ConditionalOnEnabledHealthIndicator("ringlog")
@EnableConfigurationProperties(RinglogProperties.class)
public class RinglogHealthAutoConfiguration {

    static final Duration MAX_DOWN_AFTER = Duration.ofHours(1);

    @Bean
    @ConditionalOnMissingBean(name = "ringlogHealthIndicator")
    HealthIndicator ringlogHealthIndicator(EventLog<?> log, RinglogProperties properties) {
        Duration downAfter = properties.getHealth().getDownAfter();
        if (downAfter == null || downAfter.isNegative() || downAfter.compareTo(MAX_DOWN_AFTER) > 0) {
            throw new InvalidConfigurationPropertyValueException("ringlog.health.down-after", downAfter,
                    "ringlog.health.down-after must be in [0, 1h]");
        }
        return new RinglogHealthIndicator(log, downAfter);
    }
}
