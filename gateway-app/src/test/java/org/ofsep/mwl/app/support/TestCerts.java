package org.ofsep.mwl.app.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Short-lived self-signed certificates for localhost made with the JDK's keytool (PEM certificate and unencrypted
 * PKCS#8 PEM key, as gateway.yaml names them): valid from {@code startDaysAgo} days ago for {@code validityDays}.
 */
public final class TestCerts {
    private static final String PASSWORD = "changeit";

    /** The certificate and key files. */
    public record Pair(Path certificate, Path privateKey) {
    }

    private TestCerts() {
    }

    /** A certificate that expires in {@code days} days from now (negative: expired that long ago). */
    public static Pair expiringIn(Path dir, String name, int days) throws IOException, InterruptedException {
        return days > 0 ? create(dir, name, 1, days + 1) : create(dir, name, 30 - days, 30);
    }

    public static Pair create(Path dir, String name, int startDaysAgo, int validityDays)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path ks = dir.resolve(name + ".p12");
        Files.deleteIfExists(ks);
        List<String> gen = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=" + name + ".localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", String.valueOf(validityDays), "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (startDaysAgo > 0) {
            gen.addAll(List.of("-startdate", "-" + startDaysAgo + "d"));
        }
        run(gen);
        Path pem = dir.resolve(name + ".pem");
        Files.deleteIfExists(pem);
        run(List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", name, "-keystore", ks.toString(),
                "-storepass", PASSWORD, "-file", pem.toString()));
        Path keyPem = dir.resolve(name + "-key.pem");
        try (InputStream in = Files.newInputStream(ks)) {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            java.security.Key key = store.getKey(name, PASSWORD.toCharArray());
            String base64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded());
            Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n");
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        return new Pair(pem, keyPem);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + command + "\n" + out);
        }
    }
}
