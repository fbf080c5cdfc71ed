package dev.ringlog.spring;

import dev.ringlog.EventLog;
import dev.ringlog.micrometer.RinglogMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * The {@code ringlog.*} meters when Micrometer is present: a {@link RinglogMetrics} bean for the
 * application's one {@link EventLog}, which Boot binds to every {@code MeterRegistry} it manages (as it
 * binds every {@link MeterBinder} bean). A {@code RinglogMetrics} bean of the application's replaces it.
 */
@AutoConfiguration(after = RinglogAutoConfiguration.class)
@ConditionalOnClass({MeterBinder.class, RinglogMetrics.class})
@ConditionalOnSingleCandidate(EventLog.class)
public class RinglogMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RinglogMetrics ringlogMetrics(EventLog<?> log) {
        return new RinglogMetrics(log);
    }
}
