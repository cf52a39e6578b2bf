package org.ofsep.mwl.core.order;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.order.OrderRejectedException.Kind;

/** Issue 16 #9: every refusal has a kind the HL7 layer turns into the fitting HL7 table 0357 code. */
class OrderRejectedExceptionTest {

    private static Kind kind(String message, String field) {
        return new OrderRejectedException(message, field).kind();
    }

    @Test
    void theOrderServiceWordingIsClassified() {
        assertThat(kind("No order action is mapped for ORC-1/ORC-5 pair ZZ_SC", "ORC-1")).isEqualTo(Kind.UNMAPPED);
        assertThat(kind("Order control (ORC-1) is missing", "ORC-1")).isEqualTo(Kind.MISSING);
        assertThat(kind("Patient ID (PID-3) is missing", "PID-3")).isEqualTo(Kind.MISSING);
        assertThat(kind("The order has no requested procedure (OBR)", "OBR")).isEqualTo(Kind.MISSING);
        assertThat(kind("Accession number (OBR-18) is longer than 64 characters", "OBR-18"))
                .isEqualTo(Kind.BAD_VALUE);
        assertThat(kind("Study Instance UID is not a valid DICOM UID", "ZDS-1")).isEqualTo(Kind.BAD_VALUE);
        assertThat(kind("Unknown order: no worklist entry has placer order number P (ORC-2); CA not applied",
                "ORC-2")).isEqualTo(Kind.UNKNOWN_KEY);
        assertThat(kind("Order P (ORC-2) is canceled; XO not applied", "ORC-2")).isEqualTo(Kind.UNKNOWN_KEY);
        assertThat(kind("Placer order number P (ORC-2) already belongs to another patient; NW not applied", "ORC-2"))
                .isEqualTo(Kind.DUPLICATE_KEY);
        assertThat(kind("Station MR1 (1.0 T) is below 1.5 T", null)).isEqualTo(Kind.NOT_SERVED);
        assertThat(new OrderRejectedException("x", "OBR-18", Kind.DUPLICATE_KEY).kind()).isEqualTo(Kind.DUPLICATE_KEY);
    }
}
