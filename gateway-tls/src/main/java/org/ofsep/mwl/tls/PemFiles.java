package org.ofsep.mwl.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The one loader of the gateway's TLS material from PEM files, for the HL7 (MLLP) and DICOM listeners alike: a
 * certificate chain, an unencrypted PKCS#8 private key ("BEGIN PRIVATE KEY": RSA, RSASSA-PSS, EC or Ed25519, what
 * {@code openssl req -x509 -newkey rsa:2048 -nodes} or {@code openssl genpkey} write) and the certificates
 * trusted for client authentication, into in-memory key stores. A key in a legacy or encrypted PEM form ("BEGIN
 * RSA PRIVATE KEY", "BEGIN EC PRIVATE KEY", "BEGIN ENCRYPTED PRIVATE KEY") is refused with the command that
 * converts it. Pure JDK.
 */
public final class PemFiles {

    /** Password of the in-memory key stores (never written anywhere). */
    public static final String IN_MEMORY_PASSWORD = "in-memory";

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final List<String> LEGACY_HEADERS = List.of("BEGIN RSA PRIVATE KEY", "BEGIN EC PRIVATE KEY",
            "BEGIN ENCRYPTED PRIVATE KEY", "BEGIN DSA PRIVATE KEY", "BEGIN OPENSSH PRIVATE KEY");
    /** The key algorithms tried in turn on a PKCS#8 key (its algorithm identifier decides which one takes it). */
    private static final List<String> ALGORITHMS = List.of("RSA", "RSASSA-PSS", "EC", "Ed25519", "Ed448");

    private PemFiles() {
    }

    /**
     * A key store with one entry, "gateway": the key and its certificate chain, protected by
     * {@link #IN_MEMORY_PASSWORD}.
     *
     * @throws GeneralSecurityException when a file holds no certificate, no usable key, or a legacy key form (the
     *                                  message says which file and how to convert it)
     */
    public static KeyStore keyStore(Path certificateChain, Path privateKey) throws IOException,
            GeneralSecurityException {
        List<Certificate> chain = certificates(certificateChain);
        PrivateKey key = privateKey(privateKey);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("gateway", key, IN_MEMORY_PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
        return ks;
    }

    /** A key store of trusted certificates ("trusted-0", "trusted-1"...), for client authentication. */
    public static KeyStore trustStore(Path trusted) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (Certificate c : certificates(trusted)) {
            ks.setCertificateEntry("trusted-" + i++, c);
        }
        return ks;
    }

    /**
     * A TLS context with that certificate and key; with {@code trusted} (may be null) the peers' certificates are
     * checked against those, else against the JDK's default trust.
     */
    public static SSLContext sslContext(Path certificateChain, Path privateKey, Path trusted) throws IOException,
            GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore(certificateChain, privateKey), IN_MEMORY_PASSWORD.toCharArray());
        TrustManagerFactory tmf = null;
        if (trusted != null) {
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore(trusted));
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Every X.509 certificate of a PEM (or DER) file, in file order; at least one. */
    public static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            List<Certificate> certs = new ArrayList<>(CertificateFactory.getInstance("X.509")
                    .generateCertificates(in));
            if (certs.isEmpty()) {
                throw new GeneralSecurityException("no certificate in " + file);
            }
            return certs;
        }
    }

    /** The unencrypted PKCS#8 private key of a PEM file. */
    public static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        for (String legacy : LEGACY_HEADERS) {
            if (pem.contains(legacy)) {
                throw new GeneralSecurityException(file + " holds a key in the \"" + legacy + "\" form; the gateway "
                        + "reads unencrypted PKCS#8 (\"BEGIN PRIVATE KEY\"): convert it with "
                        + "openssl pkcs8 -topk8 -nocrypt -in old.pem -out key.pem");
            }
        }
        Matcher m = PRIVATE_KEY.matcher(pem);
        if (!m.find()) {
            throw new GeneralSecurityException(file + " holds no unencrypted PKCS#8 key (\"BEGIN PRIVATE KEY\"); "
                    + "convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException(file + ": the PRIVATE KEY block is not valid base64", e);
        }
        GeneralSecurityException last = null;
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException(file + ": unsupported private key algorithm (RSA, RSASSA-PSS, EC, "
                + "Ed25519 and Ed448 are read)", last);
    }
}
