package org.ofsep.mwl.store.priors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.planning.OrderPlanner;
import org.ofsep.mwl.core.order.ProcedureRequest;

/** The re-decision finds each step of an order by the key the order planner stored it under: one key each. */
class StepKeysTest {

    static ProcedureRequest proc(String acc, String rp, String sps, String code) {
        return new ProcedureRequest(acc, rp, new ProtocolCode(code, "99RIS", code), null, "MR", null, null, null, sps,
                null, null, List.of());
    }

    @Test
    void sameKeysAsTheOrderPlanner() {
        List<ProcedureRequest> procs = List.of(proc("A1", "RP1", null, "IRMSEP"), proc("A2", "RP2", "S9", "IRMSEP"),
                proc("A1", "RP1", null, "IRMSEP"), proc("A1", "RP1", null, "SPINE"), proc(null, null, null, "IRMSEP"),
                proc("A2", "RP2", null, "SPINE"));
        var keys = OrderPlanner.stepKeys(procs);
        assertEquals(procs.size(), keys.size());
        for (ProcedureRequest p : procs) {
            assertTrue(keys.values().stream().anyMatch(v -> v == p), "every procedure has its own key");
        }
        assertEquals(new HashSet<>(List.of("A:A1|R:RP1|C:IRMSEP#1", "A:A2|R:RP2|S:S9", "A:A1|R:RP1|C:IRMSEP#2",
                "A:A1|R:RP1|C:SPINE#1", "A:|R:|C:IRMSEP#1", "A:A2|R:RP2|C:SPINE#1")), keys.keySet());
    }
}
