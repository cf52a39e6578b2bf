package org.ofsep.mwl.app.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** A browser-like HTTP client of the admin port: keeps the session cookie and the CSRF token of its login. */
final class ReviewHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final String base;
    String cookie;
    String csrf;
    /** When set, every request carries this X-Forwarded-For (as a reverse proxy on loopback would add it). */
    String forwardedFor;
    HttpResponse<String> lastLogin;

    ReviewHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** One answer: status, body, parsed JSON (null when not JSON). */
    record Answer(int status, String body, JsonNode json, HttpResponse<String> raw) {
        String error() {
            return json == null ? body : json.path("error").asText();
        }
    }

    Answer login(String user, String password) throws Exception {
        Answer a = post("/api/login", "{\"user\":" + JSON.writeValueAsString(user) + ",\"password\":"
                + JSON.writeValueAsString(password) + "}", false);
        if (a.status() == 200) {
            String setCookie = a.raw().headers().firstValue("Set-Cookie").orElseThrow();
            cookie = setCookie.substring(0, setCookie.indexOf(';'));
            csrf = a.json().path("csrfToken").asText();
        }
        return a;
    }

    Answer get(String path) throws Exception {
        HttpRequest.Builder rq = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (cookie != null) {
            rq.header("Cookie", cookie);
        }
        if (forwardedFor != null) {
            rq.header("X-Forwarded-For", forwardedFor);
        }
        return answer(HTTP.send(rq.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    Answer post(String path, String json, boolean withCsrf) throws Exception {
        return post(path, json, withCsrf, "application/json");
    }

    Answer post(String path, String json, boolean withCsrf, String contentType) throws Exception {
        HttpRequest.Builder rq = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", contentType);
        if (cookie != null) {
            rq.header("Cookie", cookie);
        }
        if (withCsrf && csrf != null) {
            rq.header("X-CSRF-Token", csrf);
        }
        if (forwardedFor != null) {
            rq.header("X-Forwarded-For", forwardedFor);
        }
        return answer(HTTP.send(rq.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    private static Answer answer(HttpResponse<String> r) {
        JsonNode json = null;
        if (r.headers().firstValue("Content-Type").orElse("").contains("json")) {
            try {
                json = JSON.readTree(r.body());
            } catch (Exception e) {
                json = null;
            }
        }
        return new Answer(r.statusCode(), r.body(), json, r);
    }

    static String action(String action, String card, Boolean contrast, String reason, int version) throws Exception {
        var o = JSON.createObjectNode();
        o.put("action", action);
        if (card != null) {
            o.put("examCard", card);
        }
        if (contrast != null) {
            o.put("contrast", contrast);
        }
        if (reason != null) {
            o.put("reason", reason);
        }
        o.put("version", version);
        return JSON.writeValueAsString(o);
    }
}
