package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.TestGateway;
import org.ofsep.mwl.core.review.Role;
import org.ofsep.mwl.core.review.User;

/**
 * {@code gateway user add|disable|list} and {@code gateway audit}, and {@code decide}'s review field, as README
 * documents them: the password is read from standard input, stored only as an Argon2 hash, and never printed.
 */
class UserAuditCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static synchronized CliEndToEndTest.Result withStdin(String stdin, String... args) {
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            return CliEndToEndTest.run(args);
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void usersAreAddedDisabledListedAndAudited(@TempDir Path dir) throws Exception {
        String data = dir.resolve("data").toString();
        CliEndToEndTest.Result add = withStdin("s3cret-passphrase\n", "user", "add", "dr.martin", "--role", "radiologist",
                "--password-stdin", "--config", "../config", "--data", data);
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).contains("Added radiologist dr.martin").doesNotContain("s3cret");

        // the same name in other letters' case is the same person, not a second account (of another role)
        CliEndToEndTest.Result twin = withStdin("s3cret-passphrase\n", "user", "add", "Dr.Martin", "--role", "admin",
                "--password-stdin", "--config", "../config", "--data", data);
        assertThat(twin.exit()).isNotZero();
        assertThat(twin.err()).contains("a user named 'dr.martin' exists").contains("use 'dr.martin'");

        CliEndToEndTest.Result shortPw = withStdin("short\n", "user", "add", "x", "--role", "admin", "--password-stdin",
                "--config", "../config", "--data", data);
        assertThat(shortPw.exit()).isNotZero();
        assertThat(shortPw.err()).contains("at least 10 characters");
        CliEndToEndTest.Result badRole = withStdin("long enough pw\n", "user", "add", "x", "--role", "nurse",
                "--password-stdin", "--config", "../config", "--data", data);
        assertThat(badRole.err()).contains("radiologist, technologist or admin");

        CliEndToEndTest.Result disable = CliEndToEndTest.run("user", "disable", "dr.martin", "--config", "../config",
                "--data", data);
        assertThat(disable.exit()).as(disable.err()).isZero();
        // disabled again: nothing changes, and the audit trail does not say it twice
        assertThat(CliEndToEndTest.run("user", "disable", "dr.martin", "--config", "../config", "--data", data).exit())
                .isZero();
        CliEndToEndTest.Result list = CliEndToEndTest.run("user", "list", "--config", "../config", "--data", data);
        assertThat(list.out()).contains("dr.martin").contains("radiologist").contains("disabled");

        // stored as an Argon2id hash only
        try (Gateway g = Gateway.open(GatewayConfig.load(Path.of("../config")), Path.of("../config"), Path.of(data))) {
            User u = g.usersForTests().find("dr.martin").orElseThrow();
            assertThat(u.passwordHash()).startsWith("$argon2id$").doesNotContain("s3cret");
            assertThat(u.role()).isEqualTo(Role.RADIOLOGIST);
            assertThat(u.enabled()).isFalse();
            assertThat(Passwords.matches("s3cret-passphrase", u.passwordHash())).isTrue();
        }

        CliEndToEndTest.Result audit = CliEndToEndTest.run("audit", "--json", "--config", "../config", "--data", data);
        assertThat(audit.exit()).as(audit.err()).isZero();
        JsonNode events = JSON.readTree(audit.out());
        List<String> actions = new ArrayList<>();
        events.forEach(e -> actions.add(e.path("action").asText() + " " + e.path("detail").asText()));
        assertThat(actions).containsExactly("USER_ADDED user dr.martin, role radiologist", "USER_DISABLED user dr.martin");
        assertThat(events.get(0).path("user").asText()).startsWith("cli:").contains("@");
        assertThat(audit.out()).doesNotContain("s3cret");
        // the account as it was and as it is: a disabling, then a change of role, show what they changed
        assertThat(events.get(1).path("before").toString()).contains("radiologist").contains("\"enabled\":true");
        assertThat(events.get(1).path("after").toString()).contains("\"enabled\":false");
        CliEndToEndTest.Result again = withStdin("another-passphrase\n", "user", "add", "dr.martin", "--role",
                "technologist", "--password-stdin", "--config", "../config", "--data", data);
        assertThat(again.exit()).as(again.err()).isZero();
        JsonNode changed = JSON.readTree(CliEndToEndTest.run("audit", "--json", "--config", "../config", "--data",
                data).out()).get(2);
        assertThat(changed.path("action").asText()).isEqualTo("USER_CHANGED");
        assertThat(changed.path("before").toString()).contains("radiologist").contains("\"enabled\":false");
        assertThat(changed.path("after").toString()).contains("technologist").contains("\"enabled\":true");
        assertThat(changed.toString()).doesNotContain("argon2").doesNotContain("another-passphrase");

