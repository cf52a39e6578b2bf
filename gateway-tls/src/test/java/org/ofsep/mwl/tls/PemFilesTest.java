package org.ofsep.mwl.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The one PEM loader, with keys and certificates made by the JDK's keytool for each key algorithm. */
class PemFilesTest {

    private static final String PW = "changeit";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "RSASSA-PSS", "EC", "Ed25519"})
    void eachKeyAlgorithmLoadsIntoAKeyStoreAndATlsContext(String algorithm) throws Exception {
        Path[] files = certificateAndKey(algorithm);
        PrivateKey key = PemFiles.privateKey(files[1]);
        assertThat(key.getAlgorithm()).isEqualTo(algorithm.equals("Ed25519") ? "EdDSA" : algorithm);

        KeyStore ks = PemFiles.keyStore(files[0], files[1]);
        assertThat(ks.getKey("gateway", PemFiles.IN_MEMORY_PASSWORD.toCharArray())).isNotNull();
        assertThat(ks.getCertificateChain("gateway")).hasSize(1);
        SSLContext ctx = PemFiles.sslContext(files[0], files[1], files[0]);
        assertThat(ctx.getProtocol()).isEqualTo("TLS");
        assertThat(PemFiles.trustStore(files[0]).getCertificate("trusted-0")).isNotNull();
    }

    @Test
    void legacyAndEncryptedKeyFormsAreRefusedWithTheConversionCommand() throws Exception {
        for (String header : List.of("RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY")) {
            Path legacy = dir.resolve(header.replace(' ', '-') + ".pem");
            Files.writeString(legacy, "-----BEGIN " + header + "-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf\n"
                    + "-----END " + header + "-----\n");
            assertThatThrownBy(() -> PemFiles.privateKey(legacy)).isInstanceOf(GeneralSecurityException.class)
                    .hasMessageContaining("BEGIN " + header)
                    .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
        }
    }

    @Test
    void aFileWithoutAKeyOrACertificateIsNamed() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        assertThatThrownBy(() -> PemFiles.privateKey(empty)).hasMessageContaining("empty.pem")
                .hasMessageContaining("BEGIN PRIVATE KEY");
        Path noCert = Files.writeString(dir.resolve("nocert.pem"), "");
        assertThatThrownBy(() -> PemFiles.certificates(noCert)).hasMessageContaining("nocert.pem");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"),
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PemFiles.privateKey(garbage)).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("unsupported private key algorithm");
    }

    /** A self-signed certificate (PEM) and its PKCS#8 key (PEM), made with keytool. */
    private Path[] certificateAndKey(String algorithm) throws IOException, InterruptedException,
            GeneralSecurityException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path ks = dir.resolve(algorithm + ".p12");
        Path cert = dir.resolve(algorithm + "-cert.pem");
        Path keyPem = dir.resolve(algorithm + "-key.pem");
        run(List.of(keytool.toString(), "-genkeypair", "-alias", "k", "-keyalg", algorithm,
                "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", PW, "-keypass", PW));
        run(List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", "k", "-keystore", ks.toString(),
                "-storepass", PW, "-file", cert.toString()));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, PW.toCharArray());
        }
        Key key = store.getKey("k", PW.toCharArray());
        Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return new Path[] {cert, keyPem};
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + command + "\n" + out);
        }
    }
}
