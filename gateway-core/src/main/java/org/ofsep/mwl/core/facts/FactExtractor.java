package org.ofsep.mwl.core.facts;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.Fact;
import org.ofsep.mwl.core.domain.PartialDate;
import org.ofsep.mwl.core.mapping.MappingDocument;
import org.ofsep.mwl.core.mapping.MappingDocument.CodedObservation;
import org.ofsep.mwl.core.mapping.MappingDocument.ObservationCodes;
import org.ofsep.mwl.core.mapping.MappingDocument.ObservationConcept;
import org.ofsep.mwl.core.mapping.MappingDocument.UnitEntry;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.Observation;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;

/**
 * Reads the {@link ClinicalFacts} of one ordered procedure: the 99OFSEP OBX codes and the standard observations
 * of the mapping (LOINC codes, UCUM units) first, then the free text of OBR-13, OBR-31, the NTE comments and the
 * text OBX (TX, FT, ST). A structured value beats the text; when they disagree the conflict is reported. When no
 * eGFR is given, it is computed from a creatinine with CKD-EPI 2021 (PID-7 birth date and PID-8 sex at the exam
 * date). A unit the mapping does not list is never guessed: the value is not used and a note says why. Pure.
 *
 * <p>The OBX dates and numbers arrive typed ({@link Observation#date()}, {@link Observation#number()}): the edge
 * that parsed the order read them (gateway-hl7 for HL7); only the free text's dates and numbers are read here.
 */
public final class FactExtractor {

    /** The compiled settings of one mapping document (dictionary, units, text reader). */
    private record Settings(MappingDocument doc, TreatmentDictionary dictionary, FreeTextReader reader) {
    }

    private static volatile Settings cached;

    private FactExtractor() {
    }

    private static Settings settings(MappingSnapshot m) {
        MappingDocument doc = m.document();
        Settings s = cached;
        if (s != null && s.doc() == doc) {
            return s;
        }
        List<String> generics = new ArrayList<>();
        List<List<String>> names = new ArrayList<>();
        List<Boolean> risk = new ArrayList<>();
        if (doc.treatments() != null) {
            for (var t : doc.treatments()) {
                generics.add(t.generic());
                names.add(t.names());
                risk.add(t.pmlRisk());
            }
        }
        TreatmentDictionary dict = TreatmentDictionary.of(generics, names, risk);
        ObservationConcept creat = doc.standardObservations() == null ? null : doc.standardObservations().creatinine();
        var text = doc.clinicalText();
        FreeTextReader reader = new FreeTextReader(dict, (v, u) -> convert(creat, v, u),
                text == null ? null : text.priorMri3dFlairYes(), text == null ? null : text.priorMri3dFlairNo(),
                text == null ? null : text.pregnancyYes(), text == null ? null : text.pregnancyNo(),
                text == null ? null : text.gdAllergyYes(), text == null ? null : text.gdAllergyNo());
        s = new Settings(doc, dict, reader);
        cached = s;
        return s;
    }

    /** The treatment dictionary of a mapping. */
    public static TreatmentDictionary dictionary(MappingSnapshot m) {
        return settings(m).dictionary();
    }

    /**
     * @param ref the exam date (the procedure's scheduled date, else today): ages and previous MRIs are counted to
     *            it; the text's relative dates and durations to the day the order was written
     *            ({@link OrderMessage#writtenOn()}) when it is known and earlier
     */
    public static ClinicalFacts extract(MappingSnapshot m, OrderMessage order, ProcedureRequest procedure,
                                        LocalDate ref) {
        return extract(m, order, procedure, ref, null);
    }

