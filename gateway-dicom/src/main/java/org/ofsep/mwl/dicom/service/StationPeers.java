package org.ofsep.mwl.dicom.service;

import java.util.Optional;
import java.util.function.Supplier;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.dicom.acse.CallingPeers;

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
