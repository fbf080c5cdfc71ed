package dev.ringlog.spring;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.servlet.RequestLogFilter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.servlet.Filter;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Registers ringlog-servlet's {@link RequestLogFilter} on every request of a servlet web application
 * when {@code ringlog.request-log.enabled=true}, publishing to the application's one
 * {@code EventLog<LogEvent>}, configured by {@code ringlog.request-log.*}. A bean named
 * {@code ringlogRequestLogFilter} replaces the registration. With Micrometer, the filter's counts are
 * the meter {@code ringlog.requests} (tag {@code result} = {@code logged}, {@code dropped},
 * {@code sampled_out}).
 *
 * <p>The filter runs early ({@link #DEFAULT_ORDER}), so that the duration covers the whole chain. It reads
 * the user from the request it is given ({@code getUserPrincipal()}): a user that Spring Security
 * authenticates is seen only if {@code ringlog.request-log.order} puts the filter after Security's
 * filter chain (order -100).
 */
@AutoConfiguration(after = RinglogAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({RequestLogFilter.class, Filter.class})
@ConditionalOnProperty(prefix = "ringlog.request-log", name = "enabled", havingValue = "true")
@ConditionalOnSingleCandidate(EventLog.class)
@EnableConfigurationProperties(RinglogProperties.class)
public class RinglogRequestLogAutoConfiguration {

    /** Just after Boot's character-encoding filter (the highest precedence), before everything else. */
    static final int DEFAULT_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    @Bean
    @ConditionalOnMissingBean(name = "ringlogRequestLogFilter")
    FilterRegistrationBean<RequestLogFilter> ringlogRequestLogFilter(EventLog<LogEvent> log, RinglogProperties properties) {
        RinglogProperties.RequestLog p = properties.getRequestLog();
        RequestLogFilter.Builder builder = RequestLogFilter.builder(log);
        set("ringlog.request-log.event-type", p.getEventType(), builder::eventType);
        set("ringlog.request-log.body-content-types", p.getBodyContentTypes(),
                types -> builder.bodyContentTypes(types.toArray(String[]::new)));
        set("ringlog.request-log.max-body-bytes", p.getMaxBodyBytes(), builder::maxBodyBytes);
        set("ringlog.request-log.request-body-timeout", p.getRequestBodyTimeout(), builder::requestBodyTimeout);
        set("ringlog.request-log.response-body-timeout", p.getResponseBodyTimeout(), builder::responseBodyTimeout);
        set("ringlog.request-log.headers", p.getHeaders(), names -> builder.headers(names.toArray(String[]::new)));
        builder.queryString(p.isQueryString());
        for (int i = 0; i < p.getSample().size(); i++) {
            RinglogProperties.Sample sample = p.getSample().get(i);
            set("ringlog.request-log.sample[" + i + "]", sample.getPath() + "=" + sample.getRate(),
                    rule -> builder.sample(sample.getPath(), sample.getRate()));
        }
        if (p.getPathTemplateAttribute() != null) {
            set("ringlog.request-log.path-template-attribute", p.getPathTemplateAttribute(), builder::pathTemplateAttribute);
        }
        FilterRegistrationBean<RequestLogFilter> registration = new FilterRegistrationBean<>(builder.build());
        registration.setName("ringlogRequestLogFilter");
        registration.setOrder(p.getOrder());
        return registration;
    }

    /** Applies one property to the builder; a value it refuses fails startup naming the property. */
    private static <T> void set(String property, T value, Consumer<T> option) {
        try {
            option.accept(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
        }
    }

    /** The filter's counts as {@code ringlog.requests}, tagged with the log's name, when Micrometer is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    static class RequestLogMetrics {

        @Bean
        @ConditionalOnMissingBean(name = "ringlogRequestLogMetrics")
        MeterBinder ringlogRequestLogMetrics(FilterRegistrationBean<RequestLogFilter> ringlogRequestLogFilter,
                                             EventLog<LogEvent> log) {
            RequestLogFilter filter = ringlogRequestLogFilter.getFilter();
            return registry -> {
                counter(registry, "logged", filter, RequestLogFilter::logged, log);
                counter(registry, "dropped", filter, RequestLogFilter::dropped, log);
                counter(registry, "sampled_out", filter, RequestLogFilter::sampledOut, log);
            };
        }

        private static void counter(MeterRegistry registry, String result,
                                    RequestLogFilter filter, ToDoubleFunction<RequestLogFilter> count,
                                    EventLog<?> log) {
            FunctionCounter.builder("ringlog.requests", filter, count)
                    .description("HTTP requests the request-logging filter saw, by what became of them")
                    .tag("name", log.name()).tag("result", result).baseUnit("requests").register(registry);
        }
    }
}
