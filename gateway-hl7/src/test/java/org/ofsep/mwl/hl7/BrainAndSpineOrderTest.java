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
        Path file;
        try (var files = Files.list(ORDERS)) {
            file = files.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
        }
        byte[] raw = Files.readAllBytes(file);
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
}