    /**
     * The order's facts and the PACS's ({@code pacs}, null when the PACS was not asked), merged as the OFSEP 2020
     * follow-up needs them: the most recent <em>comparable</em> brain MRI (with a 3D FLAIR), whoever states it, and
     * the most recent spinal cord MRI. So a PACS study wins over an order that states no prior, a prior without a
     * 3D FLAIR, or an older (or the same) date; the order's date stays when it states a comparable exam more recent
     * than any in the PACS (an exam done elsewhere). A PACS brain MRI without a 3D FLAIR only fills in when the
     * order states no prior date. When both state a date and they differ, a note says which was used and why.
     */
    public static ClinicalFacts extract(MappingSnapshot m, OrderMessage order, ProcedureRequest procedure,
                                        LocalDate ref, org.ofsep.mwl.core.domain.PacsPriors pacs) {
        Settings s = settings(m);
        Builder b = new Builder();
        LocalDate written = order == null ? null : order.writtenOn();
        structured(m, s, procedure, b);
        List<FreeTextReader.TextFacts> texts = new ArrayList<>();
        texts.add(s.reader().read("OBR-13", procedure.clinicalInfo(), ref, written));
        texts.add(s.reader().read("OBR-31", procedure.reason(), ref, written));
        for (String nte : procedure.comments()) {
            texts.add(s.reader().read("NTE-3", nte, ref, written));
        }
        for (Observation o : procedure.observations()) {
            if (o != null && o.value() != null && isText(o) && !b.usedObx.contains(o)) {
                texts.add(s.reader().read("OBX-5 " + label(o), o.value(), ref, written));
            } else if (o != null && o.number() != null && o.label() != null && !b.usedObx.contains(o)) {
                // a number under a local code the mapping does not list, read by its name as the text would be:
                // "JCVI^Anti-JCV antibody index^L" 2.1, "CREA^Créatinine^L" 250 umol/L ("index 2.1" in OBR-13 was
                // read, the same value in its own OBX was not)
                String text = o.label() + " " + o.value().trim() + (o.units() == null ? "" : " " + o.units());
                texts.add(s.reader().read("OBX-5 " + label(o) + " (" + o.label() + ")", text, ref, written));
            }
        }
        for (FreeTextReader.TextFacts t : texts) {
            b.notes.addAll(t.notes);
            b.treatment = pick(b.treatment, t.treatment, b, (x, y) -> x.generic().equals(y.generic()));
            b.start = pick(b.start, t.treatmentStart, b, FactExtractor::sameDate);
            Evidence<PartialDate> plannedBefore = b.planned;
            b.planned = pick(b.planned, t.plannedStart, b, FactExtractor::sameDate);
            if (b.planned != plannedBefore && t.plannedNewTreatment) {
                b.plannedNew = true;
            }
            b.priorMri = pick(b.priorMri, t.priorBrainMri, b, FactExtractor::sameDate);
            b.priorMentioned = pick(b.priorMentioned, t.priorBrainMriMentioned, b, Boolean::equals);
            b.prior3d = pick(b.prior3d, t.priorMri3dFlair, b, Boolean::equals);
            b.lastSpine = pick(b.lastSpine, t.lastSpineMri, b, FactExtractor::sameDate);
            b.jcvPos = pick(b.jcvPos, t.jcvPositive, b, Boolean::equals);
            b.jcvIndex = pick(b.jcvIndex, t.jcvIndex, b, (x, y) -> x.compareTo(y) == 0);
            b.textEgfr = pick(b.textEgfr, t.egfr, b, FactExtractor::close);
            if (t.egfrAtMost && b.textEgfr == t.egfr) {
                b.atMost.add(t.egfr);
            }
            b.textCreat = pick(b.textCreat, t.creatinineMgDl, b, FactExtractor::close);
            if (t.pregnant != null && b.pregnant != null && b.pregnant.structured()) {
                if (t.pregnant.value() && !b.pregnant.value()) {
                    // a pregnancy the text states against a coded "not pregnant": the risky one is kept (never
                    // silent when it is risky), and the alert names the conflict
                    b.conflicts.add("Conflict: pregnancy " + b.pregnant.fact().value() + " ("
                            + b.pregnant.fact().source() + ") but " + t.pregnant.fact().value() + " in "
                            + t.pregnant.fact().source() + " (\"" + t.pregnant.fact().text()
                            + "\"): the pregnancy is kept");
                    b.pregnant = t.pregnant;
                } else if (t.pregnant.value() && morePregnant(t.pregnant.fact(), b.pregnant.fact())) {
                    b.pregnant = t.pregnant; // "enceinte de 12 SA" in the text, the coded status "unknown"
                } else {
                    pick(b.pregnant, t.pregnant, b, Boolean::equals);
                }
            } else if (t.pregnant != null && (b.pregnant == null || morePregnant(t.pregnant.fact(), b.pregnant.fact()))) {
                b.pregnant = t.pregnant; // a pregnancy stated anywhere in the text is not overruled by other text
            }
        }
        for (FreeTextReader.TextFacts t : texts) {
            if (t.gdAllergy != null && b.gdAllergy == null) {
                b.gdAllergy = t.gdAllergy; // an allergy stated anywhere is kept; a denial elsewhere does not undo it
            }
        }
        allergies(s, order, b);
        if (b.start != null && b.planned != null) {
            if (b.plannedNew) {
                // a new treatment planned after the current one: this MRI is its baseline ("sous Tecfidera depuis
                // 2019, introduction d'Ocrevus prévue le 20/12/2026"); the current one's start is history
                b.start = null;
            } else {
                b.planned = null; // a current treatment with a start date: the planned one is a different statement
            }
        }
        if (b.pregnant != null && order != null && order.patient() != null && "M".equals(order.patient().sex())) {
            // an hCG in a man is a tumour marker, not a pregnancy (PregnancyStatus 3 and an alert for a man)
            b.notes.add("Pregnancy (" + b.pregnant.fact().value() + ", " + b.pregnant.fact().source()
                    + ") not used: the patient is male (PID-8).");
            b.pregnant = null;
        }
        pacs(b, pacs);
        egfr(order, ref, b);
        return b.build(order);
    }

