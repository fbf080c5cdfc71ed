package dev.ringlog.spring.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link WebAppContract} on an H2 file: the application's DataSource and the log's own pool on the same URL. */
@SpringBootTest(classes = ShopApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.main.banner-mode=off"})
class H2WebAppTest extends WebAppContract {

    static final String URL = "jdbc:h2:file:" + directory().resolve("shop");

    private static Path directory() {
        try {
            return Files.createTempDirectory("ringlog-boot-web");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL);
        for (String p : PROPERTIES) {
            registry.add(p.substring(0, p.indexOf('=')), () -> p.substring(p.indexOf('=') + 1));
        }
    }

    @Override
    Connection connect() throws Exception {
        return DriverManager.getConnection(URL);
    }
}
