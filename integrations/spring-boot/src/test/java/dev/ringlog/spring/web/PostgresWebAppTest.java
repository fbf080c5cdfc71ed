package dev.ringlog.spring.web;

import dev.ringlog.testsupport.TestDatabases;
import java.sql.Connection;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link WebAppContract} on the PostgreSQL server: the log's own pool on {@code ringlog.datasource.url},
 * the application's DataSource an embedded H2 (as a service whose events go to a central store).
 * Skipped unless the server answers (failed instead with {@code RINGLOG_REQUIRE_DB=1}).
 */
@SpringBootTest(classes = ShopApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PostgresWebAppTest extends WebAppContract {

    @BeforeAll
    static void server() throws Exception {
        TestDatabases.assumeReachable("PostgreSQL", TestDatabases.PG_URL, TestDatabases.PG_USER);
        try (Connection c = TestDatabases.connect(TestDatabases.PG_URL, TestDatabases.PG_USER); var s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ringlog.datasource.url", () -> TestDatabases.PG_URL);
        registry.add("ringlog.datasource.username", () -> TestDatabases.PG_USER);
        for (String p : PROPERTIES) {
            registry.add(p.substring(0, p.indexOf('=')), () -> p.substring(p.indexOf('=') + 1));
        }
    }

    @Override
    Connection connect() throws Exception {
        return TestDatabases.connect(TestDatabases.PG_URL, TestDatabases.PG_USER);
    }
}
