package org.ofsep.mwl.store.service;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.ofsep.mwl.core.decision.DecisionEngine;
import org.ofsep.mwl.core.domain.ContrastDose;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.RuleId;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;

/**
 * A stand-in for the OFSEP engine with just enough behaviour to prove the store feeds it: an MS order (G35)
 * without a prior MRI in the last 2 years gets FULL with Gd; with one it gets ROUTINE without Gd; the reasons
 * say how many priors were seen. Anything else passes through.
 */
public final class FakeDecisionEngine implements DecisionEngine {

    @Override
    public Decision decide(Mapping mapping, OrderMessage order, ProcedureRequest procedure, Station station,
                           List<PriorExam> history, LocalDate today) {
        if (!order.diagnosisCodes().contains("G35")) {
            return Decision.passThrough(procedure.procedureCode());
        }
        boolean recentPrior = history.stream().anyMatch(p -> p.date().isAfter(today.minusYears(2)));
        ExamCard card = recentPrior ? ExamCard.ROUTINE : ExamCard.FULL;
        boolean gd = !recentPrior;
        Double kg = procedure.observations().stream().filter(o -> "29463-7".equals(o.code()) && o.number() != null)
                .map(o -> o.number().value().doubleValue()).findFirst().orElse(null);
        ContrastDose dose = gd && kg != null ? new ContrastDose("gadobutrol", kg * 0.1, kg * 0.1) : null;
        ProtocolCode code = new ProtocolCode(gd ? "OFSEP-FULL-GD" : "OFSEP-ROUTINE", "99OFSEP",
                "OFSEP " + card + (gd ? " with Gd" : " without Gd"));
        return new Decision(true, card, gd, false, false, false, recentPrior ? RuleId.ROUTINE_FOLLOW_UP : RuleId.DIAGNOSIS,
                List.of("priors seen: " + history.size()), List.of(), dose, 12, List.of(), List.of(code),
                Map.of(Vendor.SIEMENS, List.of(new ProtocolCode("SIE_" + card, "99SIEMENS", card.name()))));
    }
}
