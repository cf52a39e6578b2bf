package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.decision.OfsepDecisionEngine;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.OrderMessage;

/**
 * A brain and a spinal cord MRI ordered together, two OBR, the clinical information written once on the first (the
 * corpus's c141 and c142, from an independent review): the spine OBR was decided without it (a stable follow-up's
 * spine got Gd as a first MRI), and at diagnosis the spine was scheduled twice (added to the brain's step and
 * ordered on its own).
 */
class BrainAndSpineOrderTest {
    private static final Path ORDERS = Path.of("..", "corpus", "orders");
    private final MappingSnapshot mapping = MappingLoader.load(Path.of("..", "config", "mapping.yaml"));
    private final OfsepDecisionEngine engine = new OfsepDecisionEngine();

    private List<Decision> decide(String prefix) throws Exception {
        return decide(prefix, t -> t);
    }

    private List<Decision> decide(String prefix, java.util.function.UnaryOperator<String> edit) throws Exception {
        Path file;
        try (var files = Files.list(ORDERS)) {
            file = files.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
        }
        byte[] raw = edit.apply(Files.readString(file, java.nio.charset.StandardCharsets.UTF_8))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            raw[i] = raw[i] == '\n' ? (byte) '\r' : raw[i];
        }
        InboundFrame frame = InboundFrame.decode(raw);
        OrderMessage order = ((Hl7Request.Order) new MessageParser().parse(frame.text(), frame.charset())).order();
        return order.procedures().stream().map(p -> engine.decide(mapping, order, p,
                mapping.station("MR_SIEMENS").orElseThrow(), List.of(), LocalDate.of(2026, 12, 14))).toList();
    }

    @Test
    void theSpineOfAStableFollowUpReadsTheBrainsClinicalInformationAndGetsNoGd() throws Exception {
        List<Decision> d = decide("c141-");
        assertThat(d.get(0).rule().name()).isEqualTo("ROUTINE_FOLLOW_UP");
        assertThat(d.get(0).contrast()).isFalse();
        Decision spine = d.get(1);
        assertThat(spine.ofsep()).isTrue();
        assertThat(spine.examCard()).isNull();
        assertThat(spine.spine()).isTrue();
        assertThat(spine.contrast()).as(spine.reasons().toString()).isFalse();
        assertThat(spine.reasons()).anyMatch(r -> r.startsWith("This procedure states no clinical information of its"
                + " own: that of the order's procedure 24590-2"));
    }

    /**
     * The brain step of a follow-up whose spine is ordered beside it does not advise imaging the spine (the
     * technologist was told to add what the next step does; found by an independent review).
     */
    @Test
    void theBrainStepDoesNotAdviseTheSpineTheOrderImages() throws Exception {
        Decision brain = decide("c141-").get(0);
        assertThat(brain.spineDue()).isFalse();
        assertThat(brain.reasons()).noneMatch(r -> r.startsWith("OFSEP 2020: image the entire spine every"))
                .contains("The spinal cord is imaged by the order's own spine procedure.");
    }

    @Test
    void atDiagnosisTheSpineIsScheduledOnceByItsOwnProcedureWithGd() throws Exception {
        List<Decision> d = decide("c142-");
        Decision brain = d.get(0);
        assertThat(brain.rule().name()).isEqualTo("DIAGNOSIS");
        assertThat(brain.contrast()).isTrue();
        assertThat(brain.spine()).as("the spine is the other procedure's").isFalse();
        assertThat(brain.defaultCodes()).extracting(ProtocolCode::value).containsExactly("OFSEP-FULL-GD");
        assertThat(brain.reasons()).contains("The spinal cord is imaged by the order's own spine procedure, not added"
                + " to this one.");
        Decision spine = d.get(1);
        assertThat(spine.spine()).isTrue();
        assertThat(spine.contrast()).isTrue();
        assertThat(spine.defaultCodes()).extracting(ProtocolCode::value).containsExactly("OFSEP-SPINE-GD");
    }

    /**
     * The eGFR sent under the brain's OBR is the patient's: the spine step, with its own clinical text and Gd, had
     * no renal alert for an eGFR of 24 (found by an independent review).
     */
    @Test
    void theSpineStepReadsThePatientsEgfrSentUnderTheBrainsObr() throws Exception {
        List<Decision> d = decide("c142-", t -> t
                .replaceFirst("(OBX\\|1\\|NM\\|29463-7\\^Body weight\\^LN\\|\\|68\\|kg\\|\\|\\|\\|\\|F\n)(OBR\\|2)",
                        "$1OBX|2|NM|62238-1^eGFR CKD-EPI^LN||24|mL/min/{1.73_m2}|||||F\n$2")
                .replace("OBR|2|PLB29||24980-5^IRM médullaire cervicale^LN||||||||||||",
                        "OBR|2|PLB29||24980-5^IRM médullaire cervicale^LN||||||||Myélite : poussée médullaire.||||"));
        assertThat(d.get(0).alerts()).anyMatch(a -> a.startsWith("Gd with eGFR 24"));
        Decision spine = d.get(1);
        assertThat(spine.contrast()).isTrue();
        assertThat(spine.alerts()).as(spine.reasons().toString()).anyMatch(a -> a.startsWith("Gd with eGFR 24"));
    }

    /** A knee MRI beside a brain MRI borrows nothing (it became "OFSEP FULL + MOELLE" with the brain's text). */
    @Test
    void aKneeBesideABrainMriIsNotAnMsExam() throws Exception {
        List<Decision> d = decide("c142-", t -> t.replace("DG1|1|I10|G35^Sclérose en plaques^I10\n", "")
                .replace("24980-5^IRM médullaire cervicale^LN", "IRMGEN^IRM du genou droit^L"));
        assertThat(d.get(0).ofsep()).isTrue();
        assertThat(d.get(1).ofsep()).as(d.get(1).reasons().toString()).isFalse();
    }

    /**
     * A spine OBR with only its own OBR-31 ("Suivi SEP - moelle", as RIS fill OBR-31 on each OBR) reads the brain's
     * clinical text too: it was decided as a first MRI, with Gd, on a stable follow-up.
     */
    @Test
    void aSpineWithOnlyItsOwnReasonReadsTheBrainsClinicalTextToo() throws Exception {
        List<Decision> d = decide("c141-", t -> t.replace("MR|||^^^202612140930^^R||||^\n",
                "MR|||^^^202612140930^^R||||^Suivi SEP - moelle\n"));
        Decision spine = d.get(1);
        assertThat(spine.contrast()).as(spine.reasons().toString()).isFalse();
    }
}
