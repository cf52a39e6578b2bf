package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.hl7.support.FakeMessageLog;
import org.ofsep.mwl.hl7.support.FakeOrderService;
import org.ofsep.mwl.hl7.support.FakeOutboundQueue;
import org.ofsep.mwl.hl7.support.FreePort;
import org.ofsep.mwl.hl7.support.TestCertificates;

/**
 * Interoperability: node-hl7-client (npm, interop/package.json), an HL7 MLLP client written by others, sends
 * orders to the gateway's listener and reads the ACKs. Needs node and {@code npm install} in interop/
 * (scripts/test.sh does it); when they are missing the test fails, it is never skipped.
 */
class NodeHl7ClientInteropTest {

    private final FakeOrderService orders = new FakeOrderService();
    private Hl7Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop();
        }
    }

    private int start(Hl7Settings.Tls tls) throws Exception {
        int port = FreePort.find();
        Hl7Settings settings = Hl7Settings.defaults().withListener("127.0.0.1", port);
        if (tls != null) {
            settings = settings.withTls(tls);
        }
        gateway = new Hl7Gateway(settings, orders, new FakeMessageLog(), new FakeOutboundQueue());
        gateway.start();
        return port;
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("interop"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new AssertionError("interop/ not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** Runs the node client; returns its JSON line. Fails when node or node-hl7-client is not installed. */
    private static String nodeSend(int port, String file, String encoding, Path caPem) throws Exception {
        Path root = repositoryRoot();
        Path modules = root.resolve("interop/node_modules");
        assertThat(modules.resolve("node-hl7-client"))
                .as("node-hl7-client must be installed: run 'npm install' in interop/ (scripts/test.sh does)")
                .isDirectory();
        Path script = root.resolve("gateway-hl7/src/test/node/send-hl7.cjs");
        Path message = root.resolve("gateway-hl7/src/test/resources/hl7/" + file);
        List<String> command = new ArrayList<>(List.of("node", script.toString(), "127.0.0.1",
                String.valueOf(port), message.toString(), encoding));
        if (caPem != null) {
            command.add(caPem.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("NODE_PATH", modules.toString());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new AssertionError("node is required for the interoperability tests and could not be run", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
        assertThat(process.exitValue()).as("node-hl7-client output: " + output).isZero();
        return output.lines().filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow(() -> new AssertionError("no ACK printed by node: " + output));
    }

    @Test
    void nodeHl7ClientSendsALatin1OrderAndGetsAa() throws Exception {
        int port = start(null);
        String json = nodeSend(port, "orm-o01-v231-latin1.hl7", "latin1", null);
        assertThat(json).contains("\"msa1\":\"AA\"").contains("\"msa2\":\"MSG231-0001\"");
        assertThat(orders.applied).hasSize(1);
        assertThat(orders.applied.get(0).patient().name()).isEqualTo("DUPRÉ^HÉLÈNE^MARIE^MME");
    }

    @Test
    void nodeHl7ClientSendsAnOmiInUtf8AndAnIncompleteOrder() throws Exception {
        int port = start(null);
        assertThat(nodeSend(port, "orm-o01-v25-utf8.hl7", "utf8", null)).contains("\"msa1\":\"AA\"");
        assertThat(nodeSend(port, "omi-o23-v251-ihe.hl7", "ascii", null)).contains("\"msa1\":\"AA\"");
        String refused = nodeSend(port, "orm-missing-pid3.hl7", "ascii", null);
        assertThat(refused).contains("\"msa1\":\"AE\"").contains("PID-3");
        assertThat(orders.applied).extracting(o -> o.messageControlId()).containsExactly("MSG25-0003",
                "MSG251-0004");
        assertThat(orders.applied.get(0).patient().name()).isEqualTo("DUPRÉ^HÉLÈNE");
    }

    @Test
    void nodeHl7ClientOverTls(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        int port = start(new Hl7Settings.Tls(true, certs.keyStore, TestCertificates.PASSWORD, null, null, false));
        String json = nodeSend(port, "orm-o01-v25-utf8.hl7", "utf8", certs.certificatePem);
        assertThat(json).contains("\"msa1\":\"AA\"");
        assertThat(orders.applied).hasSize(1);
    }
}
