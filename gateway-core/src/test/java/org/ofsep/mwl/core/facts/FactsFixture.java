package org.ofsep.mwl.core.facts;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.mapping.ShippedMapping;
import org.ofsep.mwl.core.order.Observation;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.core.order.TypedObx;

/** One order's texts and observations, read with the shipped mapping on {@link #EXAM}. */
final class FactsFixture {
    static final MappingSnapshot SHIPPED = ShippedMapping.load();
    static final LocalDate EXAM = LocalDate.of(2026, 3, 16);

    String clinicalInfo;
    String reason;
    final List<String> nte = new ArrayList<>();
    final List<Observation> obx = new ArrayList<>();
    final List<org.ofsep.mwl.core.order.Allergy> al1 = new ArrayList<>();
    LocalDate birth = LocalDate.of(1980, 5, 1);
    String sex = "F";
    LocalDate writtenOn;

    static FactsFixture text(String obr13) {
        FactsFixture f = new FactsFixture();
        f.clinicalInfo = obr13;
        return f;
    }

    FactsFixture loinc(String code, String type, String value, String unit) {
        obx.add(TypedObx.of(code, "LN", type, value, unit));
        return this;
    }

    /** The day the order was written (ORC-9 or MSH-7), null by default. */
    FactsFixture writtenOn(LocalDate day) {
        this.writtenOn = day;
        return this;
    }

    FactsFixture patient(LocalDate born, String sex) {
        this.birth = born;
        this.sex = sex;
        return this;
    }

    ClinicalFacts read() {
        ProcedureRequest p = new ProcedureRequest("ACC1", null, new ProtocolCode("IRMSEP", "99RIS", "IRM SEP"),
                EXAM.atTime(9, 0), "MR", reason, clinicalInfo, null, null, null, null, obx, nte);
        OrderMessage o = new OrderMessage("M1", "RIS", "NW", null, "PL1", null,
                new Patient("P1", null, "X^Y", birth, sex), List.of(), null, List.of(p), null, al1, writtenOn);
        return FactExtractor.extract(SHIPPED, o, p, EXAM);
    }
}
