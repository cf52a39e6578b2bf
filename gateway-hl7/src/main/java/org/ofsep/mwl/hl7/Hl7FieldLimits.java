package org.ofsep.mwl.hl7;

import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.order.OrderChecks;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.order.ProcedureRequest;

/**
 * The longest value each HL7 field may carry into the worklist, named by its HL7 field: what the DICOM attribute
 * it fills can hold (LO 64, SH 16, CS 16, a PN of up to five component groups), so a value is refused with the
 * field the RIS must fix rather than cut. The order planner calls these checks at fixed points (any order; a
 * scheduling order; a patient update or merge), for {@code serve} and {@code decide} alike.
 */
public final class Hl7FieldLimits implements OrderChecks {

    @Override
    public void order(OrderMessage order) {
        maxLength(order.placerOrderNumber(), 64, "ORC-2", "Placer order number");
    }

    @Override
    public void scheduling(OrderMessage order) {
        patient(order.patient());
        maxLength(order.fillerOrderNumber(), 64, "ORC-3", "Filler order number");
        maxLength(order.referringPhysician(), 400, "ORC-12", "Ordering provider");
        for (ProcedureRequest proc : order.procedures()) {
            ProtocolCode code = proc.procedureCode();
            maxLength(code.value(), 64, "OBR-4", "Procedure code");
            maxLength(code.scheme(), 16, "OBR-4.3", "Procedure coding system"); // SH
            maxLength(code.meaning(), 400, "OBR-4.2", "Procedure text");
            maxLength(proc.modality(), 16, "OBR-24", "Modality");
            maxLength(proc.accessionNumber(), 16, "OBR-18", "Accession number"); // SH
            maxLength(proc.requestedProcedureId(), 16, "OBR-19", "Requested procedure ID"); // SH
            maxLength(proc.spsId(), 16, "IPC-4", "Scheduled procedure step ID"); // SH
        }
    }

    @Override
    public void patient(Patient p) {
        maxLength(p.id(), 64, "PID-3", "Patient ID");
        maxLength(p.issuer(), 64, "PID-3.4", "Issuer of patient ID");
        maxLength(p.name(), 400, "PID-5", "Patient name");
        maxLength(p.sex(), 16, "PID-8", "Administrative sex");
    }

    /** Refused (AE, the field in ERR-2) when the trimmed value is longer than {@code max} characters. */
    private static void maxLength(String value, int max, String field, String label) {
        if (value != null && value.trim().length() > max) {
            throw new OrderRejectedException(label + " (" + field + ") is longer than " + max + " characters", field);
        }
    }
}
