package org.ofsep.mwl.dicom.service;

import java.util.Optional;
import java.util.function.Supplier;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.dicom.acse.CallingPeers;
import org.ofsep.mwl.dicom.net.ServiceContext;

/** The configured stations of the mapping in force, as the peers allowed to call (what DicomServer wires). */
public final class StationPeers implements CallingPeers {

    private final Supplier<? extends Mapping> mapping;

    /** @param mapping the mapping in force, read when an association is requested (hot reload swaps it) */
    public StationPeers(Supplier<? extends Mapping> mapping) {
        this.mapping = mapping;
    }

    @Override
    public Optional<StationPeer> find(String callingAeTitle) {
        return mapping.get().station(callingAeTitle).map(StationPeer::new);
    }

    /**
     * The configured station behind the calling AE title of a request (checked at association time): the peer,
     * when the listener was wired with StationPeers (as {@code DicomServer} does); null otherwise.
     */
    public static Station station(ServiceContext context) {
        return context.peer() instanceof StationPeer s ? s.station() : null;
    }

    /** A configured station as a calling peer. */
    public record StationPeer(Station station) implements CallingPeers.Peer {
        @Override
        public String aeTitle() {
            return station.aeTitle();
        }

        @Override
        public String host() {
            return station.host();
        }
    }
}
