package org.ofsep.mwl.core.order;

import java.time.LocalDate;
import java.util.List;
import org.ofsep.mwl.core.domain.Patient;

/**
 * An order as received from the RIS, independent of HL7 version: what gateway-hl7 hands to the core. The body
 * weight travels as an observation of its procedures and is read by the mapping's one unit table
 * ({@code FactExtractor.weightKg}), for the dose and for the worklist item alike.
 *
 * @param messageControlId  MSH-10
 * @param sendingApplication MSH-3 (with MSH-4), used with MSH-10 for idempotency
 * @param orderControl      ORC-1 (NW, XO, CA, DC, SC, ...)
 * @param orderStatus       ORC-5, may be null or empty
 * @param placerOrderNumber ORC-2 (or OBR-2)
 * @param fillerOrderNumber ORC-3 (or OBR-3), may be null
 * @param patient           PID demographics
 * @param diagnosisCodes    DG1-3 codes (e.g. "G35")
 * @param referringPhysician ORC-12 / OBR-16 in PN form, may be null
 * @param procedures        one entry per OBR (or IPC)
 * @param specificCharacterSet the DICOM Specific Character Set (0008,0005) the HL7 edge derived from MSH-18
 *                          ("ISO_IR 100", "ISO_IR 192"), or null: the worklist item then takes the narrowest set
 *                          that holds the patient's name
 * @param allergies         the AL1 segments (the patient's allergies), in order
 * @param writtenOn         the day the order was written as the RIS states it (ORC-9, date/time of the transaction,
 *                          else MSH-7, date/time of the message), or null: the clinical text's relative dates ("il
 *                          y a 5 mois", "depuis 18 mois") are counted back from it, else from the exam
 */
public record OrderMessage(String messageControlId, String sendingApplication, String orderControl,
                           String orderStatus, String placerOrderNumber, String fillerOrderNumber,
                           Patient patient, List<String> diagnosisCodes,
                           String referringPhysician, List<ProcedureRequest> procedures,
                           String specificCharacterSet, List<Allergy> allergies, LocalDate writtenOn) {
    public OrderMessage {
        diagnosisCodes = diagnosisCodes == null ? List.of() : List.copyOf(diagnosisCodes);
        procedures = procedures == null ? List.of() : List.copyOf(procedures);
        allergies = allergies == null ? List.of() : List.copyOf(allergies);
    }

    /** The same order for this patient (an ADT corrected the one the message named). */
    public OrderMessage withPatient(Patient p) {
        return new OrderMessage(messageControlId, sendingApplication, orderControl, orderStatus, placerOrderNumber,
                fillerOrderNumber, p, diagnosisCodes, referringPhysician, procedures, specificCharacterSet, allergies,
                writtenOn);
    }

    /** The same order written on {@code day}. */
    public OrderMessage withWrittenOn(LocalDate day) {
        return new OrderMessage(messageControlId, sendingApplication, orderControl, orderStatus, placerOrderNumber,
                fillerOrderNumber, patient, diagnosisCodes, referringPhysician, procedures, specificCharacterSet,
                allergies, day);
    }

    /** An order whose writing day is not known (relative dates are counted back from the exam). */
    public OrderMessage(String messageControlId, String sendingApplication, String orderControl,
                        String orderStatus, String placerOrderNumber, String fillerOrderNumber,
                        Patient patient, List<String> diagnosisCodes,
                        String referringPhysician, List<ProcedureRequest> procedures,
                        String specificCharacterSet, List<Allergy> allergies) {
        this(messageControlId, sendingApplication, orderControl, orderStatus, placerOrderNumber, fillerOrderNumber,
                patient, diagnosisCodes, referringPhysician, procedures, specificCharacterSet, allergies, null);
    }

    /** An order without AL1 segments. */
    public OrderMessage(String messageControlId, String sendingApplication, String orderControl,
                        String orderStatus, String placerOrderNumber, String fillerOrderNumber,
                        Patient patient, List<String> diagnosisCodes,
                        String referringPhysician, List<ProcedureRequest> procedures,
                        String specificCharacterSet) {
        this(messageControlId, sendingApplication, orderControl, orderStatus, placerOrderNumber, fillerOrderNumber,
                patient, diagnosisCodes, referringPhysician, procedures, specificCharacterSet, List.of(), null);
    }

    /** An order without a character set from its source (the narrowest set for the patient's name applies). */
    public OrderMessage(String messageControlId, String sendingApplication, String orderControl,
                        String orderStatus, String placerOrderNumber, String fillerOrderNumber,
                        Patient patient, List<String> diagnosisCodes,
                        String referringPhysician, List<ProcedureRequest> procedures) {
        this(messageControlId, sendingApplication, orderControl, orderStatus, placerOrderNumber, fillerOrderNumber,
                patient, diagnosisCodes, referringPhysician, procedures, null, List.of(), null);
    }
}
