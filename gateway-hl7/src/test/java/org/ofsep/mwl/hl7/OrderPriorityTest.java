package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.RequestedPriority;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.hl7.support.Hl7Files;

/**
 * The order's priority read at the HL7 edge: each source field alone (TQ1-9, ORC-7.6, OBR-27.6), their precedence,
 * and the mapping of every HL7 code (table 0485 / 0027) to Requested Procedure Priority's DICOM terms.
 */
class OrderPriorityTest {

    private final MessageParser parser = new MessageParser();

    /** An ORM^O01 of {@code version}; {@code tq1} a whole TQ1 segment or "", {@code orc7}, {@code obr27} the fields. */
    private List<ProcedureRequest> procedures(String version, String tq1, String orc7, String obr27) {
        String msg = "MSH|^~\\&|RIS|CHU|MWLGW|CHU|20261125083100||ORM^O01|MSG-PRIO|P|" + version + "\r"
                + "PID|1||PAT1^^^CHU^PI||LEROY^CLAIRE||19880304|F\r"
                + "ORC|NW|PLC1|FIL1||SC||" + orc7 + "\r"
                + tq1
                + "OBR|1|PLC1|FIL1|IRM-SEP^IRM SEP^L||||||||||||||ACC1|RP1|SPS1|IRM1|||MR|||" + obr27 + "\r";
        OrderMessage o = ((Hl7Request.Order) parser.parse(msg, StandardCharsets.US_ASCII)).order();
        return o.procedures();
    }

    private RequestedPriority priority(String version, String tq1, String orc7, String obr27) {
        List<ProcedureRequest> p = procedures(version, tq1, orc7, obr27);
        assertThat(p).hasSize(1);
        return p.get(0).priority();
    }

    private static String tq1(String priority) {
        return "TQ1|1||||||202611260900||" + priority + "\r";
    }

    @Test
    void tq1PriorityAloneIsRead() {
        assertThat(priority("2.5", tq1("S"), "", "")).isEqualTo(RequestedPriority.STAT);
        // CWE: the identifier of the first repetition
        assertThat(priority("2.5", tq1("A^ASAP^HL70485~R^Routine^HL70485"), "", "")).isEqualTo(RequestedPriority.HIGH);
    }

    @Test
    void orc76AloneIsRead() {
        assertThat(priority("2.3.1", "", "^^^202611260900^^S", "")).isEqualTo(RequestedPriority.STAT);
        assertThat(priority("2.3.1", "", "^^^202611260900^^R", "")).isEqualTo(RequestedPriority.ROUTINE);
    }

    @Test
    void obr276AloneIsRead() {
        assertThat(priority("2.3.1", "", "", "^^^202611260900^^A")).isEqualTo(RequestedPriority.HIGH);
        assertThat(priority("2.3.1", "", "", "^^^202611260900^^T")).isEqualTo(RequestedPriority.HIGH);
    }

    @Test
    void tq1WinsOverOrc7WhichWinsOverObr27() {
        assertThat(priority("2.5", tq1("S"), "^^^^^R", "^^^^^A")).isEqualTo(RequestedPriority.STAT);
        assertThat(priority("2.5", tq1(""), "^^^^^R", "^^^^^S")).isEqualTo(RequestedPriority.ROUTINE);
        assertThat(priority("2.5", "", "^^^202611260900", "^^^^^S")).isEqualTo(RequestedPriority.STAT);
    }

    /** The first field that holds a code is what the RIS said: a code without a DICOM term is not replaced. */
    @Test
    void aCodeWithoutDicomTermInTheFirstFieldIsNotReplacedByALaterField() {
        assertThat(priority("2.5", tq1("P"), "^^^^^S", "^^^^^S")).isNull();
        assertThat(priority("2.3.1", "", "^^^^^C", "^^^^^S")).isNull();
    }

    @Test
    void noPriorityAnywhereIsNone() {
        assertThat(priority("2.5", "", "", "")).isNull();
        assertThat(priority("2.5", tq1(""), "^^^202611260900", "^^^202611260900")).isNull();
    }

    /** Every code of table 0485 (and 0027): four map to a DICOM term, the others to none, never to a refusal. */
    @Test
    void eachHl7CodeMapsToItsDicomTermOrToNone() {
        assertThat(OrderPriority.of("S")).isEqualTo(RequestedPriority.STAT);
        assertThat(OrderPriority.of("A")).isEqualTo(RequestedPriority.HIGH);
        assertThat(OrderPriority.of("T")).isEqualTo(RequestedPriority.HIGH);
        assertThat(OrderPriority.of("R")).isEqualTo(RequestedPriority.ROUTINE);
        assertThat(OrderPriority.of(" s ")).isEqualTo(RequestedPriority.STAT);
        assertThat(OrderPriority.of("r")).isEqualTo(RequestedPriority.ROUTINE);
        for (String none : new String[] {"P", "C", "PRN", "TS30", "TM5", "TH2", "TD1", "TW1", "TL1", "STAT",
                "URGENT", "9", "", " "}) {
            assertThat(OrderPriority.of(none)).as(none).isNull();
        }
        assertThat(OrderPriority.of(null)).isNull();
        // and through a whole message: accepted, without priority
        assertThat(priority("2.5", tq1("TS30"), "", "")).isNull();
    }

    /** OMI^O23: the TQ1 of the order gives its priority to every step (one per IPC). */
    @Test
    void eachStepOfAnOmiTakesTheOrdersTq1Priority() {
        String omi = new String(Hl7Files.bytes("omi-o23-v251-ihe.hl7"), StandardCharsets.UTF_8)
                .replace("|202611281045|R", "|202611281045|S");
        OrderMessage o = ((Hl7Request.Order) parser.parse(omi, StandardCharsets.UTF_8)).order();
        assertThat(o.procedures()).hasSize(2).extracting(ProcedureRequest::priority)
                .containsOnly(RequestedPriority.STAT);
    }

    /** A TQ1 after the OBR is that procedure's: two OBR, each with its own priority. */
    @Test
    void aTq1AfterItsObrIsThatProceduresOwn() {
        String msg = "MSH|^~\\&|RIS|CHU|MWLGW|CHU|20261125083100||ORM^O01|MSG-PRIO2|P|2.5\r"
                + "PID|1||PAT1^^^CHU^PI||LEROY^CLAIRE||19880304|F\r"
                + "ORC|NW|PLC1|FIL1||SC\r"
                + "OBR|1|PLC1|FIL1|IRM-SEP^IRM SEP^L||||||||||||||ACC1|RP1|SPS1|IRM1|||MR\r"
                + tq1("S")
                + "OBR|2|PLC1|FIL1|IRM-MOE^IRM moelle^L||||||||||||||ACC1|RP1|SPS2|IRM1|||MR\r"
                + tq1("R");
        OrderMessage o = ((Hl7Request.Order) parser.parse(msg, StandardCharsets.US_ASCII)).order();
        assertThat(o.procedures()).extracting(ProcedureRequest::priority)
                .containsExactly(RequestedPriority.STAT, RequestedPriority.ROUTINE);
    }
}