    /**
     * The AL1 segments: each allergen is a fact ({@code allergy}, or {@code gdAllergy} when it names gadolinium or
     * a Gd-based agent), for Allergies (0010,2110) and the Gd allergy alert; "NKA" and the like are not allergens.
     * A Gd allergen in AL1 comes before one read from the text.
     */
    private static void allergies(Settings s, OrderMessage order, Builder b) {
        if (order == null) {
            return;
        }
        Evidence<Boolean> textGd = b.gdAllergy;
        Evidence<Boolean> al1Gd = null;
        int n = 0;
        for (org.ofsep.mwl.core.order.Allergy a : order.allergies()) {
            n++;
            String allergen = a.allergen();
            if (allergen == null || s.reader().deniesAllergy(allergen)) {
                continue;
            }
            String src = "AL1-3" + (order.allergies().size() > 1 ? " #" + n : "");
            String raw = a.code() == null || a.code().isBlank() ? allergen
                    : a.text() == null || a.text().isBlank() ? a.code() : a.code() + "^" + a.text();
            if (s.reader().namesGdAllergen(allergen) || s.reader().namesGdAllergen(a.code())) {
                Evidence<Boolean> e = new Evidence<>(true, new Fact("gdAllergy", allergen, src, raw), true);
                if (al1Gd == null) {
                    al1Gd = e;
                } else {
                    b.otherAllergies.add(e);
                }
            } else {
                b.otherAllergies.add(new Evidence<>(true, new Fact("allergy", allergen, src, raw), true));
            }
        }
        if (al1Gd != null) {
            b.gdAllergy = al1Gd;
            if (textGd != null) {
                b.otherAllergies.add(0, textGd); // both say it: the text's words stay in the trace
            }
        }
    }

    /** See {@link #extract(MappingSnapshot, OrderMessage, ProcedureRequest, LocalDate, org.ofsep.mwl.core.domain.PacsPriors)}. */
    private static void pacs(Builder b, org.ofsep.mwl.core.domain.PacsPriors p) {
        if (p == null) {
            return;
        }
        String src = p.factSource();
        if (p.brainMri() != null) {
            PartialDate said = b.priorMri == null ? null : b.priorMri.value();
            boolean saidComparable = said != null && !(b.prior3d != null && Boolean.FALSE.equals(b.prior3d.value()));
            boolean take = p.flair3d() ? !saidComparable || !said.date().isAfter(p.brainMri()) : said == null;
            String pacsSays = p.brainMri() + (p.flair3d() ? " with 3D FLAIR" : " without 3D FLAIR") + " (" + src + ": "
                    + p.brainStudy() + ")";
            if (take) {
                if (said != null && !said.date().equals(p.brainMri())) {
                    b.notes.add("Previous brain MRI: the order states " + said + (saidComparable ? "" : " without 3D FLAIR")
                            + " (" + b.priorMri.fact().source() + "), the PACS " + pacsSays + ": the most recent"
                            + " comparable exam is used, the PACS's.");
                }
                b.priorMri = new Evidence<>(new PartialDate(p.brainMri(), PartialDate.Precision.DAY),
                        new Fact("priorBrainMri", p.brainMri().toString(), src, p.brainStudy()), true);
                b.prior3d = new Evidence<>(p.flair3d(), new Fact("priorMri3dFlair", p.flair3d() ? "yes" : "no", src,
                        p.flair3d() && p.flairSeries() != null ? p.flairSeries() : p.brainStudy()), true);
                b.priorMentioned = null;
            } else if (said != null && !said.date().equals(p.brainMri())) {
                b.notes.add("Previous brain MRI: the order states " + said + (saidComparable ? "" : " without 3D FLAIR")
                        + " (" + b.priorMri.fact().source() + "), the PACS " + pacsSays + ": "
                        + (p.flair3d() ? "the order's, more recent, is used (an exam the PACS does not hold)."
                        : "the order's is used (the PACS's has no 3D FLAIR)."));
            }
        }
        if (p.spineMri() != null) {
            PartialDate said = b.lastSpine == null ? null : b.lastSpine.value();
            if (said == null || !said.date().isAfter(p.spineMri())) {
                if (said != null && !said.date().equals(p.spineMri())) {
                    b.notes.add("Last spinal cord MRI: the order states " + said + " (" + b.lastSpine.fact().source()
                            + "), the PACS " + p.spineMri() + " (" + src + ": " + p.spineStudy() + "): the most recent"
                            + " is used, the PACS's.");
                }
                b.lastSpine = new Evidence<>(new PartialDate(p.spineMri(), PartialDate.Precision.DAY),
                        new Fact("lastSpineMri", p.spineMri().toString(), src, p.spineStudy()), true);
            } else {
                b.notes.add("Last spinal cord MRI: the order states " + said + " (" + b.lastSpine.fact().source()
                        + "), the PACS " + p.spineMri() + " (" + src + ": " + p.spineStudy() + "): the order's, more"
                        + " recent, is used.");
            }
        }
    }

