package org.ofsep.mwl.dicom.net;

import java.util.List;
import java.util.Optional;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.core.order.OrderAction;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;

/** A mapping with stations only, for DICOM tests. */
public record TestMapping(List<Station> stations) implements Mapping {

    /** Four stations like the shipped config; MR_HOSTBOUND may only connect from 10.255.255.1. */
    public static TestMapping standard() {
        return new TestMapping(List.of(
                new Station("IRM 1", "MR_SIEMENS", Vendor.SIEMENS, "Skyra", 3.0, "MR", null, false),
                new Station("IRM 2", "MR_GE", Vendor.GE, "Signa", 1.5, "MR", null, true),
                new Station("IRM 3", "MR_PHILIPS", Vendor.PHILIPS, "Ingenia", 3.0, "MR", "127.0.0.1", false),
                new Station("IRM 4", "MR_CANON", Vendor.CANON, "Vantage", 1.5, "MR", null, false),
                new Station("IRM 5", "MR_HOSTBOUND", Vendor.SIEMENS, "Aera", 1.5, "MR", "10.255.255.1", false)));
    }

    @Override
    public Optional<Station> station(String aeTitle) {
        return stations.stream().filter(s -> s.aeTitle().equals(aeTitle)).findFirst();
    }

    @Override
    public Station selectStation(OrderMessage order, ProcedureRequest procedure) {
        throw new UnsupportedOperationException("not used by DICOM tests");
    }

    @Override
    public Optional<OrderAction> orderAction(String orderControl, String orderStatus) {
        return Optional.empty();
    }
}
