package org.ofsep.mwl.core.mapping;

import java.util.List;
import java.util.Optional;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.order.OrderAction;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;

/**
 * One validated, immutable snapshot of the admin's mapping YAML. A reload swaps the whole snapshot; code that
 * handles one order or one query takes a snapshot once and uses it throughout.
 */
public interface Mapping {

    /** The configured stations (scanners); only their AE titles may query the worklist. */
    List<Station> stations();

    /** The station with this AE title (exact match), if configured. */
    Optional<Station> station(String aeTitle);

    /**
     * Picks the scheduled station for a procedure by the station rules (HL7 field values, IPC-9, default).
     *
     * @throws org.ofsep.mwl.core.order.OrderRejectedException when no rule and no default applies
     */
    Station selectStation(OrderMessage order, ProcedureRequest procedure);

    /** The action for an ORC-1/ORC-5 pair ("NW"/"SC"); empty when the pair is not mapped. */
    Optional<OrderAction> orderAction(String orderControl, String orderStatus);
}
