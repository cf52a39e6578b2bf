package org.ofsep.mwl.core.decision;

import java.util.ArrayList;
import java.util.List;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.PacsPriors;
import org.ofsep.mwl.core.priors.PriorFindings;

/**
 * Turns what the PACS returned into the typed input of the OFSEP decision ({@link PacsPriors}: the most recent
 * comparable brain MRI date, whether it had a 3D FLAIR, the last spinal cord MRI date, each with the study that
 * says so) and into the reason that names the study. How the decision weighs them against the order's own facts
 * is in {@code FactExtractor.extract} (the most recent comparable exam, whoever states it).
 */
public final class PriorFacts {

    private PriorFacts() {
    }

    /**
     * What the PACS's answer gives the decision.
     *
     * @param reason the line naming the study ({@link #reason})
     * @param source "DIMSE PACS@pacs:104"
     */
    public static PacsPriors of(PriorFindings f, String reason, String source) {
        PriorFindings.Classified d = f.deciding();
        PriorFindings.Classified spine = f.lastSpine();
        return new PacsPriors(source, d == null ? null : d.date(), d != null && d.flair3d() != null,
                d == null ? null : d.describe(), d == null || d.flair3d() == null ? null : d.flair3d().label(),
                spine == null ? null : spine.date(), spine == null ? null : spine.describe(), reason);
    }

