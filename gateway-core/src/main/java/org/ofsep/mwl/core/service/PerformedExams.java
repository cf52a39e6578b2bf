package org.ofsep.mwl.core.service;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.PerformedStep;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.mapping.MappingDocument.CardName;
import org.ofsep.mwl.core.mapping.MappingSnapshot;

/**
 * What a completed MPPS tells about the exam actually performed, for the patient's history. The scheduled
 * decision says what was planned; the Performed Protocol Code Sequence says what was done and wins: a code the
 * mapping's {@code protocolCodes} lists (the OFSEP code of an entry or any vendor's code of it, same value and
 * scheme) stands for its entry's card and contrast (a SPINE entry for the spine); another code of scheme 99OFSEP
 * is read by its words (OFSEP-FULL-GD, OFSEP-ROUTINE, OFSEP-PML, OFSEP-SPINE...); any other code says nothing.
 */
public final class PerformedExams {

    public static final String OFSEP_SCHEME = "99OFSEP";

    private PerformedExams() {
    }

    /**
     * What the performed codes show, if any: card (null when they do not say), contrast (null when they do not say:
     * a code the mapping gives to entries with and without Gd), spine.
     */
    public record Performed(ExamCard card, Boolean contrast, boolean spine) {
    }

    /** {@link #fromCodes(List, MappingSnapshot)} without a mapping: the 99OFSEP codes read by their words only. */
    public static Optional<Performed> fromCodes(List<ProtocolCode> codes) {
        return fromCodes(codes, null);
    }

    /**
     * What the performed codes show. Codes of several entries add up (a brain code and a spine code: the brain's
     * card, the spine, Gd when either was injected); of several brain cards FULL wins, else the first one. A code
     * the mapping gives to several entries says only what they agree on (the card of FULL with and without Gd, not
     * the contrast). Empty when no code is the mapping's or of scheme 99OFSEP.
     */
    public static Optional<Performed> fromCodes(List<ProtocolCode> codes, MappingSnapshot mapping) {
        ExamCard card = null;
        Boolean contrast = null;
        boolean spine = false;
        boolean any = false;
        for (ProtocolCode code : codes) {
            if (code == null || code.value() == null || code.scheme() == null) {
                continue;
            }
            List<MappingSnapshot.CodedProtocol> listed = mapping == null ? List.of() : mapping.protocolsOf(code);
            ExamCard codeCard;
            Boolean codeContrast;
            boolean codeSpine;
            if (!listed.isEmpty()) {
                Set<CardName> cards = listed.stream().map(MappingSnapshot.CodedProtocol::card)
                        .collect(Collectors.toSet());
                Set<Boolean> gd = listed.stream().map(MappingSnapshot.CodedProtocol::contrast)
                        .collect(Collectors.toSet());
                CardName only = cards.size() == 1 ? cards.iterator().next() : null;
                codeCard = only == null || only == CardName.SPINE ? null : brainCard(only);
                codeSpine = only == CardName.SPINE;
                codeContrast = gd.size() == 1 ? gd.iterator().next() : null;
            } else if (OFSEP_SCHEME.equalsIgnoreCase(code.scheme().trim())) {
                Set<String> tokens = Set.of(code.value().toUpperCase(Locale.ROOT).split("[-_ .]+"));
                codeCard = tokens.contains("FULL") ? ExamCard.FULL : tokens.contains("ROUTINE") ? ExamCard.ROUTINE
                        : tokens.contains("PML") ? ExamCard.PML_SHORT : null;
                codeContrast = tokens.contains("GD") || tokens.contains("GADO") || tokens.contains("GADOLINIUM");
                codeSpine = tokens.contains("SPINE") || tokens.contains("MOELLE");
            } else {
                continue;
            }
            any = true;
            if (codeCard == ExamCard.FULL || card == null) {
                card = codeCard == null ? card : codeCard;
            }
            if (codeContrast != null) {
                contrast = Boolean.TRUE.equals(contrast) || codeContrast;
            }
            spine |= codeSpine;
        }
        return any ? Optional.of(new Performed(card, contrast, spine)) : Optional.empty();
    }

    private static ExamCard brainCard(CardName card) {
        return switch (card) {
            case FULL -> ExamCard.FULL;
            case ROUTINE -> ExamCard.ROUTINE;
            case PML_SHORT -> ExamCard.PML_SHORT;
            case SPINE -> null;
        };
    }

    /** {@link #priorExam(PerformedStep, List, LocalDate, MappingSnapshot)} without a mapping. */
    public static Optional<PriorExam> priorExam(PerformedStep mpps, List<WorklistItem> items, LocalDate fallbackDate) {
        return priorExam(mpps, items, fallbackDate, null);
    }

    /**
     * The history entry for a completed MPPS, or empty when it was not an OFSEP exam (neither a scheduled
     * OFSEP decision nor OFSEP performed codes).
     */
    public static Optional<PriorExam> priorExam(PerformedStep mpps, List<WorklistItem> items, LocalDate fallbackDate,
                                                MappingSnapshot mapping) {
        Optional<Performed> performed = fromCodes(mpps.performedProtocolCodes(), mapping);
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
            if (p.contrast() != null) {
                if (!p.contrast() && contrast) {
                    mmol = null; // planned with Gd, performed without: the planned dose was not given
                }
                contrast = p.contrast(); // (planned without Gd, performed with it: the dose is not known)
            }
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
