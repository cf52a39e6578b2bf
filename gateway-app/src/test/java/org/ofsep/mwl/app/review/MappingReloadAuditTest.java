package org.ofsep.mwl.app.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.TestGateway;
import org.ofsep.mwl.core.review.AuditEvent;

/** A good mapping reload is in the audit trail; a refused edit is not (the last good mapping keeps running). */
class MappingReloadAuditTest {
    @TempDir
    Path work;

    @Test
    void aMappingReloadIsAudited() throws Exception {
        try (TestGateway gw = new TestGateway(work).start()) {
            Path mapping = gw.configDir.resolve("mapping.yaml");
            String text = Files.readString(mapping);
            Files.writeString(mapping, text.replace("awaitingDescription: \"OFSEP {card} - sans Gd - attente radiologue\"",
                    "awaitingDescription: \"OFSEP {card} - sans Gd - attente du radiologue\""));
            List<AuditEvent> events = List.of();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) {
                events = gw.gateway().auditForTests().list(null, null, "gateway", List.of("MAPPING_RELOADED"), 10);
                if (!events.isEmpty()) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(events).hasSize(1);
            assertThat(events.get(0).detail()).contains("mapping.yaml");
            // which mapping decided from then on, as sha256sum prints it for the file
            assertThat(events.get(0).detail()).contains("SHA-256 " + java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(
                            Files.readAllBytes(mapping))));
            assertThat(gw.gateway().mapping().current().awaitingDescription()).contains("attente du radiologue");
        }
    }

    /**
     * A mapping edited while the gateway was stopped (the usual way to change it) left no trace: the audit trail
     * records the mapping a start decides with when it is not the last one recorded (found by an independent
     * review), and only then.
     */
    @Test
    void theMappingAStartDecidesWithIsAuditedWhenItIsNotTheLastOneRecorded() throws Exception {
        TestGateway gw = new TestGateway(work);
        Path mapping = gw.configDir.resolve("mapping.yaml");
        try (TestGateway started = gw.start()) {
            assertThat(loaded(started)).singleElement().satisfies(e -> assertThat(e.detail())
                    .contains("mapping loaded at start").contains("SHA-256 " + sha(mapping)));
        }
        try (TestGateway again = gw.start()) {
            assertThat(loaded(again)).hasSize(1); // the same file: nothing new to tell
        }
        Files.writeString(mapping, Files.readString(mapping).replace("awaitingDescription: \"OFSEP {card} - sans Gd - "
                + "attente radiologue\"", "awaitingDescription: \"OFSEP {card} - sans Gd - attente du radiologue\""));
        try (TestGateway edited = gw.start()) {
            List<AuditEvent> events = loaded(edited);
            assertThat(events).hasSize(2);
            assertThat(events.get(1).detail()).contains("SHA-256 " + sha(mapping)).contains("not the last one recorded");
        }
    }

    private static List<AuditEvent> loaded(TestGateway gw) {
        return gw.gateway().auditForTests().list(null, null, "gateway", List.of("MAPPING_LOADED"), 10);
    }

    private static String sha(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file)));
    }

    /**
     * A station removed from the mapping while steps wait on it was accepted silently: its console is refused from
     * then on and those exams vanished from every console (found by an independent review). The reload is still
     * taken (the admin may mean it), and a WARN names the station, the steps and what to do.
     */
    @Test
    void removingAStationThatStillHasStepsIsSaid() throws Exception {
        try (org.ofsep.mwl.app.support.LogCapture logged = org.ofsep.mwl.app.support.LogCapture.of(
                org.ofsep.mwl.app.Gateway.class); TestGateway gw = new TestGateway(work).start()) {
            String ack = gw.send("/e2e/orm-review-egfr24.hl7", java.nio.charset.StandardCharsets.UTF_8);
            assertThat(ack).contains("MSA|AA");
            Path mapping = gw.configDir.resolve("mapping.yaml");
            String text = Files.readString(mapping);
            int from = text.indexOf("  - name: \"IRM 1 - Siemens\"");
            int to = text.indexOf("  - name: \"IRM 2 - GE\"");
            String edited = text.substring(0, from) + text.substring(to);
            edited = edited.replace("    - field: OBR-21\n      equals: IRM1\n      station: MR_SIEMENS\n", "")
                    .replace("  default: MR_SIEMENS", "  default: MR_GE");
            Files.writeString(mapping, edited);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline && gw.gateway().mapping().current().station("MR_SIEMENS").isPresent()) {
                Thread.sleep(200);
            }
            assertThat(gw.gateway().mapping().current().station("MR_SIEMENS")).isEmpty();
            Thread.sleep(300);
            assertThat(logged.messages(ch.qos.logback.classic.Level.WARN)).anySatisfy(m -> assertThat(m)
                    .contains("station MR_SIEMENS was removed while 1 step(s) still wait on it").contains("XO"));
            // and at the next start with that mapping (a station removed while the gateway was stopped)
            gw.stop();
            gw.start();
            long until = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < until && logged.messages(ch.qos.logback.classic.Level.WARN).stream()
                    .noneMatch(m -> m.contains("is not in the mapping"))) {
                Thread.sleep(100); // counted after the start, on a thread of its own
            }
            assertThat(logged.messages(ch.qos.logback.classic.Level.WARN)).anySatisfy(m -> assertThat(m)
                    .contains("station MR_SIEMENS is not in the mapping while 1 step(s) still wait on it"));
        }
    }
}
