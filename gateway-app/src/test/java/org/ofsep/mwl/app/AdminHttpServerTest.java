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

    @Test
    void refusesToServeBeyondLoopbackWithoutAToken() {
        assertThatThrownBy(() -> new AdminHttpServer("0.0.0.0", 0, "", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http.token");
    }

    @Test
    void aTokenProtectsTheDataButNotTheBoardAssets() throws Exception {
        try (AdminHttpServer server = new AdminHttpServer("127.0.0.1", 0, "s3cret", Map.of(
                "/api/worklist", p -> AdminHttpServer.Response.json(200, "{\"items\":[]}"),
                "/board.js", AdminHttpServer.resource("/board/board.js", "text/javascript")))) {
            server.start();
            assertThat(get(server.port(), "/api/worklist", null).statusCode()).isEqualTo(401);
            assertThat(get(server.port(), "/api/worklist", "wrong").statusCode()).isEqualTo(401);
            assertThat(get(server.port(), "/api/worklist", "s3cret").body()).contains("items");
            assertThat(get(server.port(), "/api/worklist?token=s3cret", null).statusCode()).isEqualTo(200);
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
}
