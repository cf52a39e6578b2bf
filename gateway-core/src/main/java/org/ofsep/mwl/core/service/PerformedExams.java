package org.ofsep.mwl.core.service;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.PerformedStep;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.WorklistItem;

/**
 * What a completed MPPS tells about the exam actually performed, for the patient's history. The scheduled
 * decision says what was planned; the Performed Protocol Code Sequence, when it carries OFSEP codes (scheme
 * 99OFSEP, values such as OFSEP-FULL-GD, OFSEP-ROUTINE, OFSEP-PML, OFSEP-SPINE), says what was done and wins.
 */
public final class PerformedExams {

    public static final String OFSEP_SCHEME = "99OFSEP";

    private PerformedExams() {
    }

    /** What the performed OFSEP codes show, if any: card, contrast, spine. */
    public record Performed(ExamCard card, boolean contrast, boolean spine) {
    }

    public static Optional<Performed> fromCodes(List<ProtocolCode> codes) {
        ExamCard card = null;
        boolean contrast = false;
        boolean spine = false;
        boolean any = false;
        for (ProtocolCode code : codes) {
            if (code == null || code.scheme() == null || !OFSEP_SCHEME.equalsIgnoreCase(code.scheme().trim())
                    || code.value() == null) {
                continue;
            }
            any = true;
            Set<String> tokens = Set.of(code.value().toUpperCase(Locale.ROOT).split("[-_ .]+"));
            if (tokens.contains("FULL")) {
                card = ExamCard.FULL;
            } else if (tokens.contains("ROUTINE") && card == null) {
                card = ExamCard.ROUTINE;
            } else if (tokens.contains("PML") && card == null) {
                card = ExamCard.PML_SHORT;
            }
            if (tokens.contains("GD") || tokens.contains("GADO") || tokens.contains("GADOLINIUM")) {
                contrast = true;
            }
            if (tokens.contains("SPINE") || tokens.contains("MOELLE")) {
                spine = true;
            }
        }
        return any ? Optional.of(new Performed(card, contrast, spine)) : Optional.empty();
    }

    /**
     * The history entry for a completed MPPS, or empty when it was not an OFSEP exam (neither a scheduled
     * OFSEP decision nor OFSEP performed codes).
     */
    public static Optional<PriorExam> priorExam(PerformedStep mpps, List<WorklistItem> items, LocalDate fallbackDate) {
        Optional<Performed> performed = fromCodes(mpps.performedProtocolCodes());
        ExamCard card = null;
        boolean contrast = false;
        boolean spine = false;
        Double mmol = null;
        boolean ofsep = false;
        String accession = mpps.accessionNumber();
        String patientId = mpps.patientId();
        for (WorklistItem item : items) {
            Decision d = item.decision();
            if (patientId == null || patientId.isBlank()) {
                patientId = item.patient().id();
            }
            if (accession == null) {
                accession = item.accessionNumber();
            }
            if (d == null || !d.ofsep()) {
                continue;
            }
            ofsep = true;
            if (card == null) {
                card = d.examCard();
            }
            contrast |= d.contrast();
            spine |= d.spine();
            if (d.contrast() && d.contrastDose() != null) {
                mmol = (mmol == null ? 0 : mmol) + d.contrastDose().mmol();
            }
        }
        if (performed.isPresent()) {
            Performed p = performed.get();
            ofsep = true;
            if (p.card() != null) {
                card = p.card();
            }
            if (!p.contrast() && contrast) {
                mmol = null; // planned with Gd, performed without: the planned dose was not given
            }
            contrast = p.contrast();
            spine |= p.spine();
        }
        if (!ofsep || patientId == null || patientId.isBlank()) {
            return Optional.empty();
        }
        LocalDate date = mpps.end() != null ? mpps.end().toLocalDate()
                : mpps.start() != null ? mpps.start().toLocalDate() : fallbackDate;
        return Optional.of(new PriorExam(patientId.trim(), date, card, contrast, contrast ? mmol : null, spine,
                accession));
    }
}
