package org.ofsep.mwl.app;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import org.ofsep.mwl.tls.PemFiles;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates of the gateway's TLS settings: DICOM ({@code dicom.tls}), the MLLP listener ({@code hl7.tls}),
 * the RIS link ({@code hl7.ris.tls}: it presents the MLLP certificate and trusts {@code hl7.tls.trustedCertificates})
 * and the PACS link ({@code priors.dimse.tls}: the DICOM certificate, trusting {@code dicom.tls.trustedCertificates}).
 * Read for /health and /metrics (days to expiry) and checked by {@code gateway doctor} (readable, key matching,
 * valid long enough).
 */
final class TlsCertificates {
    /** A certificate counts as expiring (WARN on /health, a doctor failure) this long before its end. */
    static final Duration WARN_BEFORE = Duration.ofDays(30);


    /** One TLS setting in use: the certificate chain and key it presents (may be absent), the files it trusts. */
    record Setting(String name, String yamlKey, Path certificate, Path privateKey, Path trusted) {
    }

    /** One certificate of a setting. */
    record Entry(String setting, String role, Path file, X509Certificate certificate) {
        String subject() {
            return certificate.getSubjectX500Principal().getName();
        }

        Instant notAfter() {
            return certificate.getNotAfter().toInstant();
        }

        long secondsLeft(Instant now) {
            return Duration.between(now, notAfter()).getSeconds();
        }

        /** UP, WARN (less than 30 days left) or DOWN (expired, or not valid yet). */
        String status(Instant now) {
            if (now.isAfter(notAfter()) || now.isBefore(certificate.getNotBefore().toInstant())) {
                return "DOWN";
            }
            return Duration.between(now, notAfter()).compareTo(WARN_BEFORE) < 0 ? "WARN" : "UP";
        }

        Map<String, Object> toJson(Instant now) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("setting", setting);
            json.put("role", role);
            json.put("file", file.toString());
            json.put("subject", subject());
            json.put("notAfter", notAfter().toString());
            json.put("daysLeft", secondsLeft(now) / 86_400);
            json.put("status", status(now));
            return json;
        }
    }

    private TlsCertificates() {
    }

    /** The TLS settings that are on in {@code config}, with their files resolved against the config directory. */
    static List<Setting> settings(GatewayConfig config, Path configDir) {
        List<Setting> settings = new ArrayList<>();
        GatewayConfig.Tls dicom = config.dicom.tls;
        if (dicom.enabled) {
            settings.add(new Setting("dicom", "dicom.tls", file(configDir, dicom.certificate),
                    file(configDir, dicom.privateKey), file(configDir, dicom.trustedCertificates)));
        }
        GatewayConfig.Tls hl7 = config.hl7.tls;
        if (hl7.enabled) {
            settings.add(new Setting("hl7", "hl7.tls", file(configDir, hl7.certificate), file(configDir, hl7.privateKey),
                    file(configDir, hl7.trustedCertificates)));
        }
        if (config.hl7.ris.enabled && config.hl7.ris.tls) {
            settings.add(new Setting("ris", "hl7.ris.tls", hl7.enabled ? file(configDir, hl7.certificate) : null,
                    hl7.enabled ? file(configDir, hl7.privateKey) : null, file(configDir, hl7.trustedCertificates)));
        }
        if ("dimse".equalsIgnoreCase(config.priors.source) && config.priors.dimse.tls) {
            settings.add(new Setting("pacs", "priors.dimse.tls", dicom.enabled ? file(configDir, dicom.certificate) : null,
                    dicom.enabled ? file(configDir, dicom.privateKey) : null,
                    file(configDir, dicom.trustedCertificates)));
        }
        return settings;
    }

    /** Every certificate of the settings in use; a file that cannot be read is an error naming it. */
    static List<Entry> entries(GatewayConfig config, Path configDir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Setting setting : settings(config, configDir)) {
            if (setting.certificate() != null) {
                for (X509Certificate c : certificates(setting.certificate())) {
                    entries.add(new Entry(setting.name(), "certificate", setting.certificate(), c));
                }
            }
            if (setting.trusted() != null) {
                for (X509Certificate c : certificates(setting.trusted())) {
                    entries.add(new Entry(setting.name(), "trusted", setting.trusted(), c));
                }
            }
        }
        return entries;
    }

    /** The X.509 certificates of a PEM (or DER) file; none is an error (gateway-tls {@link PemFiles}). */
    static List<X509Certificate> certificates(Path file) throws IOException {
        try {
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate c : PemFiles.certificates(file)) {
                certs.add((X509Certificate) c);
            }
            return certs;
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not a PEM certificate (" + e.getMessage() + ")", e);
        }
    }

    /** The private key as the listeners read it: the one PEM loader, gateway-tls {@link PemFiles}. */
    static PrivateKey privateKey(Path file) throws IOException {
        try {
            return PemFiles.privateKey(file);
        } catch (GeneralSecurityException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** true when {@code key} is the private half of {@code certificate}'s public key (a signature verifies). */
    static boolean matches(PrivateKey key, X509Certificate certificate) {
        PublicKey publicKey = certificate.getPublicKey();
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> null;
        };
        if (algorithm == null || !publicKey.getAlgorithm().equals(key.getAlgorithm())
                && !(key.getAlgorithm().startsWith("Ed") && publicKey.getAlgorithm().startsWith("Ed"))) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = signature(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = signature(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A signature of this algorithm; RSASSA-PSS with SHA-256, MGF1 and a 32-byte salt. */
    private static Signature signature(String algorithm) throws GeneralSecurityException {
        Signature s = Signature.getInstance(algorithm);
        if (algorithm.equals("RSASSA-PSS")) {
            s.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                    java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
        }
        return s;
    }

    /** A client TLS context for a setting: presents its certificate when it has one, trusts its files (or the JVM's). */
    static SSLContext clientContext(Setting setting) throws IOException {
        try {
            KeyManagerFactory kmf = null;
            if (setting.certificate() != null && setting.privateKey() != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(PemFiles.keyStore(setting.certificate(), setting.privateKey()),
                        PemFiles.IN_MEMORY_PASSWORD.toCharArray());
            }
            TrustManagerFactory tmf = null;
            if (setting.trusted() != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(PemFiles.trustStore(setting.trusted()));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS context of " + setting.yamlKey() + ": " + e.getMessage(), e);
        }
    }

    private static Path file(Path configDir, String value) {
        return value == null || value.isBlank() ? null : configDir.resolve(value);
    }
}
