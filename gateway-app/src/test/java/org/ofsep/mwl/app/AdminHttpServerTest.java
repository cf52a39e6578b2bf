package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminHttpServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder rq = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            rq.header("Authorization", "Bearer " + token);
        }
        return http.send(rq.build(), HttpResponse.BodyHandlers.ofString());
    }

    static final String TOKEN = "0123456789abcdef0123456789abcdef";

    private static RawResponse raw(int port, String request) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(9, 12));
            return new RawResponse(status, answer);
        }
    }

    /** A raw HTTP/1.1 answer read from a socket: status and the whole text (headers and body). */
    record RawResponse(int statusCode, String body) {
    }

    @Test
    void aHostThatIsNotThisServerIsRefused() throws Exception {
        try (AdminHttpServer server = new AdminHttpServer("127.0.0.1", 0, "", Map.of(
                "/api/worklist", p -> AdminHttpServer.Response.json(200, "{\"items\":[]}")))) {
            server.allowHosts(java.util.List.of("gateway.chu.example"));
            server.start();
            // DNS rebinding: a hostile page whose name resolves to 127.0.0.1 calls the tokenless loopback port
            RawResponse evil = raw(server.port(), "GET /api/worklist?reveal=true HTTP/1.1\r\nHost: evil.example\r\n"
                    + "Connection: close\r\n\r\n");
            assertThat(evil.statusCode()).isEqualTo(403);
            assertThat(evil.body()).doesNotContain("items");
            assertThat(raw(server.port(), "GET /api/worklist HTTP/1.1\r\nHost: evil.example:" + server.port()
                    + "\r\nConnection: close\r\n\r\n").statusCode()).isEqualTo(403);
            assertThat(raw(server.port(), "GET /api/worklist HTTP/1.1\r\nConnection: close\r\n\r\n").statusCode())
                    .isEqualTo(403); // HTTP/1.1 without Host
            for (String host : new String[] {"127.0.0.1:" + server.port(), "localhost:" + server.port(), "localhost",
                    "[::1]:" + server.port(), "GATEWAY.chu.example", "10.1.2.3"}) {
                assertThat(raw(server.port(), "GET /api/worklist HTTP/1.1\r\nHost: " + host
                        + "\r\nConnection: close\r\n\r\n").statusCode()).as(host).isEqualTo(200);
            }
        }
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws Exception {
        try (AdminHttpServer server = new AdminHttpServer("127.0.0.1", 0, "", Map.of(
                "/", p -> AdminHttpServer.Response.text(200, "text/html", "<p>ok</p>")))) {
            server.start();
            for (String path : new String[] {"/", "/nothing-here"}) {
                HttpResponse<String> r = get(server.port(), path, null);
                assertThat(r.headers().firstValue("Content-Security-Policy")).get().asString()
                        .contains("default-src 'self'").contains("frame-ancestors 'none'");
                assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
                assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
                assertThat(r.headers().firstValue("Referrer-Policy")).contains("no-referrer");
            }
        }
    }

    @Test
    void aShortTokenIsRefusedAndTheBearerSchemeIsCaseInsensitive() throws Exception {
        assertThatThrownBy(() -> new AdminHttpServer("127.0.0.1", 0, "s3cret", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32");
        try (AdminHttpServer server = new AdminHttpServer("127.0.0.1", 0, TOKEN, Map.of(
                "/api/worklist", p -> AdminHttpServer.Response.json(200, "{\"items\":[]}")))) {
            server.start();
            for (String scheme : new String[] {"Bearer", "bearer", "BEARER"}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/worklist")).header("Authorization", scheme + " " + TOKEN).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(scheme).isEqualTo(200);
            }
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/worklist"))
                    .header("Authorization", "Basic " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void refusesToServeBeyondLoopbackWithoutAToken() {
        assertThatThrownBy(() -> new AdminHttpServer("0.0.0.0", 0, "", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http.token");
    }

    @Test
    void aTokenProtectsTheDataButNotTheBoardAssets() throws Exception {
        try (AdminHttpServer server = new AdminHttpServer("127.0.0.1", 0, TOKEN, Map.of(
                "/api/worklist", p -> AdminHttpServer.Response.json(200, "{\"items\":[]}"),
                "/board.js", AdminHttpServer.resource("/board/board.js", "text/javascript")))) {
            server.start();
            assertThat(get(server.port(), "/api/worklist", null).statusCode()).isEqualTo(401);
            assertThat(get(server.port(), "/api/worklist", "wrong").statusCode()).isEqualTo(401);
            assertThat(get(server.port(), "/api/worklist", TOKEN).body()).contains("items");
            assertThat(get(server.port(), "/api/worklist?token=" + TOKEN, null).statusCode()).isEqualTo(200);
            assertThat(get(server.port(), "/board.js", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void badInputIs400AndUnknownPathIs404() throws Exception {
        try (AdminHttpServer server = new AdminHttpServer("127.0.0.1", 0, null, Map.of(
                "/api/x", p -> {
                    throw new IllegalArgumentException("date must be a date");
                },
                "/", p -> "/".equals(p.get(AdminHttpServer.PATH)) ? AdminHttpServer.Response.text(200, "text/html", "ok")
                        : null))) {
            server.start();
            HttpResponse<String> bad = get(server.port(), "/api/x", null);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("date must be a date");
            assertThat(get(server.port(), "/", null).statusCode()).isEqualTo(200);
            assertThat(get(server.port(), "/nothing-here", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aPathIsServedByItsOwnRouteNotByARouteItStartsWith() throws Exception {
        // the JDK's HttpServer picks a context by prefix: /healthz answered as /health, /api/reviewer as /api/review
        try (AdminHttpServer server = new AdminHttpServer("127.0.0.1", 0, "", Map.of(
                "/health", p -> AdminHttpServer.Response.json(200, "{\"status\":\"UP\"}"),
                "/", p -> "/".equals(p.get(AdminHttpServer.PATH)) ? AdminHttpServer.Response.text(200, "text/html", "ok")
                        : null), Map.of("/api/review", r -> AdminHttpServer.Response.json(200, "{\"path\":\""
                        + r.path() + "\"}"), "/api/session", r -> AdminHttpServer.Response.json(200, "{\"path\":\""
                        + r.path() + "\"}")), null, false)) {
            server.start();
            assertThat(get(server.port(), "/health", null).statusCode()).isEqualTo(200);
            for (String path : new String[] {"/healthz", "/health/", "/health/x", "/api/reviewer", "/api/review-x",
                    "/api/session/x"}) {
                HttpResponse<String> r = get(server.port(), path, null);
                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(r.body()).as(path).doesNotContain("UP").doesNotContain("path");
                assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            }
            assertThat(get(server.port(), "/api/review", null).body()).contains("\"path\":\"/api/review\"");
            assertThat(get(server.port(), "/api/review/7", null).body()).contains("\"path\":\"/api/review/7\"");
        }
    }

    @Test
    void aFailedRequestIsLoggedByItsRouteNotItsPathWhichMayHoldAnAccessionNumber() throws Exception {
        java.util.List<String> lines;
        try (org.ofsep.mwl.app.support.LogCapture logged = org.ofsep.mwl.app.support.LogCapture.of(
                AdminHttpServer.class); AdminHttpServer server = new AdminHttpServer("127.0.0.1", 0, "", Map.of(
                "/api/history", p -> {
                    throw new IllegalStateException("store closed");
                }), Map.of("/api/review", r -> {
                    throw new IllegalStateException("store closed");
                }), null, false)) {
            server.start();
            HttpResponse<String> failed = get(server.port(), "/api/review/ACC-4242-DUPONT", null);
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body()).doesNotContain("store closed").contains("internal error");
            assertThat(get(server.port(), "/api/history?accession=ACC-4343-MARTIN", null).statusCode()).isEqualTo(500);
            lines = logged.messages(ch.qos.logback.classic.Level.ALL);
        }
        assertThat(lines).contains("admin request /api/review failed: java.lang.IllegalStateException: store closed",
                "admin request /api/history failed: java.lang.IllegalStateException: store closed");
        assertThat(String.join("\n", lines)).doesNotContain("ACC-4242").doesNotContain("ACC-4343");
    }
}
