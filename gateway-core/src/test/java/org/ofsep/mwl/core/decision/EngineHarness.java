package org.ofsep.mwl.core.decision;

import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.mapping.ShippedMapping;

/** Runs the engine with the shipped mapping (or an edit of it) on the 3 T Siemens station. */
final class EngineHarness {
    static final MappingSnapshot SHIPPED = ShippedMapping.load();
    static final OfsepDecisionEngine ENGINE = new OfsepDecisionEngine();

    private EngineHarness() {
    }

    static Decision decide(OrderFixture f) {
        return decide(SHIPPED, f);
    }

    static Decision decide(MappingSnapshot m, OrderFixture f) {
        Station station = m.station("MR_SIEMENS").orElseThrow();
        return ENGINE.decide(m, f.order(), f.procedure(), station, f.history, OrderFixture.EXAM.plusDays(100));
    }

    static MappingSnapshot edited(String from, String to) {
        return MappingLoader.parse(ShippedMapping.edit(from, to), "edited-mapping.yaml");
    }
}
