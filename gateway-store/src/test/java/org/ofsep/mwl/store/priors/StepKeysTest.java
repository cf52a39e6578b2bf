package org.ofsep.mwl.store.priors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.order.OrderPlanner;
import org.ofsep.mwl.core.order.ProcedureRequest;

/** The re-decision finds each step of an order by the key the order planner stored it under. */
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
        var mine = JdbcRedecisions.StepKeys.byStepKey(procs);
        assertEquals(procs.size(), mine.size());
        assertEquals(new HashSet<>(OrderPlanner.stepKeys(procs)), mine.keySet());
    }
}