    private interface Same<T> {
        boolean same(T a, T b);
    }

    /** The structured value (or the first text) wins; a disagreement with a structured value is a conflict. */
    private static <T> Evidence<T> pick(Evidence<T> have, Evidence<T> text, Builder b, Same<T> same) {
        if (text == null) {
            return have;
        }
        if (have == null) {
            return text;
        }
        if (!same.same(have.value(), text.value())) {
            String msg = "Conflict: " + Fact.label(have.fact().name()) + " " + have.fact().value() + " ("
                    + have.fact().source() + ") but " + text.fact().value() + " in " + text.fact().source() + " (\""
                    + text.fact().text() + "\"): the " + (have.structured() ? "structured value" : "first text")
                    + " is used";
            if (have.structured()) {
                b.conflicts.add(msg);
            } else {
                b.notes.add(msg + ".");
            }
        }
        return have;
    }

    private static boolean sameDate(PartialDate a, PartialDate b) {
        // "03/2022" agrees with 2022-03-15: the less precise one contains the other
        return !a.date().isAfter(b.lastDay()) && !b.date().isAfter(a.lastDay());
    }

    private static boolean close(BigDecimal a, BigDecimal b) {
        BigDecimal diff = a.subtract(b).abs();
        BigDecimal max = a.abs().max(b.abs());
        return max.signum() == 0 || diff.compareTo(max.multiply(new BigDecimal("0.10"))) <= 0;
    }

    private static boolean isText(Observation o) {
        String t = o.valueType() == null ? "" : o.valueType().trim().toUpperCase(Locale.ROOT);
        return t.equals("TX") || t.equals("FT") || t.equals("ST");
    }

    private static String label(Observation o) {
        String sys = o.system() == null || o.system().isBlank() ? "" : o.system().trim() + " ";
        return sys + o.code().trim();
    }

    private static boolean matches(Observation o, CodedObservation c) {
        if (c == null || c.code() == null || !o.code().trim().equalsIgnoreCase(c.code().trim())) {
            return false;
        }
        return o.system() == null || o.system().isBlank() || c.codingSystem() == null
                || system(o.system()).equals(system(c.codingSystem()));
    }

    private static String system(String s) {
        String u = s.trim().toUpperCase(Locale.ROOT);
        return switch (u) {
            case "LOINC", "LN", "2.16.840.1.113883.6.1", "HTTP://LOINC.ORG" -> "LN";
            default -> u;
        };
    }

    private static boolean in(Observation o, ObservationConcept c) {
        return c != null && c.codes() != null && c.codes().stream().anyMatch(code -> matches(o, code));
    }

