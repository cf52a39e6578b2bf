package org.ofsep.mwl.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.ofsep.mwl.app.priors.DimsePriorSource;
import org.ofsep.mwl.app.priors.QidoPriorSource;
import org.ofsep.mwl.core.priors.PriorSource;
import org.ofsep.mwl.dicom.net.TlsContexts;

/**
 * Builds the {@link PriorSource} gateway.yaml {@code priors} names, or null for {@code source: none}. It is wiring
 * (it reads {@link GatewayConfig}), so it lives in the root package: {@code app.priors} holds the sources and the
 * lookups and does not know the configuration file, so the two packages do not need each other.
 */
public final class PriorSources {

    private PriorSources() {
    }

    /**
     * @throws GatewayConfig.ConfigException when the section cannot be used (unknown source, missing URL...)
     */
    public static PriorSource fromConfig(GatewayConfig config, Path configDir) throws IOException {
        GatewayConfig.Priors p = config.priors;
        Duration timeout = Duration.ofSeconds(p.timeoutSeconds);
        switch (checkValues(config)) {
            case "dimse": {
                GatewayConfig.Dimse d = p.dimse;
                SSLContext tls = d.tls ? tls(config, configDir) : null;
                return new DimsePriorSource(d.host.trim(), d.port, d.calledAeTitle.trim(), d.callingAeTitle.trim(),
                        timeout, tls, false);
            }
            case "dicomweb":
                return new QidoPriorSource(p.dicomweb.url, p.dicomweb.token, timeout);
            default:
                return null;
        }
    }

    /**
     * The values of the {@code priors} section, without building anything (no TLS file read): what {@code doctor}
     * checks with the rest of gateway.yaml. The source, in lower case.
     *
     * @throws GatewayConfig.ConfigException naming the file, the line and the key of the first bad value
     */
    static String checkValues(GatewayConfig config) throws GatewayConfig.ConfigException {
        GatewayConfig.Priors p = config.priors;
        String source = p.source == null ? "none" : p.source.trim().toLowerCase(Locale.ROOT);
        check(config, p.timeoutSeconds >= 1 && p.timeoutSeconds <= 300,
                "priors.timeoutSeconds", p.timeoutSeconds, "must be 1 to 300");
        check(config, p.lookbackYears >= 1 && p.lookbackYears <= 50,
                "priors.lookbackYears", p.lookbackYears, "must be 1 to 50");
        check(config, p.maxConcurrent >= 1 && p.maxConcurrent <= 64,
                "priors.maxConcurrent", p.maxConcurrent, "must be 1 to 64");
        check(config, p.queueSize >= 1, "priors.queueSize", p.queueSize, "must be at least 1");
        check(config, p.cacheMinutes >= 0, "priors.cacheMinutes", p.cacheMinutes, "must not be negative");
        check(config, p.cacheSize >= 1, "priors.cacheSize", p.cacheSize, "must be at least 1");
        check(config, p.retries >= 1 && p.retries <= 20, "priors.retries", p.retries, "must be 1 to 20");
        check(config, p.retryAfterSeconds >= 1, "priors.retryAfterSeconds", p.retryAfterSeconds, "must be at least 1");
        check(config, p.busyConcurrent >= 0 && p.busyConcurrent <= p.maxConcurrent,
                "priors.busyConcurrent", p.busyConcurrent,
                "must be 0 to priors.maxConcurrent");
        check(config, p.busyOrders >= 1 && p.busyOrders <= 100_000,
                "priors.busyOrders", p.busyOrders, "must be 1 to 100000");
        check(config, p.busyWindowMillis >= 0 && p.busyWindowMillis <= 600_000,
                "priors.busyWindowMillis", p.busyWindowMillis,
                "must be 0 to 600000");
        switch (source) {
            case "none":
                return source;
            case "dimse": {
                GatewayConfig.Dimse d = p.dimse;
                check(config, d.host != null && !d.host.isBlank(), "priors.dimse.host", "is missing");
                check(config, d.port >= 1 && d.port <= 65535, "priors.dimse.port", d.port, "must be 1 to 65535");
                check(config, aeTitle(d.calledAeTitle), "priors.dimse.calledAeTitle", "'" + d.calledAeTitle + "'",
                        "must be 1 to 16 characters, no backslash");
                check(config, aeTitle(d.callingAeTitle), "priors.dimse.callingAeTitle", "'" + d.callingAeTitle + "'",
                        "must be 1 to 16 characters, no backslash");
                return source;
            }
            case "dicomweb": {
                GatewayConfig.DicomWeb w = p.dicomweb;
                check(config, w.url != null && (w.url.startsWith("http://") || w.url.startsWith("https://")),
                        "priors.dicomweb.url", "'" + w.url + "'", "must be an http:// or https:// URL");
                return source;
            }
            default:
                throw config.error("priors.source", "'" + p.source + "' is not one of none, dimse, dicomweb");
        }
    }

    private static boolean aeTitle(String s) {
        return s != null && s.trim().matches("[\\x20-\\x5B\\x5D-\\x7E]{1,16}");
    }

    private static void check(GatewayConfig config, boolean ok, String field, String message)
            throws GatewayConfig.ConfigException {
        if (!ok) {
            throw config.error(field, message); // file:line: field: message
        }
    }

    /** As {@link #check(GatewayConfig, boolean, String, String)}, the value first: "70000 must be 1 to 65535". */
    private static void check(GatewayConfig config, boolean ok, String field, Object value, String message)
            throws GatewayConfig.ConfigException {
        check(config, ok, field, value + " " + message);
    }

    /**
     * DICOM TLS to the PACS: the gateway's own certificate (dicom.tls.certificate/privateKey) when configured, for
     * a PACS that asks for it; trusting dicom.tls.trustedCertificates, else the JVM's CAs.
     */
    static SSLContext tls(GatewayConfig config, Path configDir) throws IOException {
        GatewayConfig.Tls t = config.dicom.tls;
        Path trusted = t.trustedCertificates == null || t.trustedCertificates.isBlank() ? null
                : configDir.resolve(t.trustedCertificates);
        if (t.certificate != null && !t.certificate.isBlank() && t.privateKey != null && !t.privateKey.isBlank()) {
            return TlsContexts.create(configDir.resolve(t.certificate), configDir.resolve(t.privateKey), trusted);
        }
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            TrustManagerFactory tmf = null;
            if (trusted != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                int i = 0;
                try (InputStream in = Files.newInputStream(trusted)) {
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        ks.setCertificateEntry("pacs-" + i++, c);
                    }
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
            }
            ctx.init(null, tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build the TLS context for the PACS: " + e.getMessage(), e);
        }
    }
}
