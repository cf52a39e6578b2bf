package org.ofsep.mwl.core.order;

import org.ofsep.mwl.core.domain.Patient;

/**
 * Checks the edge that received an order applies to its fields before the
 * {@link org.ofsep.mwl.core.planning.OrderPlanner} plans it (the HL7 edge, gateway-hl7, refuses values longer than
 * the worklist can hold, by HL7 field). The planner calls them at
 * fixed points so that {@code serve}, {@code decide} and the benchmarks refuse the same orders.
 */
public interface OrderChecks {

    /** No checks (the order comes from a source that has none). */
    OrderChecks NONE = new OrderChecks() {
    };

    /** Every order, once its control is mapped and its placer order number is present. */
    default void order(OrderMessage order) {
    }

    /** An order that creates or refreshes steps (SCHEDULE, UPDATE), after the required fields are present. */
    default void scheduling(OrderMessage order) {
    }

    /** The demographics of a patient update or of a merge's surviving patient. */
    default void patient(Patient patient) {
    }
}
