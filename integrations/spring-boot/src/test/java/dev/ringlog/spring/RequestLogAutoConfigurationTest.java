package dev.ringlog.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ringlog.servlet.RequestLogFilter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/** When the request-logging filter is registered, and how its properties fail. */
class RequestLogAutoConfigurationTest {

    @TempDir
    Path directory;

    private AutoConfigurations configurations() {
        return AutoConfigurations.of(DataSourceAutoConfiguration.class, RinglogAutoConfiguration.class,
                RinglogRequestLogAutoConfiguration.class);
    }

    private WebApplicationContextRunner web() {
        return new WebApplicationContextRunner().withConfiguration(configurations())
                .withPropertyValues("spring.datasource.url=jdbc:h2:file:" + directory.resolve("app"));
    }

    @Test
    void registeredEarlyInAServletApplicationWhenEnabled() {
        web().withPropertyValues("ringlog.request-log.enabled=true").run(context -> {
            FilterRegistrationBean<?> registration = context.getBean("ringlogRequestLogFilter", FilterRegistrationBean.class);
            assertThat(registration.getFilter()).isInstanceOf(RequestLogFilter.class);
            assertEquals(RinglogRequestLogAutoConfiguration.DEFAULT_ORDER, registration.getOrder());
            assertThat(context).hasBean("ringlogRequestLogMetrics");
        });
    }

    @Test
    void orderIsAProperty() {
        web().withPropertyValues("ringlog.request-log.enabled=true", "ringlog.request-log.order=-50").run(context ->
                assertEquals(-50, context.getBean("ringlogRequestLogFilter", FilterRegistrationBean.class).getOrder()));
    }

    @Test
    void notRegisteredUnlessEnabled() {
        web().run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("ringlogRequestLogFilter"));
    }

    @Test
    void notRegisteredOutsideAServletApplication() {
        new ApplicationContextRunner().withConfiguration(configurations())
                .withPropertyValues("spring.datasource.url=jdbc:h2:file:" + directory.resolve("app"),
                        "ringlog.request-log.enabled=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("ringlogRequestLogFilter"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "ringlog.request-log.headers             | Authorization | carries credentials and is never logged",
            "ringlog.request-log.max-body-bytes      | 0             | maxBodyBytes must be in [1, 1048576]",
            "ringlog.request-log.request-body-timeout | 0ms          | requestBodyTimeout must be in [1ms, 1h]",
            "ringlog.request-log.response-body-timeout | 2h          | responseBodyTimeout must be in [1ms, 1h]",
            "ringlog.request-log.event-type          | ' '           | eventType must not be empty",
            "ringlog.request-log.sample[0].rate      | 1.5           | sample rate must be in [0.0, 1.0]",
    })
    void aBadPropertyFailsStartupNamingIt(String key, String value, String rule) {
        String property = key.startsWith("ringlog.request-log.sample") ? "ringlog.request-log.sample[0]" : key;
        web().withPropertyValues("ringlog.request-log.enabled=true", key + "=" + value,
                        "ringlog.request-log.sample[0].path=/health")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable cause = context.getStartupFailure();
                    while (cause.getCause() != null) {
                        cause = cause.getCause();
                    }
                    assertThat(cause).isInstanceOf(InvalidConfigurationPropertyValueException.class);
                    assertEquals(property, ((InvalidConfigurationPropertyValueException) cause).getName());
                    assertThat(cause.getMessage()).contains(rule);
                });
    }
}
