package org.ofsep.mwl.core.decision;

import java.time.LocalDate;
import java.util.List;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;

/** Decides the OFSEP exam card and contrast for one ordered procedure. Pure: no I/O, no clock. */
public interface DecisionEngine {

    /**
     * @param mapping   the mapping snapshot in force
     * @param order     the order (patient, weight, diagnosis codes)
     * @param procedure the procedure step being decided (code, reason, OBX context)
     * @param station   the station it is scheduled on (field strength, vendor)
     * @param history   the patient's completed exams known to the gateway, newest first
     * @param today     the reference date when the order has no scheduled date
     * @return the decision; {@link Decision#passThrough} shape for a non-MS order
     * @throws org.ofsep.mwl.core.order.OrderRejectedException when the order must be refused (station below 1.5 T)
     */
    Decision decide(Mapping mapping, OrderMessage order, ProcedureRequest procedure, Station station,
                    List<PriorExam> history, LocalDate today);

    /**
     * As above, with what the PACS says about the patient's previous MRIs ({@code pacs}, null when it was not
     * asked) as typed input beside the order's facts. An engine that does not use the PACS ignores it.
     */
    default Decision decide(Mapping mapping, OrderMessage order, ProcedureRequest procedure, Station station,
                            List<PriorExam> history, LocalDate today, org.ofsep.mwl.core.domain.PacsPriors pacs) {
        return decide(mapping, order, procedure, station, history, today);
    }
}
