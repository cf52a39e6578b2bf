package org.ofsep.mwl.store.service;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.core.order.OrderAction;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.order.ProcedureRequest;

/**
 * A small in-memory mapping for store tests (the real YAML mapping lives in core.mapping): the four example
 * stations, the default order control pairs of issue 5, and station choice by IPC-9, then OBR-21, then the
 * first station.
 */
public final class FakeMapping implements Mapping {

    public static final Station SIEMENS = new Station("IRM 1", "MR_SIEMENS", Vendor.SIEMENS, "Vida", 3.0, "MR", null, false);
    public static final Station GE = new Station("IRM 2", "MR_GE", Vendor.GE, "Signa", 1.5, "MR", null, true);
    public static final Station PHILIPS = new Station("IRM 3", "MR_PHILIPS", Vendor.PHILIPS, "Ingenia", 3.0, "MR", null, false);
    public static final Station CANON = new Station("IRM 4", "MR_CANON", Vendor.CANON, "Vantage", 1.5, "MR", null, false);

    private static final Map<String, OrderAction> PAIRS = Map.of(
            "NW_SC", OrderAction.SCHEDULE, "NW_IP", OrderAction.SCHEDULE, "XO_SC", OrderAction.UPDATE,
            "XO_CM", OrderAction.COMPLETE, "SC_CM", OrderAction.COMPLETE, "CA_CA", OrderAction.CANCEL,
            "DC_CA", OrderAction.DISCONTINUE, "SC_IP", OrderAction.START);

    @Override
    public List<Station> stations() {
        return List.of(SIEMENS, GE, PHILIPS, CANON);
    }

    @Override
    public Optional<Station> station(String aeTitle) {
        return stations().stream().filter(s -> s.aeTitle().equals(aeTitle)).findFirst();
    }

    @Override
    public Station selectStation(OrderMessage order, ProcedureRequest procedure) {
        if (procedure.stationAeTitle() != null) {
            return station(procedure.stationAeTitle()).orElseThrow(() -> new OrderRejectedException(
                    "Unknown station AE title (IPC-9)", "IPC-9"));
        }
        String room = procedure.fields().get("OBR-21");
        if (room != null) {
            return stations().stream().filter(s -> s.name().equals(room)).findFirst()
                    .orElseThrow(() -> new OrderRejectedException("No station for OBR-21", "OBR-21"));
        }
        return SIEMENS;
    }

    @Override
    public Optional<OrderAction> orderAction(String orderControl, String orderStatus) {
        return Optional.ofNullable(PAIRS.get(orderControl + "_" + (orderStatus == null ? "" : orderStatus)));
    }
}
