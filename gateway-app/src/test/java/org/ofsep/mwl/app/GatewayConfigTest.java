package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {

    @Test
    void shippedConfigHasTheDocumentedDefaults() throws Exception {
        GatewayConfig config = GatewayConfig.load(Path.of("../config"), Map.of());
        assertThat(config.hl7.port).isEqualTo(2575);
        assertThat(config.dicom.port).isEqualTo(11112);
        assertThat(config.dicom.aeTitle).isEqualTo("MWLGW");
        assertThat(config.http.port).isEqualTo(8080);
        assertThat(config.http.bindAddress).isEqualTo("127.0.0.1");
        assertThat(config.database.url).isNullOrEmpty();
        assertThat(config.hl7.processingIds).containsExactly("P");
        assertThat(config.hl7.maxMessageKilobytes).isEqualTo(1024);
        assertThat(Files.exists(config.mappingFile(Path.of("../config")))).isTrue();
    }

    @Test
    void environmentVariablesAreSubstituted(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("gateway.yaml"),
                "database:\n  url: ${GATEWAY_DB_URL:-jdbc:h2:mem:x}\n  user: ${DB_USER}\n");
        GatewayConfig config = GatewayConfig.load(dir, Map.of("DB_USER", "mwl"));
        assertThat(config.database.url).isEqualTo("jdbc:h2:mem:x");
        assertThat(config.database.user).isEqualTo("mwl");
    }

    @Test
    void unknownKeyIsRefusedWithFileAndLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("gateway.yaml"), "dicom:\n  aeTitle: X\n  prot: 11112\n");
        assertThatThrownBy(() -> GatewayConfig.load(dir, Map.of()))
                .isInstanceOf(GatewayConfig.ConfigException.class)
                .hasMessageContaining("gateway.yaml:3")
                .hasMessageContaining("prot");
    }

    @Test
    void anErrorNamesTheKeyAsTheFileWritesItWithoutJavaNames(@TempDir Path dir) throws Exception {
        // README: "prints each error as file:line: field: message"
        Files.writeString(dir.resolve("gateway.yaml"), "http:\n  port: 8080\n  sessionIdleMinute: 30\n");
        assertThatThrownBy(() -> GatewayConfig.load(dir, Map.of()))
                .isInstanceOf(GatewayConfig.ConfigException.class)
                .hasMessageEndingWith("gateway.yaml:3: http.sessionIdleMinute: unknown key 'sessionIdleMinute' "
                        + "(expected one of [allowedHosts, bindAddress, loginLockMinutes, loginMaxFailures, port, "
                        + "secureCookies, sessionIdleMinutes, sessionMaxHours, token, trustedProxies])");
        Files.writeString(dir.resolve("gateway.yaml"), "dicom:\n  aeTitle: X\nhttp:\n  port: eighty\n");
        assertThatThrownBy(() -> GatewayConfig.load(dir, Map.of()))
                .hasMessageContaining("gateway.yaml:4: http.port: ")
                .hasMessageContaining("'eighty' is not a whole number")
                .hasMessageNotContaining("org.ofsep")
                .hasMessageNotContaining("$Http");
    }

    @Test
    void aKeyGivenTwiceIsRefusedInsteadOfTheSecondReplacingTheFirst(@TempDir Path dir) throws Exception {
        // an admin appends a second http: section to set the token; before, it silently replaced the first one
        // (bindAddress and the session settings back to their defaults)
        Files.writeString(dir.resolve("gateway.yaml"), "http:\n  bindAddress: 10.0.0.5\n  sessionMaxHours: 8\n"
                + "dicom:\n  port: 104\nhttp:\n  token: abc\n");
        assertThatThrownBy(() -> GatewayConfig.load(dir, Map.of()))
                .isInstanceOf(GatewayConfig.ConfigException.class)
                .hasMessageContaining("gateway.yaml:6: http: ")
                .hasMessageContaining("Duplicate field 'http'");
    }

    @Test
    void aYamlSyntaxErrorIsAConfigErrorWithFileAndLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("gateway.yaml"), "http:\n  port: 8080\n  allowedHosts: [a, b\n");
        assertThatThrownBy(() -> GatewayConfig.load(dir, Map.of()))
                .isInstanceOf(GatewayConfig.ConfigException.class)
                .hasMessageContaining("gateway.yaml:");
    }

    @Test
    void valuesServeWouldRefuseOrMisuseAreRefusedByEveryCommandThatReadsTheFile(@TempDir Path dir) throws Exception {
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        // before: an account locked at the first mistyped password, a session ended at once
        refused.put("http:\n  loginMaxFailures: 0\n", "2: http.loginMaxFailures: 0 is out of range (1 or more)");
        refused.put("http:\n  sessionIdleMinutes: -5\n", "2: http.sessionIdleMinutes: -5 is out of range (1 or more)");
        refused.put("http:\n  port: 70000\n", "2: http.port: 70000 is out of range (1 to 65535)");
        // before: an empty port (or a ${NAME} whose variable is unset) was read as 0, and serve listened on a port
        // the system picked, which no console could find
        refused.put("dicom:\n  port: 0\n", "2: dicom.port: 0 is out of range (1 to 65535)");
        String empty = "no value given (an empty value, or a ${NAME} whose variable is not set)";
        refused.put("dicom:\n  port:\n", "2: dicom.port: " + empty);
        refused.put("dicom:\n  port: \"\"\n", "2: dicom.port: " + empty);
        refused.put("hl7:\n  port: \"${UNSET_GATEWAY_TEST_PORT}\"\n", "2: hl7.port: " + empty);
        refused.put("http:\n  sessionIdleMinutes: abc\n", "2: http.sessionIdleMinutes: 'abc' is not a whole number");
        // before: never-started steps "expired" as COMPLETED; validate said OK to what serve refused
        refused.put("housekeeping:\n  expiredStatus: COMPLETED\n",
                "2: housekeeping.expiredStatus: 'COMPLETED' is not one of DISCONTINUED, CANCELED");
        refused.put("housekeeping:\n  deleteFinishedAfterDays: 0\n", "2: housekeeping.deleteFinishedAfterDays: 0");
        refused.put("hl7:\n  accessionNumbersUnique: globl\n",
                "2: hl7.accessionNumbersUnique: 'globl' is not one of global, issuer, none");
        refused.put("timeZone: Europe/Pari\n", "1: timeZone: 'Europe/Pari' is not a time zone");
        refused.put("hl7:\n  processingIds: [X]\n",
                "2: hl7.processingIds: [X] must list one or more of P (production), T (training), D (debugging)");
        refused.put("hl7:\n  processingIds: []\n", "2: hl7.processingIds: [] must list");
        refused.put("hl7:\n  maxMessageKilobytes: 1000000\n",
                "2: hl7.maxMessageKilobytes: 1000000 is out of range (16 to 65536)");
        // before: validate and doctor said OK, then serve exited with no key named, or every association was
        // aborted at once (an ARTIM time of 0)
        refused.put("dicom:\n  maxPduLength: 100\n", "2: dicom.maxPduLength: 100 is out of range (4096 to 2147483632)");
        refused.put("dicom:\n  maxAssociations: 0\n", "2: dicom.maxAssociations: 0 is out of range (1 or more)");
        refused.put("dicom:\n  artimTimeoutSeconds: 0\n", "2: dicom.artimTimeoutSeconds: 0 is out of range (1 to 3600)");
        refused.put("dicom:\n  aeTitle: MWLGW_TOO_LONG_AE_TITLE\n", "2: dicom.aeTitle: 'MWLGW_TOO_LONG_AE_TITLE' must be 1"
                + " to 16 characters");
        refused.put("uidRoot: abc\n", "1: uidRoot: not a valid UID root: abc");
        // a proxy given by name or as a range would be silently never matched: the audit would keep the proxy's address
        refused.put("http:\n  token: " + "t".repeat(40) + "\n  trustedProxies: [proxy.chu.example]\n",
                "3: http.trustedProxies[0]: 'proxy.chu.example' is not an IP address");
        refused.put("http:\n  token: " + "t".repeat(40) + "\n  trustedProxies: [127.0.0.1, 10.0.0.0/8]\n",
                "3: http.trustedProxies[1]: '10.0.0.0/8' is not an IP address");
        // a proxy in front of a tokenless loopback port would hand the worklist to whoever reaches the proxy
        refused.put("http:\n  trustedProxies: [127.0.0.1]\n  token: \"\"\n",
                "2: http.trustedProxies: set (a reverse proxy in front of the admin port) but http.token is empty");
        for (var e : refused.entrySet()) {
            Files.writeString(dir.resolve("gateway.yaml"), e.getKey());
            assertThatThrownBy(() -> GatewayConfig.load(dir, Map.of())).as(e.getKey())
                    .isInstanceOf(GatewayConfig.ConfigException.class)
                    .hasMessageContaining(dir.resolve("gateway.yaml") + ":" + e.getValue());
        }
        // an empty list written as null is no proxy, not a crash
        Files.writeString(dir.resolve("gateway.yaml"), "http:\n  trustedProxies: ~\n");
        assertThat(GatewayConfig.load(dir, Map.of()).http.trustedProxies).isNull();
        // gateway validate says so (exit 1) instead of OK
        Files.writeString(dir.resolve("gateway.yaml"), "housekeeping:\n  expiredStatus: COMPLETED\n");
        Files.copy(Path.of("../config/mapping.yaml"), dir.resolve("mapping.yaml"));
        assertThat(GatewayCli.commandLine().execute("validate", "--config", dir.toString())).isEqualTo(1);
        // the shipped file passes
        assertThat(GatewayConfig.load(Path.of("../config"), Map.of()).housekeeping.expiredStatus)
                .isEqualTo("DISCONTINUED");
    }

    /** A realistic file: each kind of bad value names the file and the line where the admin wrote it. */
    private static final String FILE = String.join("\n",
            "# MWL Gateway, site settings",                 // 1
            "hl7:",                                          // 2
            "  port: 2575",                                  // 3
            "  processingIds: [P]",                          // 4
            "dicom:",                                        // 5
            "  aeTitle: MWLGW",                              // 6
            "  port: 11112",                                 // 7
            "http:",                                         // 8
            "  port: 8080",                                  // 9
            "  token: ${TOKEN:-}",                           // 10
            "  trustedProxies:",                             // 11
            "    - 127.0.0.1",                               // 12
            "    - 10.0.0.1",                                // 13
            "uidRoot: 1.2.250.1.999",                        // 14
            "priors:",                                       // 15
            "  source: dimse",                               // 16
            "  dimse:",                                      // 17
            "    host: pacs.chu.example",                    // 18
            "    port: 104",                                 // 19
            "");

    @Test
    void aBadValueNamesTheFileAndTheLineWhereItIsWritten(@TempDir Path dir) throws Exception {
        Map<String, String> token = Map.of("TOKEN", "t".repeat(40));
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, FILE);
        GatewayConfig good = GatewayConfig.load(dir, token);
        assertThat(good.http.trustedProxies).containsExactly("127.0.0.1", "10.0.0.1");
        assertThat(PriorSources.fromConfig(good, dir)).isNotNull();

        Map<String, String> broken = new java.util.LinkedHashMap<>();
        broken.put(FILE.replace("  port: 11112", "  port: 111120"),
                file + ":7: dicom.port: 111120 is out of range (1 to 65535)");
        broken.put(FILE.replace("aeTitle: MWLGW", "aeTitle: MWL\\GW"),
                file + ":6: dicom.aeTitle: 'MWL\\GW' must be 1 to 16 characters");
        broken.put(FILE.replace("uidRoot: 1.2.250.1.999", "uidRoot: 1.2.250.01"),
                file + ":14: uidRoot: not a valid UID root: 1.2.250.01");
        broken.put(FILE.replace("- 10.0.0.1", "- proxy.chu.example"),
                file + ":13: http.trustedProxies[1]: 'proxy.chu.example' is not an IP address");
        broken.put(FILE.replace("processingIds: [P]", "processingIds: [P, Q]"),
                file + ":4: hl7.processingIds: [P, Q] must list");
        for (var e : broken.entrySet()) {
            Files.writeString(file, e.getKey());
            assertThatThrownBy(() -> GatewayConfig.load(dir, token)).as(e.getValue())
                    .isInstanceOf(GatewayConfig.ConfigException.class)
                    .hasMessageStartingWith(e.getValue());
        }
        // a key the file leaves to its default: the line of its section (here the token, empty without TOKEN)
        Files.writeString(file, FILE);
        assertThatThrownBy(() -> GatewayConfig.load(dir, Map.of()))
                .hasMessageStartingWith(file + ":11: http.trustedProxies: set (a reverse proxy");
        Files.writeString(file, FILE.replace("  token: ${TOKEN:-}\n", ""));
        assertThatThrownBy(() -> GatewayConfig.load(dir, token))
                .hasMessageStartingWith(file + ":10: http.trustedProxies: set");

        // the priors section, checked when the source is built (validate, doctor, serve, priors)
        Map<String, String> priors = new java.util.LinkedHashMap<>();
        priors.put(FILE.replace("    port: 104", "    port: 0"), file + ":19: priors.dimse.port: 0 must be 1 to 65535");
        priors.put(FILE.replace("source: dimse", "source: dimsee"),
                file + ":16: priors.source: 'dimsee' is not one of none, dimse, dicomweb");
        priors.put(FILE + "  timeoutSeconds: 0\n", file + ":20: priors.timeoutSeconds: 0 must be 1 to 300");
        priors.put(FILE + "    calledAeTitle: \"\"\n", file + ":20: priors.dimse.calledAeTitle: '' must be 1 to 16");
        for (var e : priors.entrySet()) {
            Files.writeString(file, e.getKey());
            GatewayConfig config = GatewayConfig.load(dir, token);
            assertThatThrownBy(() -> PriorSources.fromConfig(config, dir)).as(e.getValue())
                    .isInstanceOf(GatewayConfig.ConfigException.class)
                    .hasMessageStartingWith(e.getValue());
        }

        // gateway validate prints the same line (exit 1)
        Files.copy(Path.of("../config/mapping.yaml"), dir.resolve("mapping.yaml"));
        Files.writeString(file, FILE.replace("token: ${TOKEN:-}", "token: " + "t".repeat(40))
                .replace("  port: 11112", "  port: -1"));
        CliEndToEndTest.Result validate = CliEndToEndTest.run("validate", "--config", dir.toString());
        assertThat(validate.exit()).isEqualTo(1);
        assertThat(validate.err()).startsWith(file + ":7: dicom.port: -1 is out of range (1 to 65535)");
        Files.writeString(file, FILE.replace("token: ${TOKEN:-}", "token: " + "t".repeat(40))
                .replace("    port: 104", "    port: 70000"));
        validate = CliEndToEndTest.run("validate", "--config", dir.toString());
        assertThat(validate.exit()).isEqualTo(1);
        assertThat(validate.err()).startsWith(file + ":19: priors.dimse.port: 70000 must be 1 to 65535");
    }

    /** A bad priors value stops serve before its data directory is touched (it created and migrated the store). */
    @Test
    void serveRefusesABadPriorsValueBeforeTouchingTheStore(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, FILE.replace("token: ${TOKEN:-}", "token: " + "t".repeat(40))
                .replace("    port: 104", "    port: 70000"));
        Files.copy(Path.of("../config/mapping.yaml"), dir.resolve("mapping.yaml"));
        GatewayConfig config = GatewayConfig.load(dir, Map.of());
        Path data = dir.resolve("data");
        assertThatThrownBy(() -> Gateway.start(config, dir, data)).isInstanceOf(GatewayConfig.ConfigException.class)
                .hasMessageStartingWith(file + ":19: priors.dimse.port: 70000 must be 1 to 65535");
        assertThat(!Files.exists(data) || Files.list(data).findAny().isEmpty()).as("nothing written in " + data)
                .isTrue();
    }
}