    private static void structured(MappingSnapshot m, Settings s, ProcedureRequest p, Builder b) {
        ObservationCodes c = m.observationCodes();
        var std = m.document().standardObservations();
        for (Observation o : p.observations()) {
            if (o == null || o.code() == null || o.code().isBlank()) {
                continue;
            }
            String raw = o.value() == null ? "" : o.value().trim();
            String src = "OBX-5 " + label(o);
            if (isWeight(m, o)) {
                b.usedObx.add(o);
                b.weightObserved = true;
                BigDecimal kg = weight(m, o, src, b);
                if (kg != null && b.weight == null) {
                    b.weight = new Evidence<>(kg, new Fact("weight", plain(kg.setScale(1, RoundingMode.HALF_UP))
                            + " kg", src, raw + unitText(o)), true);
                }
                continue;
            }
            if (std != null && in(o, std.egfr())) {
                b.usedObx.add(o);
                BigDecimal v = quantity(std.egfr(), o, "eGFR", src, b, null);
                if (v != null && b.egfr == null) {
                    b.egfr = bounded(b, o, new Evidence<>(v, new Fact("egfr", shown(o, v) + " mL/min/1.73m2", src,
                            raw + unitText(o)), true));
                }
                continue;
            }
            if (std != null && in(o, std.creatinine())) {
                b.usedObx.add(o);
                BigDecimal v = quantity(std.creatinine(), o, "creatinine", src, b, null);
                if (v != null && b.creat == null) {
                    b.creat = bounded(b, o, new Evidence<>(v, new Fact("creatinine", raw + unitText(o), src, null), true));
                }
                continue;
            }
            if (std != null && in(o, std.pregnancy())) {
                b.usedObx.add(o);
                if (pregnancyUnknown(raw)) {
                    // LA4489-6 Unknown: a pregnancy that is not ruled out counts as one (Gd waits for a person)
                    structuredPregnancy(b, new Evidence<>(true, new Fact("pregnancy", "not ruled out", src, raw), true));
                    continue;
                }
                Boolean v = coded(raw, "pregnancy status", src, b);
                if (v != null) {
                    structuredPregnancy(b, new Evidence<>(v, new Fact("pregnancy", v ? "yes" : "no", src, raw), true));
                }
                continue;
            }
            if (std != null && in(o, std.hcg())) {
                b.usedObx.add(o);
                Boolean v = hcg(std.hcg(), o, raw, src, b);
                if (v != null) {
                    structuredPregnancy(b, new Evidence<>(v, new Fact("hcg", v ? "positive" : "negative", src,
                            raw + unitText(o)), true));
                }
                continue;
            }
            if (!(o.system() == null || o.system().isBlank() || c.codingSystem() == null
                    || o.system().trim().equalsIgnoreCase(c.codingSystem().trim()))) {
                continue;
            }
            String code = o.code().trim();
            if (raw.isEmpty()) {
                continue;
            }
            if (code.equalsIgnoreCase(c.msContext())) {
                b.usedObx.add(o);
            } else if (code.equalsIgnoreCase(c.dmt())) {
                b.usedObx.add(o);
                TreatmentDictionary.Treatment t = s.dictionary().lookup(raw);
                if (t == null) {
                    t = new TreatmentDictionary.Treatment(raw, false, List.of());
                    b.notes.add("Treatment '" + raw + "' (" + src + ") is not in the mapping's treatments: its PML risk"
                            + " is not known.");
                }
                b.treatment = first(b.treatment, new Evidence<>(t, new Fact("treatment", t.generic(), src, raw), true));
            } else if (code.equalsIgnoreCase(c.dmtStart())) {
                b.usedObx.add(o);
                PartialDate d = date(o, src, b);
                if (d != null) {
                    b.start = first(b.start, new Evidence<>(d, new Fact("treatmentStart", d.toString(), src, raw), true));
                }
            } else if (code.equalsIgnoreCase(c.priorMri())) {
                b.usedObx.add(o);
                PartialDate d = date(o, src, b);
                if (d != null) {
                    b.priorMri = first(b.priorMri, new Evidence<>(d, new Fact("priorBrainMri", d.toString(), src, raw), true));
                }
            } else if (code.equalsIgnoreCase(c.priorMri3dFlair())) {
                b.usedObx.add(o);
                Boolean v = coded(raw, "3D FLAIR", src, b);
                if (v != null) {
                    b.prior3d = first(b.prior3d, new Evidence<>(v, new Fact("priorMri3dFlair", v ? "yes" : "no", src, raw), true));
                }
            } else if (code.equalsIgnoreCase(c.lastSpineMri())) {
                b.usedObx.add(o);
                PartialDate d = date(o, src, b);
                if (d != null) {
                    b.lastSpine = first(b.lastSpine, new Evidence<>(d, new Fact("lastSpineMri", d.toString(), src, raw), true));
                }
            } else if (code.equalsIgnoreCase(c.jcvStatus())) {
                b.usedObx.add(o);
                Boolean v = jcv(raw);
                if (v == null) {
                    b.notes.add("Ignored " + c.jcvStatus() + " '" + raw + "' (" + src + "): expected POS or NEG.");
                } else {
                    b.jcvPos = first(b.jcvPos, new Evidence<>(v, new Fact("jcvStatus", v ? "positive" : "negative", src, raw), true));
                }
            } else if (code.equalsIgnoreCase(c.jcvIndex())) {
                b.usedObx.add(o);
                BigDecimal v = number(o, "JCV index", src, b);
                if (v != null) {
                    b.jcvIndex = first(b.jcvIndex, new Evidence<>(v, new Fact("jcvIndex", plain(v), src, raw), true));
                }
            } else if (code.equalsIgnoreCase(c.egfr())) {
                b.usedObx.add(o);
                BigDecimal v = number(o, "eGFR", src, b);
                if (v != null) {
                    b.egfr = first(b.egfr, bounded(b, o, new Evidence<>(v, new Fact("egfr", shown(o, v) + " mL/min/1.73m2",
                            src, raw), true)));
                }
            } else if (code.equalsIgnoreCase(c.pregnant())) {
                b.usedObx.add(o);
                Boolean v = coded(raw, c.pregnant(), src, b);
                if (v != null) {
                    structuredPregnancy(b, new Evidence<>(v, new Fact("pregnancy", v ? "yes" : "no", src, raw), true));
                }
            }
        }
    }

    /**
     * The body weight of a procedure in kg, as the dose reads it and as the worklist item carries it (Patient's
     * Weight): the first weight observation (the mapping's {@code standardObservations.weight} codes, or its
     * {@code observations.weight} code) whose value and unit the mapping's unit table converts; null when there
     * is none. One rule: a unit the table does not list is never guessed (the decision's notes say why).
     */
    public static Double weightKg(MappingSnapshot m, ProcedureRequest procedure) {
        for (Observation o : procedure.observations()) {
            if (o == null || o.code() == null || o.code().isBlank() || !isWeight(m, o)) {
                continue;
            }
            BigDecimal kg = weight(m, o, null, new Builder());
            if (kg != null) {
                return kg.setScale(3, RoundingMode.HALF_UP).doubleValue();
            }
        }
        return null;
    }

