package org.ofsep.mwl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GcPausesTest {

    private static final String BEFORE = """
            # HELP jvm_gc_pause_seconds Time spent in GC pause
            # TYPE jvm_gc_pause_seconds summary
            jvm_gc_pause_seconds_count{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 10.0
            jvm_gc_pause_seconds_sum{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 0.150
            jvm_gc_pause_seconds_count{action="end of major GC",cause="System.gc()",gc="G1 Old Generation"} 1.0
            jvm_gc_pause_seconds_sum{action="end of major GC",cause="System.gc()",gc="G1 Old Generation"} 0.060
            # HELP jvm_gc_pause_seconds_max Time spent in GC pause
            # TYPE jvm_gc_pause_seconds_max gauge
            jvm_gc_pause_seconds_max{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 0.018
            jvm_gc_pause_seconds_max{action="end of major GC",cause="System.gc()",gc="G1 Old Generation"} 0.0
            mwl_cfind_duration_seconds_count 3.0
            """;

    @Test
    void pausesBetweenTwoScrapesAreSummedOverCollectorsAndCauses() {
        GcPauses.Snapshot before = GcPauses.parse(BEFORE);
        assertThat(before).isEqualTo(new GcPauses.Snapshot(11, 0.21, 0.018));
        GcPauses.Snapshot after = GcPauses.parse(BEFORE.replace("} 10.0", "} 25.0").replace("} 0.150", "} 0.450")
                .replace("} 0.018", "} 0.025"));
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) GcPauses.between(before, after);
        assertThat(m).containsEntry("count", 15L).containsEntry("total_ms", 300.0)
                .containsEntry("longest_ms_last_2_min", 25.0);
    }

    @Test
    void noPausesYetReadsAsNone() {
        assertThat(GcPauses.parse("mwl_cfind_duration_seconds_count 3.0\n")).isEqualTo(new GcPauses.Snapshot(0, 0, 0));
        assertThat(GcPauses.between(null, null)).isEqualTo("no /metrics");
    }
}
