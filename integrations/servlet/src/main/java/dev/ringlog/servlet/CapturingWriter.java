package dev.ringlog.servlet;

import java.io.PrintWriter;

/**
 * The response's writer, teed into a {@link BodyCapture} as the application writes it. It writes
 * straight through to the container's writer (a {@code PrintWriter} adds no buffer of its own), so
 * flushing and committing behave as without the filter. Whether the body is captured is decided at
 * the first write, when the content type is set.
 */
final class CapturingWriter extends PrintWriter {

    private final Exchange exchange;
    private BodyCapture capture;
    private boolean decided;

    CapturingWriter(PrintWriter out, Exchange exchange) {
        super(out);
        this.exchange = exchange;
    }

    @Override
    public void write(int c) {
        super.write(c);
        BodyCapture bc = capture();
        if (bc != null) {
            bc.append(new char[] {(char) c}, 0, 1);
        }
    }

    @Override
    public void write(char[] buf, int off, int len) {
        super.write(buf, off, len);
        BodyCapture bc = capture();
        if (bc != null) {
            bc.append(buf, off, len);
        }
    }

    @Override
    public void write(String s, int off, int len) {
        super.write(s, off, len);
        BodyCapture bc = capture();
        if (bc != null) {
            bc.append(s, off, len);
        }
    }

    @Override
    public void println() {
        write(System.lineSeparator()); // PrintWriter's own println writes past write(String): captured here
    }

    private BodyCapture capture() {
        if (!decided) {
            decided = true;
            capture = exchange.startResponseBody(true);
        }
        return capture;
    }
}
