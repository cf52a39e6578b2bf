package org.ofsep.mwl.dicom.mwl;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.ofsep.mwl.core.domain.ContrastDose;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.RuleId;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.domain.WorklistItem;

/** Worklist items and stations as the gateway would hold them, for tests. */
public final class Items {

    private Items() {
    }

    public static final ProtocolCode OFSEP_FULL_GD = new ProtocolCode("OFSEP-FULL-GD", "99OFSEP",
            "OFSEP FULL avec gadolinium");
    public static final ProtocolCode SIEMENS_FULL_GD = new ProtocolCode("SEP_FULL_GD", "99SIEMENS",
            "Exam tree SEP FULL Gd");

    public static Station station(Vendor vendor, String ae, boolean fuzzy) {
        return new Station("IRM " + vendor, ae, vendor, "model", 3.0, "MR", null, fuzzy);
    }

    public static Decision fullGd() {
        return new Decision(true, ExamCard.FULL, true, false, false, true, RuleId.DIAGNOSIS,
                List.of("First MRI: full protocol with Gd (OFSEP 2020, diagnosis)"),
                List.of("eGFR < 30: radiologist confirmation required"),
                new ContrastDose("gadobutrol", 7.0, 7.0), 12, List.of("SWI"),
                List.of(OFSEP_FULL_GD), Map.of(Vendor.SIEMENS, List.of(SIEMENS_FULL_GD)));
    }

    public static WorklistItem item(String spsId, String patientId, String name, LocalDateTime start,
                                    String stationAe, String charset) {
        return new WorklistItem(1, spsId, "RP" + spsId, "ACC" + spsId, "1.2.250.1.59.1." + spsId.hashCode() % 1000,
                "PL" + spsId, "FI" + spsId,
                new Patient(patientId, "HOSP", name, LocalDate.of(1980, 1, 31), "F"), 70.0,
                new ProtocolCode("24590-2", "LN", "MR Brain WO and W contrast IV"), "IRM encéphale SEP",
                start, "MR", stationAe, "IRM1", "OFSEP FULL - avec gadolinium", "Poussée",
                "MARTIN^PAUL", SpsStatus.SCHEDULED, fullGd(), java.util.List.of("eGFR < 30: radiologist confirmation required"),
                "gadobutrol 7.0 mmol 7.0 mL", "First MRI: full protocol with Gd", charset, null);
    }

    public static WorklistItem dupre(String charset) {
        return item("SPS1", "PAT1", "DUPRÉ^HÉLÈNE", LocalDateTime.of(2026, 11, 25, 9, 30), "MR_SIEMENS", charset);
    }
}