    private static boolean isWeight(MappingSnapshot m, Observation o) {
        var std = m.document().standardObservations();
        return matches(o, m.observationCodes().weight()) || (std != null && in(o, std.weight()));
    }

    /** A weight observation in kg through the mapping's unit table; null (with a note) when it cannot be used. */
    private static BigDecimal weight(MappingSnapshot m, Observation o, String src, Builder b) {
        var std = m.document().standardObservations();
        CodedObservation own = m.observationCodes().weight();
        return quantity(std == null ? null : std.weight(), o, "weight", src == null ? "OBX-5 " + label(o) : src, b,
                own != null && matches(o, own) ? "kg" : null);
    }

    private static void structuredPregnancy(Builder b, Evidence<Boolean> e) {
        // two structured sources (status and hCG): the most risky one wins, never silent when it is risky
        if (b.pregnant == null || morePregnant(e.fact(), b.pregnant.fact())) {
            b.pregnant = e;
        }
    }

    /** A pregnancy fact says more than another (stated > possible > unknown status > not pregnant). */
    static boolean morePregnant(Fact a, Fact than) {
        Decision.Pregnancy x = Decision.Pregnancy.of(a.value());
        Decision.Pregnancy y = Decision.Pregnancy.of(than.value());
        return x != null && (y == null || x.compareTo(y) > 0);
    }

    private static <T> Evidence<T> first(Evidence<T> have, Evidence<T> next) {
        return have != null ? have : next;
    }

    private static String unitText(Observation o) {
        return o.units() == null || o.units().isBlank() ? "" : " " + o.units().trim();
    }

    /** The value of a quantity OBX in the concept's base unit, or null (with a note) when it cannot be used. */
    private static BigDecimal quantity(ObservationConcept concept, Observation o, String what, String src, Builder b,
                                       String fallbackUnit) {
        String raw = o.value() == null ? "" : o.value().trim();
        if (raw.isEmpty()) {
            return null;
        }
        BigDecimal n = number(o, what, src, b);
        if (n == null) {
            return null;
        }
        String unit = o.units() == null || o.units().isBlank() ? null : o.units().trim();
        if (unit == null) {
            unit = concept != null && concept.defaultUnit() != null ? concept.defaultUnit() : fallbackUnit;
            if (unit == null) {
                b.notes.add("The " + what + " " + raw + " (" + src + ") has no unit (OBX-6) and the mapping gives no"
                        + " default unit for it: not used.");
                return null;
            }
        }
        BigDecimal v = convert(concept, n, unit);
        if (v == null && concept == null && unit.equalsIgnoreCase(fallbackUnit)) {
            v = n;
        }
        if (v == null) {
            b.notes.add("The " + what + " " + raw + " " + unit + " (" + src + ") is not used: the unit '" + unit
                    + "' is not one the mapping lists for it, and the gateway never guesses a unit.");
        }
        return v;
    }

    /** value x multiplyBy / divideBy of the concept's unit entry; null when the unit is not listed. */
    static BigDecimal convert(ObservationConcept concept, BigDecimal value, String unit) {
        if (concept == null || concept.units() == null || unit == null) {
            return null;
        }
        String u = unitKey(unit);
        for (UnitEntry e : concept.units()) {
            if (e != null && e.unit() != null && unitKey(e.unit()).equals(u)) {
                BigDecimal v = value;
                if (e.multiplyBy() != null) {
                    v = v.multiply(e.multiplyBy());
                }
                if (e.divideBy() != null) {
                    v = v.divide(e.divideBy(), MathContext.DECIMAL64);
                }
                return v.stripTrailingZeros();
            }
        }
        return null;
    }

    /** Units compared without case, spaces, and with the micro sign as "u" (umol/L = µmol/L = UMOL/L). */
    static String unitKey(String unit) {
        return Texts.fold(unit).replace(" ", "");
    }

    private static Boolean hcg(ObservationConcept concept, Observation o, String raw, String src, Builder b) {
        Boolean coded = codedOrNull(raw);
        if (coded != null) {
            return coded;
        }
        if (raw.isEmpty()) {
            return null;
        }
        BigDecimal v = quantity(concept, o, "hCG", src, b, null);
        if (v == null) {
            return null;
        }
        if (concept.positiveAtOrAbove() == null) {
            b.notes.add("hCG " + raw + " (" + src + ") not used: the mapping gives no positiveAtOrAbove for hCG.");
            return null;
        }
        return v.compareTo(concept.positiveAtOrAbove()) >= 0;
    }

