package org.ofsep.mwl.hl7;

import java.util.List;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.order.OrderMessage;

/** What an inbound message asks the gateway to do, independent of HL7 version. */
public sealed interface Hl7Request {

    /** ORM^O01, OMI^O23 (or OMG^O19): apply an order. */
    record Order(OrderMessage order) implements Hl7Request {
    }

    /** ADT^A08 / ADT^A31: new demographics for a patient. */
    record PatientUpdate(Patient patient) implements Hl7Request {
    }

    /** ADT^A40: one or more prior patient IDs merged into a survivor. */
    record PatientMerge(List<Merge> merges) implements Hl7Request {
        public PatientMerge {
            merges = List.copyOf(merges);
        }
    }

    /** One PID/MRG pair of an A40. */
    record Merge(Patient survivor, String oldPatientId, String oldIssuer) {
    }
}
