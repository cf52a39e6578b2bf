package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * Issue 17.3 and 17.8 against the real gateway: clients dribbling their headers or body (slowloris) do not freeze
 * /health and are cut after the request time limit; a Host that is not this server is refused (DNS rebinding).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileAdminHttpEndToEndTest {
    @TempDir
    static Path work;
    TestGateway gw;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    void start() throws Exception {
        gw = new TestGateway(work).start();
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    private HttpResponse<String> health() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.config.http.port + "/health"))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void slowClientsDoNotFreezeHealthAndAreCutAfterTheRequestTimeLimit() throws Exception {
        List<Socket> slow = new ArrayList<>();
        AtomicBoolean attacking = new AtomicBoolean(true);
        for (int i = 0; i < 8; i++) { // headers never finished
            Socket s = new Socket("127.0.0.1", gw.config.http.port);
            s.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").getBytes(StandardCharsets.US_ASCII));
            slow.add(s);
        }
        for (int i = 0; i < 4; i++) { // a body announced and never sent
            Socket s = new Socket("127.0.0.1", gw.config.http.port);
            s.getOutputStream().write(("POST /api/worklist HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            slow.add(s);
        }
        Thread dribbler = new Thread(() -> {
            while (attacking.get()) {
                for (Socket s : slow) {
                    try {
                        s.getOutputStream().write('a');
                    } catch (Exception e) {
                        // cut by the server
                    }
                }
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        dribbler.start();
        try {
            long attackStart = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                HttpResponse<String> r = health();
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
                Thread.sleep(200);
            }
            // every slow client is cut once its request took longer than the limit (5 s), however steadily it sends
            for (Socket s : slow) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                try {
                    byte[] buf = new byte[1024];
                    while (in.read(buf) >= 0) {
                        // an error answer, then the close
                    }
                } catch (java.net.SocketException reset) {
                    // reset: cut
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - attackStart)).isLessThan(Duration.ofSeconds(9));
            assertThat(health().statusCode()).isEqualTo(200);
        } finally {
            attacking.set(false);
            dribbler.join();
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void aRebindingHostIsRefusedOnTheRealGateway() throws Exception {
        try (Socket s = new Socket("127.0.0.1", gw.config.http.port)) {
            s.getOutputStream().write(("GET /api/worklist?reveal=true HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 403").contains("Host not allowed").doesNotContain("\"items\"");
        }
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.config.http.port
                + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
    }
}