    private static Boolean codedOrNull(String raw) {
        return switch (Texts.fold(raw.trim())) {
            case "y", "yes", "o", "oui", "1", "true", "pos", "positive", "positif", "+", "la15173-0", "la33-6",
                    "la6576-8", "10828004", "77386006" -> true;
            case "n", "no", "non", "0", "false", "neg", "negative", "negatif", "-", "la26683-5", "la32-8",
                    "la6577-6", "260385009", "60001007" -> false;
            default -> null;
        };
    }

    /** A pregnancy status answered "unknown" (LOINC answer LA4489-6, UNK, inconnu, ne sait pas). */
    static boolean pregnancyUnknown(String raw) {
        return switch (Texts.fold(raw.trim())) {
            case "la4489-6", "unk", "unknown", "u", "inconnu", "inconnue", "ne sait pas", "nsp", "?",
                    "not known", "non connu", "non connue", "indetermine", "indeterminate" -> true;
            default -> false;
        };
    }

    private static Boolean coded(String raw, String what, String src, Builder b) {
        Boolean v = codedOrNull(raw);
        if (v == null) {
            b.notes.add("Ignored " + what + " '" + raw + "' (" + src + "): not a yes/no answer the gateway knows"
                    + " (e.g. Y, N, LA15173-0 Pregnant, LA26683-5 Not pregnant).");
        }
        return v;
    }

    private static Boolean jcv(String raw) {
        return switch (Texts.fold(raw.trim())) {
            case "pos", "positive", "positif", "+", "la6576-8", "10828004" -> true;
            case "neg", "negative", "negatif", "-", "la6577-6", "260385009" -> false;
            default -> null;
        };
    }

    /** The number the edge read in the OBX (a bound such as "<30" just below it); null with a note when none. */
    private static BigDecimal number(Observation o, String what, String src, Builder b) {
        if (o.number() != null) {
            return o.number().estimate();
        }
        b.notes.add("Ignored " + what + " '" + (o.value() == null ? "" : o.value().trim()) + "' (" + src
                + "): not a number.");
        return null;
    }

    /** The date the edge read in the OBX (to the day, month or year); null with a note when none. */
    private static PartialDate date(Observation o, String src, Builder b) {
        if (o.date() != null) {
            return o.date();
        }
        b.notes.add("Ignored '" + (o.value() == null ? "" : o.value().trim()) + "' (" + src + "): not a date.");
        return null;
    }

    private static String plain(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }

    /** eGFR: given (structured) > computed from a structured creatinine > written > computed from a written one. */
    private static void egfr(OrderMessage order, LocalDate ref, Builder b) {
        Evidence<BigDecimal> computedStructured = b.egfr == null && b.creat != null ? ckdEpi(order, ref, b.creat, b) : null;
        Evidence<BigDecimal> chosen = b.egfr != null ? b.egfr : computedStructured;
        if (chosen == null && b.textEgfr != null) {
            chosen = b.textEgfr;
        } else if (chosen != null && b.textEgfr != null) {
            // a bound the text gives ("Insuffisance rénale chronique", read as below 60) agrees with any value under it
            boolean bound = b.atMost.contains(b.textEgfr);
            pick(chosen, b.textEgfr, b, (x, y) -> close(x, y) || bound && x.compareTo(y) <= 0);
        }
        if (chosen == null && b.textCreat != null) {
            chosen = ckdEpi(order, ref, b.textCreat, b);
        }
        b.chosenEgfr = chosen;
    }

    private static Evidence<BigDecimal> ckdEpi(OrderMessage order, LocalDate ref, Evidence<BigDecimal> creat, Builder b) {
        var patient = order == null ? null : order.patient();
        LocalDate born = patient == null ? null : patient.birthDate();
        String sex = patient == null || patient.sex() == null ? "" : patient.sex().trim().toUpperCase(Locale.ROOT);
        b.creatUsed = creat;
        String what = "creatinine " + creat.fact().value() + " (" + creat.fact().source() + ")";
        if (born == null) {
            b.notes.add("eGFR not computed from the " + what + ": the birth date (PID-7) is not given.");
            return null;
        }
        if (!sex.equals("F") && !sex.equals("M")) {
            b.notes.add("eGFR not computed from the " + what + ": CKD-EPI 2021 needs the sex (PID-8 F or M), the order"
                    + " gives '" + sex + "'.");
            return null;
        }
        int age = Period.between(born, ref).getYears();
        if (age < 18) {
            b.notes.add("eGFR not computed from the " + what + ": CKD-EPI 2021 is for adults, the patient is " + age + ".");
            return null;
        }
        boolean female = sex.equals("F");
        BigDecimal e = CkdEpi2021.egfr(creat.value().doubleValue(), age, female);
        String value = plain(e) + " mL/min/1.73m2";
        String how = "computed with CKD-EPI 2021 from creatinine " + creat.fact().value() + ", age " + age + ", "
                + (female ? "female" : "male");
        Evidence<BigDecimal> computed = new Evidence<>(e, new Fact("egfr", value + " " + how,
                creat.fact().source() + ", PID-7, PID-8", creat.fact().text()), creat.structured());
        if (b.atLeast.contains(creat)) {
            b.atMost.add(computed); // a creatinine at least X gives an eGFR at most Y
        }
        return computed;
    }

