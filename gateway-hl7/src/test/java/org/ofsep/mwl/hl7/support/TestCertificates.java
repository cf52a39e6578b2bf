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

    private TestCertificates(Path keyStore, Path certificatePem, Path trustStore) {
        this.keyStore = keyStore;
        this.certificatePem = certificatePem;
        this.trustStore = trustStore;
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
        return new TestCertificates(ks, pem, ts);
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
