package org.ofsep.mwl.app.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.Passwords;
import org.ofsep.mwl.app.support.TestGateway;
import org.ofsep.mwl.core.review.Role;

/**
 * The admin port behind a reverse proxy (README: TLS ends there): with the proxy's address in
 * {@code http.trustedProxies} the audit trail records the address of the person's browser, read from the
 * X-Forwarded-For the proxy appended; without it, a header anyone can write is not believed.
 */
class ReverseProxyAuditEndToEndTest {
    static final String PASSWORD = "correct horse battery";

    @TempDir
    Path work;

    private static List<String> addresses(ReviewHttp http, String user) throws Exception {
        ReviewHttp.Answer audit = http.get("/api/audit?from=" + LocalDate.now().minusDays(1) + "&to="
                + LocalDate.now().plusDays(1) + "&user=" + user);
        assertThat(audit.status()).as(audit.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (JsonNode e : audit.json().path("events")) {
            out.add(e.path("action").asText() + " " + e.path("address").asText());
        }
        return out;
    }

    @Test
    void behindATrustedProxyTheAuditNamesTheBrowsersAddress() throws Exception {
        TestGateway gw = new TestGateway(work.resolve("proxied"));
        gw.config.http.trustedProxies = List.of("127.0.0.1");
        gw.config.http.token = "a".repeat(40); // behind a proxy the machine API needs its token (README)
        try (gw) {
            gw.start();
            gw.gateway().usersForTests().add("dr.martin", Role.RADIOLOGIST, Passwords.hash(PASSWORD), "test");
            ReviewHttp browser = new ReviewHttp(gw.config.http.port);
            // what nginx's $proxy_add_x_forwarded_for sends when the browser sent none
            browser.forwardedFor = "198.51.100.23";
            assertThat(browser.login("dr.martin", "wrong password").status()).isEqualTo(401);
            // the browser wrote a header of its own: the proxy appended the address it really came from
            browser.forwardedFor = "10.66.66.66, 198.51.100.23";
            assertThat(browser.login("dr.martin", PASSWORD).status()).isEqualTo(200);
            assertThat(addresses(browser, "dr.martin"))
                    .containsExactly("LOGIN_FAILED 198.51.100.23", "LOGIN 198.51.100.23");
            // a request for another Host is refused, and its WARN names the browser, not the proxy (it named the
            // proxy; found by an independent review)
            try (org.ofsep.mwl.app.support.LogCapture log =
                         org.ofsep.mwl.app.support.LogCapture.of("org.ofsep.mwl.app.AdminHttpGuard");
                 java.net.Socket socket = new java.net.Socket("127.0.0.1", gw.config.http.port)) {
                socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: evil.example\r\n"
                        + "X-Forwarded-For: 203.0.113.50\r\nConnection: close\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(),
                        java.nio.charset.StandardCharsets.US_ASCII);
                assertThat(answer).startsWith("HTTP/1.1 403");
                assertThat(log.messages(ch.qos.logback.classic.Level.WARN)).singleElement().asString()
                        .contains("from 203.0.113.50").doesNotContain("from 127.0.0.1");
            }
        }
    }

    @Test
    void withoutTrustedProxiesTheHeaderChangesNothing() throws Exception {
        try (TestGateway gw = new TestGateway(work.resolve("direct")).start()) {
            gw.gateway().usersForTests().add("dr.martin", Role.RADIOLOGIST, Passwords.hash(PASSWORD), "test");
            ReviewHttp caller = new ReviewHttp(gw.config.http.port);
            caller.forwardedFor = "198.51.100.23";
            assertThat(caller.login("dr.martin", PASSWORD).status()).isEqualTo(200);
            assertThat(addresses(caller, "dr.martin")).containsExactly("LOGIN 127.0.0.1");
        }
    }
}
