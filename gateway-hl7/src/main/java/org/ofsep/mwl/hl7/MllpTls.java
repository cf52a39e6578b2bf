package org.ofsep.mwl.hl7;

import java.nio.file.Path;
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
        if (tls.keyStore() == null) {
            throw new IllegalArgumentException("HL7 TLS is enabled but no key store is configured");
        }
        SSLContextParameters params = new SSLContextParameters();
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(store(tls.keyStore(), tls.keyStorePassword()));
        keys.setKeyPassword(tls.keyStorePassword());
        params.setKeyManagers(keys);
        if (tls.trustStore() != null) {
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
        if (tls.keyStore() != null) {
            KeyManagersParameters keys = new KeyManagersParameters();
            keys.setKeyStore(store(tls.keyStore(), tls.keyStorePassword()));
            keys.setKeyPassword(tls.keyStorePassword());
            params.setKeyManagers(keys);
        }
        if (tls.trustStore() != null) {
            params.setTrustManagers(trust(tls));
        }
        return params;
    }

    private static TrustManagersParameters trust(Hl7Settings.Tls tls) {
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store(tls.trustStore(), tls.trustStorePassword()));
        return trust;
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