        CliEndToEndTest.Result text = CliEndToEndTest.run("audit", "--user", "nobody", "--config", "../config",
                "--data", data);
        assertThat(text.out()).contains("0 event(s)");
    }

    @Test
    void aCommandThatCreatesAnEmptyEmbeddedStoreSaysSo(@TempDir Path dir) throws Exception {
        // a PostgreSQL gateway whose GATEWAY_DB_URL is only in the service's environment: a command run without it
        // opens an embedded store of its own, empty; the admin must be told, not shown an empty list
        String data = dir.resolve("data").toString();
        try (org.ofsep.mwl.app.support.LogCapture logged = org.ofsep.mwl.app.support.LogCapture.of(Gateway.class)) {
            assertThat(CliEndToEndTest.run("user", "list", "--config", "../config", "--data", data).exit()).isZero();
            assertThat(logged.lines())
                    .anySatisfy(line -> assertThat(line).startsWith("WARN No store in " + Path.of(data).toAbsolutePath()
                            + " yet: this command creates an empty embedded one").contains("GATEWAY_DB_URL"));
            logged.clear();
            // the store exists now: nothing to say
            assertThat(CliEndToEndTest.run("user", "list", "--config", "../config", "--data", data).exit()).isZero();
            assertThat(logged.messages(ch.qos.logback.classic.Level.ALL)).noneMatch(m -> m.startsWith("No store"));
        }
    }

    @Test
    void theTextTrailNeverPrintsControlCharactersFromOutside(@TempDir Path dir) throws Exception {
        // the user name of a failed login is whatever anyone who reaches the admin port typed: here terminal escapes
        // (clear the screen, set the title) and a line break followed by a forged event
        String typed = "x\u001b[2J\u001b]0;owned\u0007\n2026-12-05T08:00:00  OVERRIDE  dr.martin"; // 64 at most
        String data = dir.resolve("data").toString();
        try (Gateway g = Gateway.open(GatewayConfig.load(Path.of("../config")), Path.of("../config"), Path.of(data))) {
            g.auditForTests().record(org.ofsep.mwl.core.review.AuditEvent.of(java.time.Instant.now(), typed,
                    "127.0.0.1", "LOGIN_FAILED", "unknown user\r\n    reason: \u202Eforged"));
        }
        CliEndToEndTest.Result text = CliEndToEndTest.run("audit", "--config", "../config", "--data", data);
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u202E")
                .contains("x<0x1B>[2J<0x1B>]0;owned<0x07><0x0A>2026-12-05T08:00:00  OVERRIDE")
                .contains("    unknown user<0x0D><0x0A>    reason: <0x202E>forged");
        // one event, one line of its own: nothing printed looks like a second event
        assertThat(text.out().lines().filter(l -> l.matches("\\d{4}-\\d{2}-\\d{2}T.*"))).hasSize(1);
        assertThat(text.out().lines().filter(l -> l.startsWith("    reason:"))).isEmpty();
        // --json keeps the text as it was typed (escaped by JSON)
        CliEndToEndTest.Result json = CliEndToEndTest.run("audit", "--json", "--config", "../config", "--data", data);
        assertThat(JSON.readTree(json.out()).get(0).path("user").asText()).isEqualTo(typed);
    }

    @Test
    void decideSaysWhetherARadiologistMustConfirm(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("order.hl7");
        Files.writeString(file, TestGateway.message("/e2e/orm-review-egfr24.hl7"), StandardCharsets.UTF_8);
        CliEndToEndTest.Result r = CliEndToEndTest.run("decide", "--config", "../config", "--data",
                dir.resolve("data").toString(), file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode d = JSON.readTree(r.out());
        assertThat(d.path("contrast").asBoolean()).as("the rules' decision").isTrue();
        assertThat(d.path("review").path("state").asText()).isEqualTo("TO_REVIEW");
        assertThat(d.path("review").path("why").get(0).asText()).startsWith("RENAL_ALERT");
        assertThat(d.path("review").path("console").asText()).contains("attente radiologue");
    }
}
