package dev.ringlog.micrometer;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.tools.Server;

/**
 * An H2 TCP server in a child JVM, on a database directory: a database server that can crash for real
 * ({@link #kill()}, the process killed outright) and come back on the same port ({@link #start(int)}).
 */
final class H2ServerProcess implements AutoCloseable {

    private static final Pattern RUNNING = Pattern.compile("TCP server running at tcp://[^:]+:(\\d+)");
    private static final long START_BOUND_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final Path directory;
    private Process process;
    private int port;

    H2ServerProcess(Path directory) {
        this.directory = directory;
    }

    /** Starts the server on {@code port} (0: any free port) and returns once it listens; returns the port. */
    int start(int port) throws IOException, URISyntaxException {
        Path out = Files.createTempFile(directory, "h2-server", ".out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String h2 = Path.of(Server.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        process = new ProcessBuilder(java, "-cp", h2, Server.class.getName(), "-tcp", "-tcpPort",
                Integer.toString(port), "-baseDir", directory.toString(), "-ifNotExists")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long deadline = System.nanoTime() + START_BOUND_NANOS;
        while (true) {
            Matcher running = RUNNING.matcher(Files.readString(out));
            if (running.find()) {
                this.port = Integer.parseInt(running.group(1));
                return this.port;
            }
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                throw new IOException("the H2 server did not start within 20 s: " + Files.readString(out));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // a child JVM signals nothing but its output
        }
    }

    /** Kills the server process outright (SIGKILL) and waits until it is gone: its connections break. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the H2 server process did not die within 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing the H2 server process", e);
        }
    }

    String url(String database) {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
