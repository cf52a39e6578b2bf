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
                        + "secureCookies, sessionIdleMinutes, sessionMaxHours, token])");
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
}
