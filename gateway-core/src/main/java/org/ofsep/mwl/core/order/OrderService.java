package org.ofsep.mwl.core.order;

import java.util.List;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.WorklistItem;

/**
 * The one service that applies an order from the RIS to the worklist (compare dcm4chee-arc's HL7 order
 * service). Each call is one database transaction: when it returns, the change is durable and the HL7 layer
 * may acknowledge; when it throws, nothing was stored.
 */
public interface OrderService {

    /**
     * Applies an order: maps (ORC-1, ORC-5) to an {@link OrderAction}, selects the station, decides the
     * protocol, and stores the steps.
     *
     * @return the worklist items created or changed
     * @throws OrderRejectedException when the order cannot be applied (unmapped control pair, unknown order
     *                                for CA/XO, station below 1.5 T, missing required data)
     */
    List<WorklistItem> apply(OrderMessage order);

    /**
     * {@link #apply(OrderMessage)} for an order whose message is already in the message log within the same
     * transaction: {@code messageId} is that log row's id (the HL7 layer writes the row first), so that work
     * written with the order can name its message instead of copying the order (the durable PACS lookup). A
     * wrapper that does not use it passes it on. Default: the id is not needed.
     *
     * @param messageId the message log row of the order's message (0: none)
     */
    default List<WorklistItem> apply(OrderMessage order, long messageId) {
        return apply(order);
    }

    /** ADT^A08/A31: updates the demographics on every pending item of that patient. Returns items changed. */
    int updatePatient(Patient patient);

    /** ADT^A40: moves every item and the history of {@code oldPatientId} to {@code survivor}. Returns items changed. */
    int mergePatient(Patient survivor, String oldPatientId, String oldIssuer);
}