    /**
     * The value as the order bounds it: "&lt;60" (the rules compare 59.999), "&gt;=90"; the value alone otherwise.
     * For eGFR, whose units the mapping lists without a factor, the bound is the converted value's.
     */
    private static String shown(Observation o, BigDecimal v) {
        if (o.number() == null) {
            return plain(v);
        }
        BigDecimal bound = v.add(o.number().value().subtract(o.number().estimate()));
        return switch (o.number().comparator()) {
            case LT -> "<" + plain(bound);
            case LE -> "<=" + plain(bound);
            case GT -> ">" + plain(bound);
            case GE -> ">=" + plain(bound);
            case EQ -> plain(v);
        };
    }

    /**
     * Notes the evidence of an observation whose value is a bound ("<60", ">200"): the estimate the rules compare
     * is just past the bound, but the true value may be anywhere beyond it, which matters for the renal alert.
     */
    private static Evidence<BigDecimal> bounded(Builder b, Observation o, Evidence<BigDecimal> e) {
        if (o.number() != null) {
            switch (o.number().comparator()) {
                case LT, LE -> b.atMost.add(e);
                case GT, GE -> b.atLeast.add(e);
                default -> { }
            }
        }
        return e;
    }

    private static final class Builder {
        final List<Observation> usedObx = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final List<String> conflicts = new ArrayList<>();
        Evidence<TreatmentDictionary.Treatment> treatment;
        Evidence<PartialDate> start;
        Evidence<PartialDate> planned;
        /** The planned start is that of a new treatment named after the current one. */
        boolean plannedNew;
        Evidence<PartialDate> priorMri;
        Evidence<Boolean> priorMentioned;
        Evidence<Boolean> prior3d;
        Evidence<PartialDate> lastSpine;
        Evidence<Boolean> jcvPos;
        Evidence<BigDecimal> jcvIndex;
        Evidence<BigDecimal> egfr;
        Evidence<BigDecimal> creat;
        Evidence<BigDecimal> textEgfr;
        Evidence<BigDecimal> textCreat;
        Evidence<BigDecimal> creatUsed;
        Evidence<BigDecimal> chosenEgfr;
        /** Values only known as an upper ("<60") or lower (">200") bound, by identity. */
        final java.util.Set<Evidence<?>> atMost = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        final java.util.Set<Evidence<?>> atLeast = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Evidence<Boolean> pregnant;
        Evidence<BigDecimal> weight;
        boolean weightObserved;
        Evidence<Boolean> gdAllergy;
        /** The other allergens of the order (AL1), and a second statement of the Gd allergy. */
        final List<Evidence<Boolean>> otherAllergies = new ArrayList<>();

        ClinicalFacts build(OrderMessage order) {
            List<Fact> facts = new ArrayList<>();
            add(facts, treatment);
            Evidence<PartialDate> st = start != null ? start : planned;
            add(facts, st);
            add(facts, priorMri);
            if (priorMri == null) {
                add(facts, priorMentioned);
            }
            add(facts, prior3d);
            add(facts, lastSpine);
            add(facts, jcvPos);
            add(facts, jcvIndex);
            if (creatUsed != null) {
                add(facts, creatUsed);
            }
            add(facts, chosenEgfr);
            add(facts, pregnant);
            add(facts, gdAllergy);
            for (Evidence<Boolean> a : otherAllergies) {
                add(facts, a);
            }
            add(facts, weight);
            return new ClinicalFacts(treatment == null ? null : treatment.value().generic(),
                    treatment != null && treatment.value().pmlRisk(), st == null ? null : st.value().date(),
                    st != null && st == planned, priorMri == null ? null : priorMri.value().date(),
                    priorMri == null && priorMentioned != null && priorMentioned.value(), prior3d == null ? null : prior3d.value(),
                    lastSpine == null ? null : lastSpine.value().date(), jcvPos == null ? null : jcvPos.value(),
                    jcvIndex == null ? null : jcvIndex.value(), chosenEgfr == null ? null : chosenEgfr.value(),
                    chosenEgfr != null && atMost.contains(chosenEgfr),
                    pregnant == null ? null : pregnant.value(), weight == null ? null : weight.value().doubleValue(),
                    weightObserved, facts, notes, conflicts);
        }

        private static void add(List<Fact> facts, Evidence<?> e) {
            if (e != null) {
                facts.add(e.fact());
            }
        }
    }
}
