package org.ofsep.mwl.core.decision;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.order.Observation;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.core.order.TypedObx;

/**
 * Builds the order objects the HL7 layer would hand over, for one MS follow-up patient. The defaults are a
 * stable follow-up: MS procedure code, 70 kg, a comparable prior brain MRI one year ago, exam on {@link #EXAM}.
 */
final class OrderFixture {
    static final LocalDate EXAM = LocalDate.of(2026, 3, 16);
    static final ProtocolCode MS_CODE = new ProtocolCode("IRMSEP", "99RIS", "IRM cerebrale SEP");
    static final ProtocolCode MR_BRAIN = new ProtocolCode("24590-2", "LN", "MR Brain WO contrast");
    static final ProtocolCode MR_SPINE = new ProtocolCode("24980-5", "LN", "MR Cervical spine");
    static final ProtocolCode MR_KNEE = new ProtocolCode("26118-1", "LN", "MR Knee");

    ProtocolCode code = MS_CODE;
    String modality = "MR";
    LocalDateTime scheduled = EXAM.atTime(9, 30);
    String reason;
    String clinicalInfo;
    Double weightKg = 70.0;
    LocalDate birthDate = LocalDate.of(1985, 4, 2);
    String sex = "F";
    List<String> diagnosisCodes = new ArrayList<>();
    List<Observation> obx = new ArrayList<>();
    List<PriorExam> history = new ArrayList<>();
    List<org.ofsep.mwl.core.order.Allergy> allergies = new ArrayList<>();

    OrderFixture() {
        obx("PRIOR-MRI", "DT", EXAM.minusYears(1));
        obx("PRIOR-MRI-3DFLAIR", "ST", "Y");
        obx("LAST-SPINE-MRI", "DT", EXAM.minusYears(1));
    }

    /** A fixture without any clinical OBX (no prior, no spine date). */
    static OrderFixture bare() {
        OrderFixture f = new OrderFixture();
        f.obx.clear();
        return f;
    }

    OrderFixture obx(String code, String type, Object value) {
        obx.add(TypedObx.of(code, "99OFSEP", type, value, null));
        return this;
    }

    OrderFixture without(String code) {
        obx.removeIf(o -> o.code().equals(code));
        return this;
    }

    OrderFixture context(String situation) {
        return obx("MS-CONTEXT", "CWE", situation);
    }

    OrderFixture dmt(String name, LocalDate start) {
        obx("DMT", "CWE", name);
        return start == null ? this : obx("DMT-START", "DT", start);
    }

    OrderFixture jcv(String status, String index) {
        if (status != null) {
            obx("JCV-STATUS", "CWE", status);
        }
        return index == null ? this : obx("JCV-INDEX", "NM", index);
    }

    OrderMessage order() {
        return new OrderMessage("MSG1", "RIS^HOSP", "NW", "SC", "PL1", null,
                new Patient("P1", "HOSP", "DUPRÉ^HÉLÈNE", birthDate, sex), diagnosisCodes,
                null, List.of(procedure()), null, allergies);
    }

    /** The procedure; {@link #weightKg} travels as its LOINC body weight observation, as the HL7 edge hands it. */
    ProcedureRequest procedure() {
        List<Observation> all = new ArrayList<>(obx);
        if (weightKg != null) {
            all.add(0, Observation.ofNumber("29463-7", "LN", java.math.BigDecimal.valueOf(weightKg), "kg"));
        }
        return new ProcedureRequest("ACC1", "RP1", code, scheduled, modality, reason, clinicalInfo, null, null, null,
                Map.of("OBR-21", "IRM1"), all);
    }
}
