package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.order.ProcedureRequest;

class Hl7FieldLimitsTest {

    private final Hl7FieldLimits limits = new Hl7FieldLimits();

    @Test
    void eachFieldIsRefusedWithItsHl7NameOneCharacterPastItsLimit() {
        check(order("P".repeat(65), patient("X", null, null, null), "ACC", null), "ORC-2", true);
        check(order("PL", patient("I".repeat(65), null, null, null), "ACC", null), "PID-3", false);
        check(order("PL", patient("I", "H".repeat(65), null, null), "ACC", null), "PID-3.4", false);
        check(order("PL", patient("I", null, "N".repeat(401), null), "ACC", null), "PID-5", false);
        check(order("PL", patient("I", null, null, "S".repeat(17)), "ACC", null), "PID-8", false);
        check(order("PL", patient("I", null, null, null), "A".repeat(17), null), "OBR-18", false); // SH
        check(order("PL", patient("I", null, null, null), "ACC", "M".repeat(17)), "OBR-24", false);
    }

    @Test
    void valuesAtTheLimitAndTrailingBlanksPass() {
        OrderMessage atLimit = order("P".repeat(64), patient("I".repeat(64), "H".repeat(64), "N".repeat(400),
                "S".repeat(16)), "A".repeat(16) + "   ", "M".repeat(16));
        assertThatCode(() -> {
            limits.order(atLimit);
            limits.scheduling(atLimit);
        }).doesNotThrowAnyException();
    }

    private void check(OrderMessage order, String field, boolean everyOrder) {
        Runnable call = everyOrder ? () -> limits.order(order) : () -> limits.scheduling(order);
        assertThatThrownBy(call::run).isInstanceOf(OrderRejectedException.class)
                .hasMessageContaining("(" + field + ") is longer than")
                .extracting("field").isEqualTo(field);
    }

    private static Patient patient(String id, String issuer, String name, String sex) {
        return new Patient(id, issuer, name, null, sex);
    }

    private static OrderMessage order(String placer, Patient patient, String accession, String modality) {
        ProcedureRequest proc = new ProcedureRequest(accession, null, new ProtocolCode("C", "99RIS", "text"),
                LocalDateTime.of(2026, 3, 16, 9, 0), modality, null, null, null, null, null, Map.of(), List.of());
        return new OrderMessage("M1", "RIS", "NW", "SC", placer, null, patient, List.of(), null, List.of(proc));
    }
}
