package org.ofsep.mwl.dicom.net;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import org.ofsep.mwl.tls.PemFiles;

/**
 * Builds the {@link SSLContext} of DICOM TLS from PEM files: a certificate chain and an unencrypted PKCS#8
 * private key, plus optionally the certificates trusted for client authentication (the one PEM loader,
 * gateway-tls {@link PemFiles}, shared with the HL7 listener).
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    public static SSLContext create(Path certificate, Path privateKey, Path trusted) throws IOException {
        try {
            return PemFiles.sslContext(certificate, privateKey, trusted);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build the TLS context from " + certificate + " and " + privateKey + ": "
                    + e.getMessage(), e);
        }
    }
}
