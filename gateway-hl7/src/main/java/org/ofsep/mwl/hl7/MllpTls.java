package org.ofsep.mwl.hl7;

import java.nio.file.Path;
import org.ofsep.mwl.tls.PemFiles;
import org.apache.camel.support.jsse.ClientAuthentication;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SSLContextServerParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/** Builds the SSLContextParameters camel-mllp takes (option sslContextParameters) from {@link Hl7Settings.Tls}. */
final class MllpTls {

    private MllpTls() {
    }

    /** For the listener: our certificate, optionally requiring the RIS's. */
    static SSLContextParameters server(Hl7Settings.Tls tls) {
        if (!tls.hasKey()) {
            throw new IllegalArgumentException(
                    "HL7 TLS is enabled but neither a key store nor a PEM certificate and key are configured");
        }
        SSLContextParameters params = new SSLContextParameters();
        params.setKeyManagers(keys(tls));
        if (tls.hasTrust()) {
            params.setTrustManagers(trust(tls));
        }
        SSLContextServerParameters server = new SSLContextServerParameters();
        server.setClientAuthentication((tls.clientAuth() ? ClientAuthentication.REQUIRE : ClientAuthentication.NONE)
                .name());
        params.setServerParameters(server);
        return params;
    }

    /** For the RIS link: trust the configured CAs, present our certificate when there is one. */
    static SSLContextParameters client(Hl7Settings.Tls tls) {
        SSLContextParameters params = new SSLContextParameters();
        if (tls.hasKey()) {
            params.setKeyManagers(keys(tls));
        }
        if (tls.hasTrust()) {
            params.setTrustManagers(trust(tls));
        }
        return params;
    }

    private static KeyManagersParameters keys(Hl7Settings.Tls tls) {
        KeyManagersParameters keys = new KeyManagersParameters();
        if (tls.keyStore() != null) {
            keys.setKeyStore(store(tls.keyStore(), tls.keyStorePassword()));
            keys.setKeyPassword(tls.keyStorePassword());
        } else {
            KeyStoreParameters ks = new KeyStoreParameters();
            ks.setKeyStore(pemKeyStore(tls.certificatePem(), tls.privateKeyPem()));
            ks.setPassword(PemFiles.IN_MEMORY_PASSWORD);
            keys.setKeyStore(ks);
            keys.setKeyPassword(PemFiles.IN_MEMORY_PASSWORD);
        }
        return keys;
    }

    private static TrustManagersParameters trust(Hl7Settings.Tls tls) {
        TrustManagersParameters trust = new TrustManagersParameters();
        if (tls.trustStore() != null) {
            trust.setKeyStore(store(tls.trustStore(), tls.trustStorePassword()));
        } else {
            KeyStoreParameters ks = new KeyStoreParameters();
            ks.setKeyStore(pemTrustStore(tls.trustedPem()));
            trust.setKeyStore(ks);
        }
        return trust;
    }

    private static java.security.KeyStore pemKeyStore(Path certificateChain, Path privateKey) {
        if (certificateChain == null || privateKey == null) {
            throw new IllegalArgumentException("HL7 TLS with PEM files needs both a certificate and a private key");
        }
        try {
            return PemFiles.keyStore(certificateChain, privateKey);
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot load the HL7 TLS certificate " + certificateChain
                    + " and key " + privateKey + ": " + e.getMessage(), e);
        }
    }

    private static java.security.KeyStore pemTrustStore(Path trusted) {
        try {
            return PemFiles.trustStore(trusted);
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot load the trusted certificates " + trusted + ": "
                    + e.getMessage(), e);
        }
    }

    private static KeyStoreParameters store(Path path, String password) {
        KeyStoreParameters ks = new KeyStoreParameters();
        ks.setResource("file:" + path.toAbsolutePath());
        ks.setPassword(password);
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        ks.setType(name.endsWith(".jks") ? "JKS" : "PKCS12");
        return ks;
    }
}
