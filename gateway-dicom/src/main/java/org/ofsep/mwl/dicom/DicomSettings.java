package org.ofsep.mwl.dicom;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the gateway's DICOM service (the {@code dicom:} section of gateway.yaml).
 *
 * @param aeTitle             our AE title; associations called with another title are rejected (default MWLGW)
 * @param bindAddress         address to listen on; null or "0.0.0.0" = all interfaces
 * @param port                TCP port (default 11112); 0 = any free port (see {@link DicomServer#port()})
 * @param maxAssociations     concurrent associations served; more are rejected (transient, local limit exceeded)
 * @param idleTimeout         an association silent this long is aborted; also bounds a blocked write
 * @param maxPduLength        largest P-DATA-TF PDU we accept, advertised in the A-ASSOCIATE-AC (> 0)
 * @param artimTimeout        ARTIM timer: wait for the A-ASSOCIATE-RQ after connect and for the close after
 *                            release/reject/abort
 * @param tls                 DICOM TLS (PS3.15 B.1 basic TLS profile), or null for plain TCP
 * @param includeStartedSteps the worklist also returns steps in STARTED state (default: SCHEDULED only)
 * @param queryLimit          at most this many C-FIND matches are returned; 0 = no limit
 * @param maxPendingConnections connections that have not yet sent their A-ASSOCIATE-RQ (they hold no
 *                            association slot); beyond this the oldest of them is closed (default 100)
 * @param associationWait     how long an association request waits for a free slot when all
 *                            {@code maxAssociations} are busy before it is rejected (transient, local limit
 *                            exceeded); at most the ARTIM timeout (default 4 s; 0 = reject at once)
 * @param maxWildcardsPerKey  most '*' in one C-FIND key value; more is refused with A900 (default 3), as such
 *                            patterns make wildcard matching backtrack exponentially
 */
public record DicomSettings(String aeTitle, String bindAddress, int port, int maxAssociations, Duration idleTimeout,
                            long maxPduLength, Duration artimTimeout, Tls tls, boolean includeStartedSteps,
                            int queryLimit, int maxPendingConnections, Duration associationWait,
                            int maxWildcardsPerKey) {

    public static final String DEFAULT_AE_TITLE = "MWLGW";
    public static final int DEFAULT_PORT = 11112;

    public DicomSettings {
        if (aeTitle == null || aeTitle.isBlank() || aeTitle.strip().length() > 16 || !aeTitle.equals(aeTitle.strip())) {
            throw new IllegalArgumentException("AE title must be 1 to 16 characters without leading/trailing spaces: '" + aeTitle + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxAssociations < 1) {
            throw new IllegalArgumentException("maxAssociations must be at least 1");
        }
        if (maxPduLength < 4096 || maxPduLength > 0x7FFFFFF0L) {
            throw new IllegalArgumentException("maxPduLength must be between 4096 and 2^31-16: " + maxPduLength);
        }
        if (queryLimit < 0) {
            throw new IllegalArgumentException("queryLimit < 0");
        }
        idleTimeout = idleTimeout == null ? Duration.ofSeconds(60) : idleTimeout;
        artimTimeout = artimTimeout == null ? Duration.ofSeconds(5) : artimTimeout;
        if (maxPendingConnections < 1) {
            throw new IllegalArgumentException("maxPendingConnections must be at least 1");
        }
        associationWait = associationWait == null ? Duration.ofSeconds(4) : associationWait;
        if (associationWait.isNegative()) {
            throw new IllegalArgumentException("associationWait < 0");
        }
        if (maxWildcardsPerKey < 1) {
            throw new IllegalArgumentException("maxWildcardsPerKey must be at least 1");
        }
        if (associationWait.compareTo(artimTimeout) > 0) {
            associationWait = artimTimeout; // the request waits within the ARTIM time
        }
    }

    /**
     * DICOM TLS, PS3.15 B.1 basic TLS secure transport connection profile, with PEM files.
     *
     * @param certificate         PEM file with our certificate (chain), server first
     * @param privateKey          PEM file with our unencrypted PKCS#8 private key ("BEGIN PRIVATE KEY"; RSA or EC)
     * @param trustedCertificates PEM file with the certificates (or CAs) of the consoles; when set, a client
     *                            certificate signed by one of them is required; null = no client certificate
     */
    public record Tls(Path certificate, Path privateKey, Path trustedCertificates) {
        public Tls {
            if (certificate == null || privateKey == null) {
                throw new IllegalArgumentException("TLS needs a certificate and a private key file");
            }
        }
    }

    /**
     * MWLGW on port 11112, 20 associations, 60 s idle, 16 KiB PDUs (the gateway itself uses gateway.yaml, 64 KiB by default), ARTIM 5 s, no TLS, SCHEDULED only, 1000 max,
     * 100 unassociated connections, 4 s wait for a free slot.
     */
    public static DicomSettings defaults() {
        return new DicomSettings(DEFAULT_AE_TITLE, null, DEFAULT_PORT, 20, Duration.ofSeconds(60), 16384,
                Duration.ofSeconds(5), null, false, 1000, 100, Duration.ofSeconds(4), 3);
    }

    public DicomSettings withMaxWildcardsPerKey(int v) {
        return new DicomSettings(aeTitle, bindAddress, port, maxAssociations, idleTimeout, maxPduLength, artimTimeout, tls, includeStartedSteps, queryLimit, maxPendingConnections, associationWait, v);
    }

    public DicomSettings withMaxPendingConnections(int v) {
        return new DicomSettings(aeTitle, bindAddress, port, maxAssociations, idleTimeout, maxPduLength, artimTimeout, tls, includeStartedSteps, queryLimit, v, associationWait, maxWildcardsPerKey);
    }

    public DicomSettings withAssociationWait(Duration v) {
        return new DicomSettings(aeTitle, bindAddress, port, maxAssociations, idleTimeout, maxPduLength, artimTimeout, tls, includeStartedSteps, queryLimit, maxPendingConnections, v, maxWildcardsPerKey);
    }

    public DicomSettings withAeTitle(String v) {
        return new DicomSettings(v, bindAddress, port, maxAssociations, idleTimeout, maxPduLength, artimTimeout, tls, includeStartedSteps, queryLimit, maxPendingConnections, associationWait, maxWildcardsPerKey);
    }

    public DicomSettings withBindAddress(String v) {
        return new DicomSettings(aeTitle, v, port, maxAssociations, idleTimeout, maxPduLength, artimTimeout, tls, includeStartedSteps, queryLimit, maxPendingConnections, associationWait, maxWildcardsPerKey);
    }

    public DicomSettings withPort(int v) {
        return new DicomSettings(aeTitle, bindAddress, v, maxAssociations, idleTimeout, maxPduLength, artimTimeout, tls, includeStartedSteps, queryLimit, maxPendingConnections, associationWait, maxWildcardsPerKey);
    }

    public DicomSettings withMaxAssociations(int v) {
        return new DicomSettings(aeTitle, bindAddress, port, v, idleTimeout, maxPduLength, artimTimeout, tls, includeStartedSteps, queryLimit, maxPendingConnections, associationWait, maxWildcardsPerKey);
    }

    public DicomSettings withIdleTimeout(Duration v) {
        return new DicomSettings(aeTitle, bindAddress, port, maxAssociations, v, maxPduLength, artimTimeout, tls, includeStartedSteps, queryLimit, maxPendingConnections, associationWait, maxWildcardsPerKey);
    }

    public DicomSettings withMaxPduLength(long v) {
        return new DicomSettings(aeTitle, bindAddress, port, maxAssociations, idleTimeout, v, artimTimeout, tls, includeStartedSteps, queryLimit, maxPendingConnections, associationWait, maxWildcardsPerKey);
    }

    public DicomSettings withArtimTimeout(Duration v) {
        return new DicomSettings(aeTitle, bindAddress, port, maxAssociations, idleTimeout, maxPduLength, v, tls, includeStartedSteps, queryLimit, maxPendingConnections, associationWait, maxWildcardsPerKey);
    }

    public DicomSettings withTls(Tls v) {
        return new DicomSettings(aeTitle, bindAddress, port, maxAssociations, idleTimeout, maxPduLength, artimTimeout, v, includeStartedSteps, queryLimit, maxPendingConnections, associationWait, maxWildcardsPerKey);
    }

    public DicomSettings withIncludeStartedSteps(boolean v) {
        return new DicomSettings(aeTitle, bindAddress, port, maxAssociations, idleTimeout, maxPduLength, artimTimeout, tls, v, queryLimit, maxPendingConnections, associationWait, maxWildcardsPerKey);
    }

    public DicomSettings withQueryLimit(int v) {
        return new DicomSettings(aeTitle, bindAddress, port, maxAssociations, idleTimeout, maxPduLength, artimTimeout, tls, includeStartedSteps, v, maxPendingConnections, associationWait, maxWildcardsPerKey);
    }
}