    /**
     * The PACS facts a decision was made with (its facts traced to a PACS study, its "Priors checked at" line), or
     * null when none of its facts came from the PACS. Deciding the same order again with them gives the same
     * outcome: how a re-decision recognises a step decided at intake with an earlier (cached) PACS answer.
     */
    public static PacsPriors usedBy(Decision d) {
        if (d == null) {
            return null;
        }
        String source = null;
        java.time.LocalDate brain = null;
        boolean flair = false;
        String brainStudy = null;
        String flairSeries = null;
        java.time.LocalDate spine = null;
        String spineStudy = null;
        for (org.ofsep.mwl.core.domain.Fact f : d.facts()) {
            if (f.source() == null || !f.source().startsWith("PACS ")) {
                continue;
            }
            source = f.source().substring(5);
            try {
                switch (f.name()) {
                    case "priorBrainMri" -> {
                        brain = java.time.LocalDate.parse(f.value());
                        brainStudy = f.text();
                    }
                    case "priorMri3dFlair" -> {
                        flair = "yes".equals(f.value());
                        flairSeries = flair ? f.text() : null;
                    }
                    case "lastSpineMri" -> {
                        spine = java.time.LocalDate.parse(f.value());
                        spineStudy = f.text();
                    }
                    default -> {
                    }
                }
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
        if (source == null) {
            return null;
        }
        String reason = d.reasons().stream().filter(r -> r.startsWith("Priors checked at ")).findFirst().orElse(null);
        return new PacsPriors(source, brain, brain != null && flair, brainStudy, flairSeries, spine, spineStudy, reason);
    }

    /**
     * The reason the PACS's answer gives the decision; with {@code severalIssuersSetAside} (the studies set aside
     * because the PACS holds the Patient ID under several issuers and the order names none) said after it, as the
     * served decision and {@code gateway priors} both write it.
     */
    public static String reason(PriorFindings f, int lookbackYears, String checkedAt, String source,
                                int severalIssuersSetAside) {
        return reason(f, lookbackYears, checkedAt, source) + (severalIssuersSetAside == 0 ? "" : " "
                + severalIssuersSetAside + " other stud" + (severalIssuersSetAside == 1 ? "y" : "ies")
                + " set aside: the PACS holds this Patient ID under several issuers and the order names none (PID-3.4).");
    }

    /**
     * The reason naming what the PACS returned: the deciding study (date, description, Study Instance UID), its
     * 3D FLAIR series, and the last spinal cord MRI.
     *
     * @param checkedAt "2026-12-04 17:50 UTC"
     * @param source    "DIMSE PACS@pacs:104"
     */
    public static String reason(PriorFindings f, int lookbackYears, String checkedAt, String source) {
        StringBuilder sb = new StringBuilder("Priors checked at ").append(checkedAt).append(" (PACS ").append(source)
                .append("): ");
        PriorFindings.Classified d = f.deciding();
        if (d == null) {
            sb.append("no brain MRI of this patient in the last ").append(lookbackYears).append(" years");
        } else if (d.flair3d() != null) {
            sb.append("most recent comparable brain MRI ").append(d.describe()).append(", with 3D FLAIR series '")
                    .append(d.flair3d().label()).append("'");
            if (f.lastBrain() != null && f.lastBrain() != d) {
                sb.append("; a later brain MRI ").append(f.lastBrain().describe()).append(" has no 3D FLAIR");
            }
        } else {
            sb.append("most recent brain MRI ").append(d.describe());
            if (d.belowFieldStrength() != null) {
                sb.append(": its ").append(d.belowFieldStrength()).append(": not comparable (OFSEP 2020: acquisitions"
                        + " at 1.5 T at least)");
            } else if (d.seriesUndescribed()) {
                sb.append(": the PACS returned no series description or protocol name, so a 3D FLAIR cannot be"
                        + " recognised: not taken as comparable");
            } else {
                sb.append(" has no 3D FLAIR series: not comparable (OFSEP 2020 standardized protocol)");
            }
        }
        if (f.lastSpine() != null) {
            sb.append("; last spinal cord MRI ").append(f.lastSpine().describe());
        }
        return sb.append('.').toString();
    }

    /** The reason when the PACS could not be asked: the intake decision stays. */
    public static String unavailableReason(String checkedAt, String source, String why) {
        return "Priors not checked: the PACS (" + source + ") could not be asked at " + checkedAt + " (" + why
                + "); the decision uses only what the order and the gateway's history say.";
    }

    /** The decision with {@code reason} placed after the first reason (why it is an MS order). */
    public static Decision withReason(Decision d, String reason) {
        List<String> reasons = new ArrayList<>(d.reasons());
        reasons.removeIf(r -> r.startsWith("Priors checked at ") || r.startsWith("Priors not checked: "));
        reasons.add(Math.min(1, reasons.size()), reason);
        return new Decision(d.ofsep(), d.examCard(), d.contrast(), d.contrastOptional(), d.spine(), d.spineDue(),
                d.rule(), reasons, d.alerts(), d.contrastDose(), d.nextMriMonths(), d.optionalSequences(),
                d.defaultCodes(), d.vendorCodes(), d.facts());
    }

    /** Whether two decisions differ in what the console or the patient gets (not in the reasons' wording). */
    /**
     * The same clinical decision (card, Gd, spine, rule), whatever the mapping renders of it (codes, agent, dose,
     * alert wording): what a mapping reload changes without re-deciding the step.
     */
    public static boolean sameClinicalOutcome(Decision a, Decision b) {
        return a.ofsep() == b.ofsep() && a.examCard() == b.examCard() && a.contrast() == b.contrast()
                && a.contrastOptional() == b.contrastOptional() && a.spine() == b.spine()
                && a.spineDue() == b.spineDue() && java.util.Objects.equals(a.rule(), b.rule());
    }

    public static boolean sameOutcome(Decision a, Decision b) {
        return a.ofsep() == b.ofsep() && a.examCard() == b.examCard() && a.contrast() == b.contrast()
                && a.contrastOptional() == b.contrastOptional() && a.spine() == b.spine()
                && a.spineDue() == b.spineDue() && java.util.Objects.equals(a.rule(), b.rule())
                && a.defaultCodes().equals(b.defaultCodes()) && a.vendorCodes().equals(b.vendorCodes())
                && java.util.Objects.equals(a.contrastDose(), b.contrastDose()) && a.alerts().equals(b.alerts());
    }
}
