package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.app.support.LogCapture;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.ProcedureRequest;

/**
 * An OMI whose IPC-9 names a station the mapping does not configure is placed by the station rules (docs/mapping.md),
 * and no longer silently: a WARN names the station (found by an independent HL7 review).
 */
class UnknownStationWarningTest {

    private static final MappingSnapshot SHIPPED = MappingLoader.load(Path.of("../config/mapping.yaml"));

    private static ProcedureRequest ipc9(String station) {
        return new ProcedureRequest("A", null, new ProtocolCode("24590-2", "LN", null), null, "MR", null, null, null,
                null, station, Map.of(), List.of());
    }

    @Test
    void anUnknownIpc9StationIsPlacedByTheRulesWithAWarning() {
        try (LogCapture log = LogCapture.of(MappingSnapshot.class)) {
            assertThat(SHIPPED.selectStation(null, ipc9("MR_NOWHERE")).aeTitle()).isEqualTo("MR_SIEMENS");
            assertThat(log.messages(Level.WARN)).singleElement().asString().contains("MR_NOWHERE")
                    .contains("does not configure");
            log.clear();
            assertThat(SHIPPED.selectStation(null, ipc9("MR_GE")).aeTitle()).isEqualTo("MR_GE");
            assertThat(SHIPPED.selectStation(null, ipc9(null)).aeTitle()).isEqualTo("MR_SIEMENS");
            assertThat(log.messages(Level.WARN)).isEmpty();
        }
    }
}
