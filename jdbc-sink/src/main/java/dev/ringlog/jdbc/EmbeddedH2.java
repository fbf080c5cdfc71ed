package dev.ringlog.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The embedded default: a HikariCP pool on an H2 file database, from {@link JdbcSink#embeddedH2}.
 *
 * <pre>{@code
 * HikariDataSource ds = JdbcSink.embeddedH2(Path.of("data")).commitOnDisk(true).open();
 * JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(ds).build();
 * }</pre>
 *
 * <p>Durability, the one choice to make:
 * <ul>
 *   <li>by default H2 writes committed transactions to its file up to 500 ms after the commit
 *       ({@code WRITE_DELAY=500}): the fastest, but a JVM crash or kill loses the commits of the last
 *       half second, including events whose {@code publishDurable} future completed;</li>
 *   <li>{@link #commitOnDisk(boolean) commitOnDisk(true)} sets {@code WRITE_DELAY=0}: each commit is
 *       written to the file before it returns, so a committed batch survives a JVM crash. H2 does not
 *       force every commit through the operating system's cache ({@code fsync}): a power loss can
 *       still lose the last commits.</li>
 * </ul>
 *
 * <p>Encryption at rest: {@link #encrypted} sets {@code CIPHER=AES}; the file cannot be opened without
 * the file password and holds no plaintext. The passwords are kept in the pool configuration only and
 * never logged.
 *
 * <p>The database closes when the pool does ({@code DB_CLOSE_ON_EXIT=FALSE}): H2's own shutdown hook
 * would otherwise close it under the {@code EventLog}'s shutdown hook, which is still flushing.
 * Close the returned {@link HikariDataSource} after the log. Not thread-safe; configure, then
 * {@link #open()}.
 */
public final class EmbeddedH2 {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Path directory;
    private String name = "ringlog";
    private boolean commitOnDisk;
    private String filePassword;
    private String userPassword = "";
    private int maximumPoolSize = 4;

    EmbeddedH2(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
    }

    /**
     * The database's file name in the directory, without extension: H2 adds {@code .mv.db}.
     * Default {@code ringlog}.
     *
     * @throws IllegalArgumentException unless 1 to 64 letters, digits, '_' or '-'
     */
    public EmbeddedH2 name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1 to 64 letters, digits, '_' or '-': name="
                    + (name == null ? "null" : "'" + name + "'"));
        }
        this.name = name;
        return this;
    }

    /**
     * {@code true}: each commit is written to the file before it returns ({@code WRITE_DELAY=0});
     * {@code false} (the default): up to 500 ms later. See the class comment.
     */
    public EmbeddedH2 commitOnDisk(boolean commitOnDisk) {
        this.commitOnDisk = commitOnDisk;
        return this;
    }

    /**
     * Encrypts the file with AES ({@code CIPHER=AES}). The file password encrypts the file; the user
     * password authenticates the database user {@code sa}. Both are needed to open it again.
     *
     * @throws IllegalArgumentException if the file password is empty or either contains a space
     */
    public EmbeddedH2 encrypted(char[] filePassword, char[] userPassword) {
        Objects.requireNonNull(filePassword, "filePassword");
        Objects.requireNonNull(userPassword, "userPassword");
        String file = new String(filePassword);
        String user = new String(userPassword);
        if (file.isEmpty() || file.indexOf(' ') >= 0 || user.indexOf(' ') >= 0) {
            // H2 separates the two passwords with a space; the values are not echoed.
            throw new IllegalArgumentException("encrypted: the file password must be non-empty and neither"
                    + " password may contain a space");
        }
        this.filePassword = file;
        this.userPassword = user;
        return this;
    }

    /** Most pooled connections: one for the sink, the rest for readers. Default 4, in [1, 64]. */
    public EmbeddedH2 maximumPoolSize(int maximumPoolSize) {
        if (maximumPoolSize < 1 || maximumPoolSize > 64) {
            throw new IllegalArgumentException("maximumPoolSize must be in [1, 64]: maximumPoolSize=" + maximumPoolSize);
        }
        this.maximumPoolSize = maximumPoolSize;
        return this;
    }

    /** The JDBC URL, without passwords (they never are in it). */
    String url() {
        StringBuilder url = new StringBuilder("jdbc:h2:file:").append(directory.resolve(name))
                .append(";DB_CLOSE_ON_EXIT=FALSE");
        if (filePassword != null) {
            url.append(";CIPHER=AES");
        }
        if (commitOnDisk) {
            url.append(";WRITE_DELAY=0");
        }
        return url.toString();
    }

    /**
     * Opens the pool (and creates the database file if missing). Close it after the log.
     *
     * @throws RuntimeException from HikariCP if the database cannot be opened (wrong password, file locked
     *     by another process)
     */
    public HikariDataSource open() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("ringlog-h2-" + name);
        config.setJdbcUrl(url());
        config.setUsername("sa");
        config.setPassword(filePassword == null ? userPassword : filePassword + " " + userPassword);
        config.setMaximumPoolSize(maximumPoolSize);
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        return new HikariDataSource(config);
    }

    @Override
    public String toString() {
        return "EmbeddedH2[" + url() + "]";
    }
}
