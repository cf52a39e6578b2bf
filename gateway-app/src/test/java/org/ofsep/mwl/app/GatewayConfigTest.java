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
                .hasMessageContaining("\"eighty\"")
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
        refused.put("http:\n  loginMaxFailures: 0\n", "http.loginMaxFailures: 0 is out of range (1 or more)");
        refused.put("http:\n  sessionIdleMinutes: -5\n", "http.sessionIdleMinutes: -5 is out of range (1 or more)");
        refused.put("http:\n  port: 70000\n", "http.port: 70000 is out of range (0 to 65535)");
        // before: never-started steps "expired" as COMPLETED; validate said OK to what serve refused
        refused.put("housekeeping:\n  expiredStatus: COMPLETED\n",
                "housekeeping.expiredStatus: 'COMPLETED' is not one of DISCONTINUED, CANCELED");
        refused.put("housekeeping:\n  deleteFinishedAfterDays: 0\n", "housekeeping.deleteFinishedAfterDays: 0");
        refused.put("hl7:\n  accessionNumbersUnique: globl\n",
                "hl7.accessionNumbersUnique: 'globl' is not one of global, issuer, none");
        refused.put("timeZone: Europe/Pari\n", "timeZone: 'Europe/Pari' is not a time zone");
        refused.put("hl7:\n  processingIds: [X]\n",
                "hl7.processingIds: [X] must list one or more of P (production), T (training), D (debugging)");
        refused.put("hl7:\n  processingIds: []\n", "hl7.processingIds: [] must list");
        refused.put("hl7:\n  maxMessageKilobytes: 1000000\n",
                "hl7.maxMessageKilobytes: 1000000 is out of range (16 to 65536)");
        // before: validate and doctor said OK, then serve exited with no key named, or every association was
        // aborted at once (an ARTIM time of 0)
        refused.put("dicom:\n  maxPduLength: 100\n", "dicom.maxPduLength: 100 is out of range (4096 to 2147483632)");
        refused.put("dicom:\n  maxAssociations: 0\n", "dicom.maxAssociations: 0 is out of range (1 or more)");
        refused.put("dicom:\n  artimTimeoutSeconds: 0\n", "dicom.artimTimeoutSeconds: 0 is out of range (1 to 3600)");
        refused.put("dicom:\n  aeTitle: MWLGW_TOO_LONG_AE_TITLE\n", "dicom.aeTitle: 'MWLGW_TOO_LONG_AE_TITLE' must be 1"
                + " to 16 characters");
        refused.put("uidRoot: abc\n", "uidRoot: not a valid UID root: abc");
        // a proxy given by name or as a range would be silently never matched: the audit would keep the proxy's address
        refused.put("http:\n  token: " + "t".repeat(40) + "\n  trustedProxies: [proxy.chu.example]\n",
                "http.trustedProxies: 'proxy.chu.example' is not an IP address");
        refused.put("http:\n  token: " + "t".repeat(40) + "\n  trustedProxies: [127.0.0.1, 10.0.0.0/8]\n",
                "http.trustedProxies: '10.0.0.0/8' is not an IP address");
        // a proxy in front of a tokenless loopback port would hand the worklist to whoever reaches the proxy
        refused.put("http:\n  trustedProxies: [127.0.0.1]\n  token: \"\"\n",
                "http.trustedProxies is set (a reverse proxy in front of the admin port) but http.token is empty");
        for (var e : refused.entrySet()) {
            Files.writeString(dir.resolve("gateway.yaml"), e.getKey());
            assertThatThrownBy(() -> GatewayConfig.load(dir, Map.of())).as(e.getKey())
                    .isInstanceOf(GatewayConfig.ConfigException.class)
                    .hasMessageContaining(dir.resolve("gateway.yaml") + ": " + e.getValue());
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
}
