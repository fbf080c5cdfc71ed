package dev.ringlog.examples;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/** Creates the JDK's HTTP servers of the demo (its web server and its /metrics endpoint), on 127.0.0.1. */
final class LoopbackHttpServer {

    private LoopbackHttpServer() {
    }

    /** An unstarted server on {@code port} of the loopback interface (0: any free port), with TCP_NODELAY. */
    static HttpServer create(int port) throws IOException {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed
        // ACK: 40 ms a request, whatever the logging costs. The JDK reads this property once, when the
        // first server of the JVM is created: every server must come from here.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        return HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    }
}
