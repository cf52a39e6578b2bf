package org.ofsep.mwl.dicom.acse;

import java.util.Optional;

/**
 * The peers allowed to open an association, as the acceptor sees them (looked up by calling AE title when an
 * A-ASSOCIATE-RQ arrives). The protocol layers know nothing else about them: the services behind get the peer
 * back from their context and know what it carries ({@code DicomServer} wires the configured stations here).
 */
@FunctionalInterface
public interface CallingPeers {

    /** The peer configured under that calling AE title (exact, case-sensitive), or empty. */
    Optional<? extends Peer> find(String callingAeTitle);

    /** A peer allowed to call. */
    interface Peer {
        String aeTitle();

        /** The host the peer must connect from (name or address), or null/blank for any. */
        String host();
    }
}
