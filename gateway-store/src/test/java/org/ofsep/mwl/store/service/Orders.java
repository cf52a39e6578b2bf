package org.ofsep.mwl.store.service;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.RequestedPriority;
import org.ofsep.mwl.core.order.Observation;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;

/** Builds orders as gateway-hl7 would hand them over, with sensible defaults tests override. */
public final class Orders {

    public static final ProtocolCode BRAIN = new ProtocolCode("MRBRAIN", "99RIS", "IRM cerebrale");
    public static final ProtocolCode SPINE = new ProtocolCode("MRSPINE", "99RIS", "IRM medullaire");

    private String control = "NW";
    private String status = "SC";
    private String placer = "PL1001";
    private String filler = "FI1001";
    private Patient patient = new Patient("PAT1", "HOSP", "DUPRÉ^HÉLÈNE", LocalDate.of(1980, 5, 17), "F");
    private Double weight = 70.0;
    private List<String> diagnoses = List.of("G35");
    private final List<ProcedureRequest> procedures = new ArrayList<>();
    private int msg;
    private String characterSet;

    public static Orders order(String placer) {
        Orders o = new Orders();
        o.placer = placer;
        o.filler = "F" + placer;
        return o;
    }

    public Orders control(String orc1, String orc5) {
        this.control = orc1;
        this.status = orc5;
        return this;
    }

    public Orders patient(String id, String name) {
        this.patient = new Patient(id, "HOSP", name, LocalDate.of(1980, 5, 17), "F");
        return this;
    }

    public Orders patient(Patient p) {
        this.patient = p;
        return this;
    }

    public Orders diagnoses(String... codes) {
        this.diagnoses = List.of(codes);
        return this;
    }

    /** The DICOM character set the HL7 edge derived from MSH-18 (e.g. "ISO_IR 192"). */
    public Orders characterSet(String dicomTerm) {
        this.characterSet = dicomTerm;
        return this;
    }

    public Orders weight(Double kg) {
        this.weight = kg;
        return this;
    }

    /** A procedure with an accession, no requested procedure ID, no SPS ID, no study UID (all generated). */
    public Orders procedure(String accession, LocalDateTime start) {
        return procedure(accession, null, null, BRAIN, start, null);
    }

    public Orders procedure(String accession, String rpId, String spsId, ProtocolCode code, LocalDateTime start,
                            String stationAe) {
        procedures.add(new ProcedureRequest(accession, rpId, code, start, "MR", "suivi SEP", null, null, spsId,
                stationAe, Map.of(), List.of()));
        return this;
    }

    /** A procedure as {@link #procedure(String, LocalDateTime)}, with the priority the HL7 edge mapped. */
    public Orders procedure(String accession, LocalDateTime start, RequestedPriority priority) {
        procedures.add(new ProcedureRequest(accession, null, BRAIN, start, "MR", "suivi SEP", null, null, null,
                null, Map.of(), List.of(), List.of(), priority));
        return this;
    }

    public Orders procedure(ProcedureRequest p) {
        procedures.add(p);
        return this;
    }

    /** The order; the weight travels as the LOINC body weight observation of each procedure, as from the RIS. */
    public OrderMessage build() {
        List<ProcedureRequest> procedures = this.procedures;
        if (weight != null) {
            procedures = procedures.stream().map(p -> {
                List<Observation> obs = new java.util.ArrayList<>(p.observations());
                obs.add(0, Observation.ofNumber("29463-7", "LN", java.math.BigDecimal.valueOf(weight), "kg"));
                return new ProcedureRequest(p.accessionNumber(), p.requestedProcedureId(), p.procedureCode(),
                        p.scheduledStart(), p.modality(), p.reason(), p.clinicalInfo(), p.studyInstanceUid(),
                        p.spsId(), p.stationAeTitle(), p.fields(), obs, p.comments(), p.priority());
            }).toList();
        }
        return new OrderMessage("MSG" + (++msg), "RIS^HOSP", control, status, placer, filler, patient,
                diagnoses, "MARTIN^PAUL", procedures, characterSet);
    }
}
