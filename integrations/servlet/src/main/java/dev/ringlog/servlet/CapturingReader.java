package dev.ringlog.servlet;

import java.io.IOException;
import java.io.Reader;

/** The request's reader, teed into a {@link BodyCapture} as the application reads it. */
final class CapturingReader extends Reader {

    private final Reader in;
    private final BodyCapture capture;

    CapturingReader(Reader in, BodyCapture capture) {
        this.in = in;
        this.capture = capture;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        int n;
        capture.reading(true);
        try {
            n = in.read(cbuf, off, len);
        } finally {
            capture.reading(false);
        }
        if (n < 0) {
            capture.end();
        } else {
            capture.append(cbuf, off, n);
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
