package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.support.MllpClient.field;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.MllpClient;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * Issue 17.2 against the real gateway: idle MLLP connections below the limit do not stop intake; at the limit a new
 * connection is closed, the gateway says so at WARN, idle connections are closed after the idle timeout, and a
 * RIS that reconnects is served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileHl7PeersEndToEndTest {
    @TempDir
    static Path work;
    TestGateway gw;
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.ofsep.mwl.hl7")).addAppender(logged);
        logged.start();
        gw = new TestGateway(work);
        gw.config.hl7.maxConnections = 5;
        gw.config.hl7.idleTimeoutSeconds = 2;
        gw.start();
    }

    @AfterAll
    void stop() {
        gw.close();
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.ofsep.mwl.hl7")).detachAppender(logged);
    }

    private String order(String controlId) throws IOException {
        return TestGateway.message("/e2e/orm-knee.hl7").replace("MSG-E2E-0003", controlId);
    }

    /** What was logged so far: a copy, since the gateway's threads append while the test reads. */
    private List<ILoggingEvent> logged() {
        synchronized (logged) { // AppenderBase.doAppend holds the appender's lock while it adds
            return new ArrayList<>(logged.list);
        }
    }

    private String send(String controlId) throws IOException {
        try (MllpClient ris = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
            return ris.send(order(controlId), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void idleConnectionsCannotStopIntakeAndAReconnectingRisIsServed() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                idle.add(new Socket("127.0.0.1", gw.config.hl7.port));
            }
            long start = System.nanoTime();
            assertThat(field(send("HOSTILE-1"), "MSA", 1)).isEqualTo("AA"); // below the limit: served at once
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

            // the order's own connection gone first (camel-mllp counts a closed connection until its thread ends:
            // a connection opened at once may be refused as the sixth, and only four would be open)
            for (int i = 0; i < 40 && !http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + gw.config.http.port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body()
                    .contains("mwl_hl7_connections_open 3.0"); i++) {
                Thread.sleep(50);
            }
            for (int i = 0; i < 2; i++) {
                idle.add(new Socket("127.0.0.1", gw.config.hl7.port));
            }
            // every connection in use: the gateway says so at WARN
            for (int i = 0; i < 40 && logged().stream().noneMatch(e -> e.getLevel() == Level.WARN
                    && e.getFormattedMessage().contains("hl7.maxConnections")); i++) {
                Thread.sleep(100);
            }
            assertThat(logged()).anyMatch(e -> e.getLevel() == Level.WARN
                    && e.getFormattedMessage().contains("all 5 MLLP connections are in use"));

            // the RIS reconnects every 500 ms as interface engines do: served once the idle ones are closed
            start = System.nanoTime();
            String ack = null;
            int attempts = 0;
            while (ack == null && Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(8)) < 0) {
                attempts++;
                try {
                    ack = send("HOSTILE-2");
                } catch (IOException closed) {
                    Thread.sleep(500);
                }
            }
            assertThat(ack).as("served after %d attempts", attempts).isNotNull();
            assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            for (Socket s : idle) {
                s.setSoTimeout(5000);
                assertThat(s.getInputStream().read()).isEqualTo(-1); // closed by the idle timeout
            }
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.config.http.port
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("mwl_hl7_connection_limit_reached_total 1.0").contains("mwl_hl7_connections_open");
            // every connection gone, the refused ones too: the gauge comes back to 0 and the WARN is ended (each refused
            // connection stayed counted for ever, and the limit was never "below again")
            for (Socket s : idle) {
                s.close();
            }
            for (int i = 0; i < 40 && !metrics.contains("mwl_hl7_connections_open 0.0"); i++) {
                Thread.sleep(100);
                metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.config.http.port
                        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            }
            assertThat(metrics).contains("mwl_hl7_connections_open 0.0");
            assertThat(logged()).anyMatch(e -> e.getFormattedMessage().contains("MLLP connections below the limit again"));
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    /**
     * A peer that sends a byte outside any frame every half second, never a whole message: closed once the idle time
     * (2 s here) has passed without a message. camel-mllp's idle timer restarts at any byte, so such peers held their
     * connections for ever (fifty of them kept the RIS out; found by an independent review).
     */
    @Test
    void bytesOutsideAFrameDoNotKeepAConnectionOpen() throws Exception {
        try (Socket noisy = new Socket("127.0.0.1", gw.config.hl7.port)) {
            noisy.setSoTimeout(200);
            long start = System.nanoTime();
            boolean closed = false;
            while (!closed && Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(8)) < 0) {
                try {
                    noisy.getOutputStream().write('\r');
                    noisy.getOutputStream().flush();
                    closed = noisy.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException quiet) {
                    Thread.sleep(300);
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("closed by the gateway").isTrue();
            // by the gateway's own check (WARN "no whole message for 2 s") or camel-mllp's timers, whichever first
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
        assertThat(field(send("HOSTILE-3"), "MSA", 1)).isEqualTo("AA");
    }

}
