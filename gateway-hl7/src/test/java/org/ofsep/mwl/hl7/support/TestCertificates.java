package org.ofsep.mwl.hl7.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for localhost made with the JDK's keytool: a PKCS12 key store and its PEM. */
public final class TestCertificates {
    public static final String PASSWORD = "changeit";

    public final Path keyStore;
    public final Path certificatePem;
    public final Path trustStore;
    /** The private key as an unencrypted PKCS#8 PEM file. */
    public final Path privateKeyPem;

    private TestCertificates(Path keyStore, Path certificatePem, Path trustStore, Path privateKeyPem) {
        this.keyStore = keyStore;
        this.certificatePem = certificatePem;
        this.trustStore = trustStore;
        this.privateKeyPem = privateKeyPem;
    }

    public static TestCertificates create(Path dir) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path ks = dir.resolve("gateway.p12");
        Path pem = dir.resolve("gateway.pem");
        Path ts = dir.resolve("trust.p12");
        run(List.of(keytool.toString(), "-genkeypair", "-alias", "gateway", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
        run(List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", "gateway", "-keystore", ks.toString(),
                "-storepass", PASSWORD, "-file", pem.toString()));
        run(List.of(keytool.toString(), "-importcert", "-noprompt", "-alias", "gateway", "-file", pem.toString(),
                "-storetype", "PKCS12", "-keystore", ts.toString(), "-storepass", PASSWORD));
        Path keyPem = dir.resolve("gateway-key.pem");
        try (java.io.InputStream in = Files.newInputStream(ks)) {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            java.security.Key key = store.getKey("gateway", PASSWORD.toCharArray());
            String base64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded());
            Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n");
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        return new TestCertificates(ks, pem, ts, keyPem);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + command + "\n" + out);
        }
        if (!Files.exists(Path.of(command.get(command.indexOf("-keystore") + 1)))) {
            throw new IOException("keytool made no key store");
        }
    }
}
