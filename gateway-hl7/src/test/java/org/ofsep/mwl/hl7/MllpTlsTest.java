package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ofsep.mwl.hl7.support.MllpTestClient.field;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.hl7.support.FakeMessageLog;
import org.ofsep.mwl.hl7.support.FakeOrderService;
import org.ofsep.mwl.hl7.support.FakeOutboundQueue;
import org.ofsep.mwl.hl7.support.FakeRis;
import org.ofsep.mwl.hl7.support.FreePort;
import org.ofsep.mwl.hl7.support.Hl7Files;
import org.ofsep.mwl.hl7.support.MllpTestClient;
import org.ofsep.mwl.hl7.support.TestCertificates;

/** MLLP over TLS with a client certificate required (mutual TLS), from a plain JSSE client. */
class MllpTlsTest {

    @TempDir
    static Path dir;
    private static TestCertificates certs;
    private Hl7Gateway gateway;
    private final FakeOrderService orders = new FakeOrderService();

    @org.junit.jupiter.api.BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.create(dir);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop();
        }
    }

    private static SSLContext context(Path keyStore, Path trustStore) throws Exception {
        KeyManagerFactory kmf = null;
        if (keyStore != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = new FileInputStream(keyStore.toFile())) {
                ks.load(in, TestCertificates.PASSWORD.toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, TestCertificates.PASSWORD.toCharArray());
        }
        KeyStore ts = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(trustStore.toFile())) {
            ts.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static String sendOverTls(SSLContext ctx, int port, byte[] message) throws IOException {
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(MllpTestClient.START);
            out.write(message);
            out.write(MllpTestClient.END);
            out.write(MllpTestClient.CR);
            out.flush();
            InputStream in = socket.getInputStream();
            int b;
            while ((b = in.read()) != MllpTestClient.START) {
                if (b < 0) {
                    throw new IOException("closed before the ACK");
                }
            }
            ByteArrayOutputStream ack = new ByteArrayOutputStream();
            while ((b = in.read()) != MllpTestClient.END) {
                if (b < 0) {
                    throw new IOException("closed inside the ACK");
                }
                ack.write(b);
            }
            return ack.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void pemFilesLikeTheDicomListenerWithAClientCertificateRequired() throws Exception {
        int port = FreePort.find();
        Hl7Settings settings = Hl7Settings.defaults().withListener("127.0.0.1", port).withTls(
                Hl7Settings.Tls.pem(certs.certificatePem, certs.privateKeyPem, certs.certificatePem));
        gateway = new Hl7Gateway(settings, orders, new FakeMessageLog(), new FakeOutboundQueue());
        gateway.start();
        String ack = sendOverTls(context(certs.keyStore, certs.trustStore), port,
                Hl7Files.bytes("orm-o01-v231-latin1.hl7"));
        assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
        assertThatThrownBy(() -> sendOverTls(context(null, certs.trustStore), port,
                Hl7Files.bytes("orm-o01-v25-utf8.hl7"))).isInstanceOf(IOException.class);
        assertThat(orders.applied).hasSize(1);
    }

    @Test
    void statusMessagesReachARisOverTls() throws Exception {
        int risPort = FreePort.find();
        FakeOutboundQueue queue = new FakeOutboundQueue();
        long id = queue.add("PLC-T", "FIL-T", "ACC-T", "SPS-T", "PAT-T", "CM", java.time.Instant.now());
        Hl7Settings.RisOutbound out = Hl7Settings.RisOutbound.to("127.0.0.1", risPort, "ORM^O01")
                .withTimings(java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(50),
                        java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(5));
        out = new Hl7Settings.RisOutbound(true, out.host(), out.port(), out.messageType(), null,
                out.pollInterval(), 0, out.backoffInitial(), out.backoffMax(), null, out.ackTimeout(), null, null,
                true);
        // the gateway trusts the RIS's certificate through the trust store of its TLS settings
        Hl7Settings settings = Hl7Settings.defaults().withListener("127.0.0.1", FreePort.find()).withRis(out)
                .withTls(new Hl7Settings.Tls(false, null, null, certs.trustStore, TestCertificates.PASSWORD, false));
        try (FakeRis ris = new FakeRis(risPort, context(certs.keyStore, certs.trustStore))) {
            gateway = new Hl7Gateway(settings, orders, new FakeMessageLog(), queue);
            gateway.start();
            org.ofsep.mwl.hl7.support.Poll.until(java.time.Duration.ofSeconds(15), "status sent over TLS",
                    () -> queue.entry(id).state == FakeOutboundQueue.State.SENT);
            assertThat(ris.received()).extracting(m -> field(m, "ORC", 5)).containsExactly("CM");
        }
    }

    @Test
    void mutualTlsAcceptsAKnownClientAndRefusesOthers() throws Exception {
        int port = FreePort.find();
        Hl7Settings settings = Hl7Settings.defaults().withListener("127.0.0.1", port).withTls(
                new Hl7Settings.Tls(true, certs.keyStore, TestCertificates.PASSWORD, certs.trustStore,
                        TestCertificates.PASSWORD, true));
        gateway = new Hl7Gateway(settings, orders, new FakeMessageLog(), new FakeOutboundQueue());
        gateway.start();

        String ack = sendOverTls(context(certs.keyStore, certs.trustStore), port,
                Hl7Files.bytes("orm-o01-v25-utf8.hl7"));
        assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
        assertThat(orders.applied).hasSize(1);

        // no client certificate: the handshake or the first read fails, nothing is applied
        assertThatThrownBy(() -> sendOverTls(context(null, certs.trustStore), port,
                Hl7Files.bytes("orm-o01-v231-latin1.hl7"))).isInstanceOf(IOException.class);
        assertThat(orders.applied).hasSize(1);
    }
}
