package org.ofsep.mwl.core.decision;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.Fact;
import org.ofsep.mwl.core.domain.PartialDate;
import org.ofsep.mwl.core.mapping.MappingDocument.ObservationCodes;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.Observation;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.core.priors.PriorFindings;

/**
 * Turns what the PACS returned into the three facts the OFSEP decision already uses (the last comparable brain
 * MRI date, whether it had a 3D FLAIR, the last spinal cord MRI date) and into the reason that names the study.
 *
 * <p>The facts reach the decision engine exactly as the order's own ones do (the {@code observations} codes of
 * the mapping). The PACS fills in what the order does not say and replaces what it says when the PACS knows
 * better: a comparable brain MRI from the PACS wins over no prior, a non-comparable one or an older one; a later
 * spinal cord MRI wins over an older one; a brain MRI without 3D FLAIR only fills in when the order says nothing.
 */
public final class PriorFacts {

    private PriorFacts() {
    }

    /** The procedure with the PACS facts merged into its observations; unchanged when the PACS adds nothing. */
    public static ProcedureRequest withPriors(MappingSnapshot m, ProcedureRequest proc, PriorFindings f) {
        ObservationCodes c = m.observationCodes();
        List<Observation> obs = new ArrayList<>(proc.observations());
        LocalDate orderPrior = date(obs, c.codingSystem(), c.priorMri());
        Boolean order3d = yesNo(obs, c.codingSystem(), c.priorMri3dFlair());
        LocalDate orderSpine = date(obs, c.codingSystem(), c.lastSpineMri());
        boolean changed = false;
        PriorFindings.Classified comparable = f.lastComparable();
        if (comparable != null) {
            boolean orderComparable = orderPrior != null && !Boolean.FALSE.equals(order3d);
            if (!orderComparable || orderPrior.isBefore(comparable.date())) {
                remove(obs, c.codingSystem(), c.priorMri());
                remove(obs, c.codingSystem(), c.priorMri3dFlair());
                obs.add(Observation.ofDate(c.priorMri(), c.codingSystem(), day(comparable.date())));
                obs.add(new Observation(c.priorMri3dFlair(), c.codingSystem(), "ST", "Y", null));
                changed = true;
            }
        } else if (f.lastBrain() != null && orderPrior == null) {
            remove(obs, c.codingSystem(), c.priorMri3dFlair());
            obs.add(Observation.ofDate(c.priorMri(), c.codingSystem(), day(f.lastBrain().date())));
            obs.add(new Observation(c.priorMri3dFlair(), c.codingSystem(), "ST", "N", null));
            changed = true;
        }
        if (f.lastSpine() != null && (orderSpine == null || orderSpine.isBefore(f.lastSpine().date()))) {
            remove(obs, c.codingSystem(), c.lastSpineMri());
            obs.add(Observation.ofDate(c.lastSpineMri(), c.codingSystem(), day(f.lastSpine().date())));
            changed = true;
        }
        if (!changed) {
            return proc;
        }
        return new ProcedureRequest(proc.accessionNumber(), proc.requestedProcedureId(), proc.procedureCode(),
                proc.scheduledStart(), proc.modality(), proc.reason(), proc.clinicalInfo(), proc.studyInstanceUid(),
                proc.spsId(), proc.stationAeTitle(), proc.fields(), obs, proc.comments());
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
            if (d.seriesUndescribed()) {
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
        return withReason(d, reason, null, null);
    }

    /**
     * The decision with {@code reason} placed after the first reason, and the facts the PACS gave (previous brain
     * MRI, its 3D FLAIR, last spine MRI) traced to the PACS study instead of the observation they travelled in.
     */
    public static Decision withReason(Decision d, String reason, PriorFindings f, String source) {
        List<String> reasons = new ArrayList<>(d.reasons());
        reasons.removeIf(r -> r.startsWith("Priors checked at ") || r.startsWith("Priors not checked: "));
        reasons.add(Math.min(1, reasons.size()), reason);
        List<Fact> facts = d.facts();
        if (f != null) {
            List<Fact> traced = new ArrayList<>();
            for (Fact x : facts) {
                traced.add(traced(x, f, source));
            }
            facts = traced;
        }
        return new Decision(d.ofsep(), d.examCard(), d.contrast(), d.contrastOptional(), d.spine(), d.spineDue(),
                d.rule(), reasons, d.alerts(), d.contrastDose(), d.nextMriMonths(), d.optionalSequences(),
                d.defaultCodes(), d.vendorCodes(), facts);
    }

    private static Fact traced(Fact x, PriorFindings f, String source) {
        if (x.source() == null || !x.source().startsWith("OBX-5")) {
            return x;
        }
        PriorFindings.Classified brain = f.deciding();
        String pacs = "PACS " + source;
        return switch (x.name()) {
            case "priorBrainMri" -> brain != null && brain.date().toString().equals(x.value())
                    ? new Fact(x.name(), x.value(), pacs, brain.describe()) : x;
            case "priorMri3dFlair" -> brain != null && (brain.flair3d() != null ? "yes" : "no").equals(x.value())
                    ? new Fact(x.name(), x.value(), pacs, brain.flair3d() != null ? brain.flair3d().label() : brain.describe()) : x;
            case "lastSpineMri" -> f.lastSpine() != null && f.lastSpine().date().toString().equals(x.value())
                    ? new Fact(x.name(), x.value(), pacs, f.lastSpine().describe()) : x;
            default -> x;
        };
    }

    /** Whether two decisions differ in what the console or the patient gets (not in the reasons' wording). */
    public static boolean sameOutcome(Decision a, Decision b) {
        return a.ofsep() == b.ofsep() && a.examCard() == b.examCard() && a.contrast() == b.contrast()
                && a.contrastOptional() == b.contrastOptional() && a.spine() == b.spine()
                && a.spineDue() == b.spineDue() && java.util.Objects.equals(a.rule(), b.rule())
                && a.defaultCodes().equals(b.defaultCodes()) && a.vendorCodes().equals(b.vendorCodes())
                && java.util.Objects.equals(a.contrastDose(), b.contrastDose()) && a.alerts().equals(b.alerts());
    }

    private static boolean is(Observation o, String system, String code) {
        return o != null && o.code() != null && code != null && o.code().trim().equalsIgnoreCase(code.trim())
                && (o.system() == null || o.system().isBlank() || system == null
                || o.system().trim().equalsIgnoreCase(system.trim()));
    }

    private static void remove(List<Observation> obs, String system, String code) {
        obs.removeIf(o -> is(o, system, code));
    }

    /** The last date the order's observations give for the code (typed by the edge that parsed the order). */
    private static LocalDate date(List<Observation> obs, String system, String code) {
        LocalDate out = null;
        for (Observation o : obs) {
            if (is(o, system, code) && o.date() != null) {
                out = o.date().date();
            }
        }
        return out;
    }

    private static PartialDate day(LocalDate date) {
        return PartialDate.of(date.getYear(), date.getMonthValue(), date.getDayOfMonth());
    }

    private static Boolean yesNo(List<Observation> obs, String system, String code) {
        Boolean out = null;
        for (Observation o : obs) {
            if (is(o, system, code) && o.value() != null) {
                String v = o.value().trim().toLowerCase(java.util.Locale.ROOT);
                if (List.of("y", "yes", "o", "oui", "1", "true").contains(v)) {
                    out = true;
                } else if (List.of("n", "no", "non", "0", "false").contains(v)) {
                    out = false;
                }
            }
        }
        return out;
    }
}
