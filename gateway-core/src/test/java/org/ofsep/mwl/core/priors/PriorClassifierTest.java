package org.ofsep.mwl.core.priors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.decision.OfsepDecisionEngine;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.mapping.MappingException;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.mapping.ShippedMapping;
import org.ofsep.mwl.core.order.Observation;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.core.order.TypedObx;
import org.ofsep.mwl.core.decision.PriorFacts;

class PriorClassifierTest {

    static final MappingSnapshot M = ShippedMapping.load();
    static final PriorRules R = M.priorRules();
    static final LocalDate TODAY = LocalDate.of(2026, 12, 4);

    static PriorSeries series(String desc, String protocol, String acq, String body) {
        return new PriorSeries("1.2.3." + Math.abs((desc + protocol).hashCode()), "MR", desc, protocol, acq, body, null, null);
    }

    static PriorStudy study(String uid, LocalDate date, String desc, PriorSeries... series) {
        return new PriorStudy(uid, date, desc, "P1", null, List.of("MR"), List.of(), null, List.of(series));
    }

    @Test
    void eachVendorsThreeDFlairIsRecognised() {
        for (PriorSeries s : List.of(
                series("t2_spc_da-fl_sag_p2_iso", null, null, "BRAIN"),
                series("SPACE FLAIR SAG", null, "3D", "HEAD"),
                series("Sag CUBE FLAIR", null, null, "BRAIN"),
                series("3D_FLAIR", null, null, "BRAIN"),
                series("FLAIR VISTA", null, null, "BRAIN"),
                series("Cor 3D FLAIR", null, null, "BRAIN"),
                series("Ax FLAIR iso", "fl", "3D", "BRAIN"),
                series(null, "T2 FLAIR 3D SAG", "3D", "BRAIN"),
                // as consoles name them, with no MR Acquisition Type returned (SPACE, CUBE, VISTA/VIEW are 3D only)
                series("t2_spc_flair_sag_p2_iso", null, null, "BRAIN"),
                series("Sag T2 FLAIR CUBE", null, null, "BRAIN"),
                series("3D_Brain_VIEW_FLAIR_SHC", null, null, "BRAIN"))) {
            assertNotNull(PriorClassifier.flairWhy(R, s), s.toString());
        }
    }

    @Test
    void twoDFlairAndOther3dSeriesAreNotThreeDFlair() {
        for (PriorSeries s : List.of(
                series("t2_tirm_tra_dark-fl", null, "2D", "BRAIN"),
                series("AX T2 FLAIR", null, "2D", "BRAIN"),
                series("AX T2 FLAIR", null, null, "BRAIN"),
                series("3D FLAIR", null, "2D", "BRAIN"), // the scanner says 2D: believed over the name
                series("t1_mprage_sag_p2_iso", null, "3D", "BRAIN"),
                series("T2 VISTA", null, "3D", "BRAIN"))) {
            assertNull(PriorClassifier.flairWhy(R, s), s.toString());
        }
    }

    @Test
    void mostRecentComparableBrainLastBrainAndSpine() {
        PriorStudy old3d = study("1.1", TODAY.minusYears(2), "IRM ENCEPHALE SEP",
                series("t2_spc_da-fl_sag_p2_iso", null, "3D", "BRAIN"));
        PriorStudy recent2d = study("1.2", TODAY.minusMonths(6), "IRM cérébrale",
                series("AX FLAIR", null, "2D", "BRAIN"));
        PriorStudy spine = study("1.3", TODAY.minusYears(1), "IRM médullaire",
                series("sag T2", null, "2D", "CSPINE"));
        PriorStudy knee = study("1.4", TODAY.minusMonths(1), "IRM genou", series("PD FS", null, "2D", "KNEE"));
        PriorStudy future = study("1.5", TODAY.plusDays(3), "IRM cérébrale", series("3D FLAIR", null, "3D", "BRAIN"));
        PriorFindings f = PriorClassifier.classify(R, List.of(old3d, recent2d, spine, knee, future), TODAY, null);
        assertEquals(4, f.studies().size(), "the future study is not a prior");
        assertEquals("1.2", f.lastBrain().study().studyInstanceUid());
        assertEquals("1.1", f.lastComparable().study().studyInstanceUid());
        assertSame(f.lastComparable(), f.deciding());
        assertEquals("1.3", f.lastSpine().study().studyInstanceUid());
        assertFalse(f.studies().stream().filter(c -> c.study().studyInstanceUid().equals("1.4")).findFirst()
                .orElseThrow().brain());
    }

    /**
     * A lumbar spine MRI images no spinal cord: before, the shipped mapping counted Body Part LSPINE and the words
     * "rachis" and "spine", so "IRM rachis lombaire" cleared the entire spine OFSEP 2020 advises every three years.
     */
    @Test
    void aLumbarSpineMriIsNotASpinalCordMri() {
        PriorStudy lumbar = study("3.1", TODAY.minusMonths(8), "IRM rachis lombaire", series("sag T2", null, "2D", "LSPINE"));
        PriorStudy lumbarEn = study("3.2", TODAY.minusMonths(7), "MR LUMBAR SPINE", series("SAG T2 TSE", null, "2D", null));
        PriorStudy cervical = study("3.3", TODAY.minusYears(2), "IRM rachis cervical", series("sag T2", null, "2D", null));
        PriorFindings f = PriorClassifier.classify(R, List.of(lumbar, lumbarEn, cervical), TODAY, null);
        assertEquals("3.3", f.lastSpine().study().studyInstanceUid());
        assertTrue(f.studies().stream().filter(c -> !c.study().studyInstanceUid().equals("3.3"))
                .noneMatch(c -> c.spine() || c.brain()));
    }

    @Test
    void brainByDescriptionOrProcedureCodeWhenNoBodyPart() {
        PriorStudy byDesc = study("2.1", TODAY.minusYears(1), "IRM ENCEPHALIQUE", series("3D FLAIR", null, null, null));
        assertTrue(PriorClassifier.classify(R, byDesc).brain());
        PriorStudy byCode = new PriorStudy("2.2", TODAY.minusYears(1), null, "P1", null, List.of("MR"),
                List.of("IRMSEP"), null, List.of(series("3D FLAIR", null, null, null)));
        assertTrue(PriorClassifier.classify(R, byCode).brain());
        PriorStudy neither = study("2.3", TODAY.minusYears(1), "IRM abdominale", series("3D FLAIR", null, null, null));
        assertFalse(PriorClassifier.classify(R, neither).brain());
    }

    @Test
    void theOrderedStudyIsNotItsOwnPrior() {
        PriorStudy s = study("9.9", TODAY, "IRM cérébrale", series("3D FLAIR", null, "3D", "BRAIN"));
        assertNull(PriorClassifier.classify(R, List.of(s), TODAY, "9.9").deciding());
    }

    // ---- the facts reach the decision as the order's own facts do -----------------------------------------

    static ProcedureRequest follow(List<Observation> obx) {
        return new ProcedureRequest("ACC1", null, new ProtocolCode("IRMSEP", "99RIS", "IRM cerebrale SEP"),
                TODAY.atTime(9, 0), "MR", "suivi SEP", null, null, null, null, null, obx);
    }

    static Decision decide(ProcedureRequest p) {
        return decide(p, null);
    }

    /** The decision with what the PACS returned as typed input ({@code f} null: the PACS was not asked). */
    static Decision decide(ProcedureRequest p, PriorFindings f) {
        OrderMessage o = new OrderMessage("1", "RIS", "NW", null, "PO1", null,
                new Patient("P1", null, "DOE^JANE", LocalDate.of(1980, 1, 1), "F"), List.of("G35"), null, List.of(p));
        return new OfsepDecisionEngine().decide(M, o, p, M.station("MR_SIEMENS").orElseThrow(), List.of(), TODAY,
                f == null ? null : PriorFacts.of(f, PriorFacts.reason(f, 6, "2026-12-04 10:00 UTC", "DIMSE PACS@h:1"),
                        "DIMSE PACS@h:1"));
    }

    static org.ofsep.mwl.core.domain.Fact fact(Decision d, String name) {
        return d.facts().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aComparablePacsPriorMakesRoutineWithoutGd() {
        ProcedureRequest p = follow(List.of());
        assertEquals(ExamCard.FULL, decide(p).examCard());
        assertTrue(decide(p).contrast());
        PriorStudy s = study("1.2.840.1", TODAY.minusYears(1), "IRM ENCEPHALE SEP",
                series("t2_spc_da-fl_sag_p2_iso", null, "3D", "BRAIN"));
        PriorFindings f = PriorClassifier.classify(R, List.of(s), TODAY, null);
        Decision d = decide(p, f);
        assertEquals(ExamCard.ROUTINE, d.examCard());
        assertFalse(d.contrast());
        String reason = PriorFacts.reason(f, 6, "2026-12-04 10:00 UTC", "DIMSE PACS@h:1");
        assertTrue(reason.contains("1.2.840.1") && reason.contains(TODAY.minusYears(1).toString())
                && reason.contains("IRM ENCEPHALE SEP"), reason);
        // the PACS's line follows the first reason; the facts name the PACS study, not a made-up observation
        assertEquals(reason, d.reasons().get(1));
        assertEquals("PACS DIMSE PACS@h:1", fact(d, "priorBrainMri").source());
        assertTrue(fact(d, "priorBrainMri").text().contains("1.2.840.1"));
        assertEquals("t2_spc_da-fl_sag_p2_iso", fact(d, "priorMri3dFlair").text());
        assertTrue(PriorFacts.sameOutcome(d, PriorFacts.withReason(d, "other words")));
    }

    @Test
    void aTwoDOnlyPacsPriorStaysFullWithGdAndSaysWhy() {
        ProcedureRequest p = follow(List.of());
        PriorStudy s = study("1.2.840.2", TODAY.minusYears(1), "IRM cérébrale", series("AX FLAIR", null, "2D", "BRAIN"));
        PriorFindings f = PriorClassifier.classify(R, List.of(s), TODAY, null);
        Decision d = decide(p, f);
        assertEquals(ExamCard.FULL, d.examCard());
        assertTrue(d.contrast());
        assertTrue(d.reasons().stream().anyMatch(r -> r.contains("did not follow the standardized protocol")), d.reasons().toString());
    }

    /**
     * OFSEP 2020: "Acquisitions must be performed on at least a 1·5T field strength". A 3D FLAIR the PACS says was
     * acquired at 1.0 T (an open or low-field scanner) is not the standardized protocol: the follow-up keeps Gd and
     * the reason says why. At 1.5 T, or when the PACS does not return the field strength, it counts. Before, the
     * field strength was not asked and such a prior gave ROUTINE without Gd.
     */
    @Test
    void aThreeDFlairBelowOnePointFiveTeslaIsNotAComparablePrior() {
        ProcedureRequest p = follow(List.of());
        PriorSeries lowField = new PriorSeries("1.2.9.1", "MR", "3D FLAIR SAG", null, "3D", "BRAIN", null, "Hitachi", 1.0);
        PriorStudy low = study("1.2.840.9", TODAY.minusYears(1), "IRM ENCEPHALE SEP", lowField);
        PriorFindings f = PriorClassifier.classify(R, List.of(low), TODAY, null);
        assertNull(f.lastComparable());
        Decision d = decide(p, f);
        assertEquals(ExamCard.FULL, d.examCard());
        assertTrue(d.contrast());
        String reason = PriorFacts.reason(f, 6, "2026-12-04 10:00 UTC", "DIMSE PACS@h:1");
        assertTrue(reason.contains("'3D FLAIR SAG' acquired at 1 T, below 1.5 T") && reason.contains("not comparable"),
                reason);

        for (Double tesla : new Double[] {1.5, 3.0, null}) {
            PriorSeries ok = new PriorSeries("1.2.9.2", "MR", "3D FLAIR SAG", null, "3D", "BRAIN", null, null, tesla);
            PriorFindings g = PriorClassifier.classify(R, List.of(study("1.2.840.10", TODAY.minusYears(1),
                    "IRM ENCEPHALE SEP", ok)), TODAY, null);
            assertNotNull(g.lastComparable(), "at " + tesla + " T");
            assertEquals(ExamCard.ROUTINE, decide(p, g).examCard());
        }
        // an older comparable exam at 3 T still counts behind a more recent one at 1 T
        PriorStudy older = study("1.2.840.11", TODAY.minusYears(2), "IRM ENCEPHALE SEP",
                new PriorSeries("1.2.9.3", "MR", "t2_spc_da-fl_sag_p2_iso", null, "3D", "BRAIN", null, null, 3.0));
        PriorFindings both = PriorClassifier.classify(R, List.of(low, older), TODAY, null);
        assertEquals("1.2.840.11", both.lastComparable().study().studyInstanceUid());
    }

    @Test
    void anOrderSayingNotComparableIsOverruledByAComparablePacsPrior() {
        List<Observation> obx = new ArrayList<>();
        obx.add(TypedObx.of("PRIOR-MRI", "99OFSEP", "DT", "20260601", null));
        obx.add(new Observation("PRIOR-MRI-3DFLAIR", "99OFSEP", "ST", "N", null));
        PriorStudy s = study("1.2.840.3", TODAY.minusYears(1), "IRM cérébrale", series("Sag CUBE FLAIR", null, "3D", "BRAIN"));
        Decision d = decide(follow(obx), PriorClassifier.classify(R, List.of(s), TODAY, null));
        assertEquals(ExamCard.ROUTINE, d.examCard());
        assertEquals(TODAY.minusYears(1).toString(), fact(d, "priorBrainMri").value());
        assertTrue(d.reasons().stream().anyMatch(r -> r.startsWith("Previous brain MRI: the order states 2026-06-01"
                + " without 3D FLAIR") && r.contains("the most recent comparable exam is used, the PACS's")), d.reasons().toString());
    }

    @Test
    void theFactsADecisionTookFromThePacsAreRecognisedAgain() {
        PriorStudy brain = study("1.2.840.10", TODAY.minusYears(1), "IRM ENCEPHALE SEP",
                series("t2_spc_da-fl_sag_p2_iso", null, "3D", "BRAIN"));
        PriorStudy spine = study("1.2.840.11", TODAY.minusMonths(5), "IRM médullaire", series("sag T2", null, "2D", "CSPINE"));
        ProcedureRequest p = follow(List.of());
        Decision withPacs = decide(p, PriorClassifier.classify(R, List.of(brain, spine), TODAY, null));
        var used = PriorFacts.usedBy(withPacs);
        assertEquals(TODAY.minusYears(1), used.brainMri());
        assertTrue(used.flair3d());
        assertEquals(TODAY.minusMonths(5), used.spineMri());
        assertEquals("DIMSE PACS@h:1", used.source());
        OrderMessage o = new OrderMessage("1", "RIS", "NW", null, "PO1", null,
                new Patient("P1", null, "DOE^JANE", LocalDate.of(1980, 1, 1), "F"), List.of("G35"), null, List.of(p));
        Decision again = new OfsepDecisionEngine().decide(M, o, p, M.station("MR_SIEMENS").orElseThrow(), List.of(),
                TODAY, used);
        assertEquals(withPacs, again);
        assertNull(PriorFacts.usedBy(decide(p)), "no fact from the PACS");
    }

    // ---- structured RIS facts vs PACS facts: the most recent comparable exam, whoever states it --------------

    @Test
    void aMoreRecentComparablePriorStatedByTheOrderWinsOverAnOlderPacsStudy() {
        LocalDate elsewhere = TODAY.minusMonths(3); // done in another hospital: not in this PACS
        List<Observation> obx = List.of(TypedObx.of("PRIOR-MRI", "99OFSEP", "DT", elsewhere, null),
                new Observation("PRIOR-MRI-3DFLAIR", "99OFSEP", "ST", "Y", null));
        PriorStudy s = study("1.2.840.5", TODAY.minusYears(1), "IRM cérébrale", series("Sag CUBE FLAIR", null, "3D", "BRAIN"));
        Decision d = decide(follow(obx), PriorClassifier.classify(R, List.of(s), TODAY, null));
        assertEquals(ExamCard.ROUTINE, d.examCard());
        assertEquals(elsewhere.toString(), fact(d, "priorBrainMri").value());
        assertTrue(fact(d, "priorBrainMri").source().startsWith("OBX-5"), fact(d, "priorBrainMri").toString());
        assertTrue(d.reasons().stream().anyMatch(r -> r.contains("the order's, more recent, is used")), d.reasons().toString());
    }

    @Test
    void aMoreRecentComparablePacsStudyWinsOverAnOlderPriorStatedByTheOrder() {
        LocalDate old = TODAY.minusYears(3);
        List<Observation> obx = List.of(TypedObx.of("PRIOR-MRI", "99OFSEP", "DT", old, null),
                new Observation("PRIOR-MRI-3DFLAIR", "99OFSEP", "ST", "Y", null));
        PriorStudy s = study("1.2.840.6", TODAY.minusYears(1), "IRM cérébrale", series("3D_FLAIR", null, "3D", "BRAIN"));
        Decision d = decide(follow(obx), PriorClassifier.classify(R, List.of(s), TODAY, null));
        assertEquals(TODAY.minusYears(1).toString(), fact(d, "priorBrainMri").value());
        assertEquals("PACS DIMSE PACS@h:1", fact(d, "priorBrainMri").source());
        assertTrue(d.reasons().stream().anyMatch(r -> r.startsWith("Previous brain MRI: the order states " + old)),
                d.reasons().toString());
        // without the PACS, the order's date is the one used
        assertEquals(old.toString(), fact(decide(follow(obx)), "priorBrainMri").value());
    }

    @Test
    void aPacsBrainMriWithoutFlairDoesNotReplaceAComparablePriorStatedByTheOrder() {
        List<Observation> obx = List.of(TypedObx.of("PRIOR-MRI", "99OFSEP", "DT", TODAY.minusYears(1), null),
                new Observation("PRIOR-MRI-3DFLAIR", "99OFSEP", "ST", "Y", null));
        PriorStudy twoD = study("1.2.840.7", TODAY.minusMonths(2), "IRM cérébrale", series("AX FLAIR", null, "2D", "BRAIN"));
        Decision d = decide(follow(obx), PriorClassifier.classify(R, List.of(twoD), TODAY, null));
        assertEquals(ExamCard.ROUTINE, d.examCard());
        assertEquals(TODAY.minusYears(1).toString(), fact(d, "priorBrainMri").value());
        assertTrue(d.reasons().stream().anyMatch(r -> r.contains("the order's is used (the PACS's has no 3D FLAIR)")),
                d.reasons().toString());
    }

    @Test
    void theMostRecentSpinalCordMriWinsWhoeverStatesIt() {
        LocalDate orderSpine = TODAY.minusMonths(6);
        List<Observation> obx = List.of(TypedObx.of("LAST-SPINE-MRI", "99OFSEP", "DT", orderSpine, null));
        PriorStudy older = study("1.2.840.8", TODAY.minusYears(2), "IRM médullaire", series("sag T2", null, "2D", "CSPINE"));
        Decision d = decide(follow(obx), PriorClassifier.classify(R, List.of(older), TODAY, null));
        assertEquals(orderSpine.toString(), fact(d, "lastSpineMri").value());
        PriorStudy newer = study("1.2.840.9", TODAY.minusMonths(1), "IRM médullaire", series("sag T2", null, "2D", "CSPINE"));
        Decision d2 = decide(follow(obx), PriorClassifier.classify(R, List.of(newer), TODAY, null));
        assertEquals(TODAY.minusMonths(1).toString(), fact(d2, "lastSpineMri").value());
        assertEquals("PACS DIMSE PACS@h:1", fact(d2, "lastSpineMri").source());
    }

    @Test
    void spineDateFromPacsClearsSpineDue() {
        ProcedureRequest p = follow(List.of());
        assertTrue(decide(p).spineDue());
        PriorStudy s = study("1.2.840.4", TODAY.minusYears(1), "IRM médullaire", series("sag T2", null, "2D", "CSPINE"));
        assertFalse(decide(p, PriorClassifier.classify(R, List.of(s), TODAY, null)).spineDue());
    }

    @Test
    void validatorRefusesAPriorsSectionThatCanNeverMatch() {
        String bad = ShippedMapping.text().replaceAll("(?s)\npriors:.*", "\npriors:\n  brain: {}\n  flair3d: {}\n");
        MappingException e = assertThrows(MappingException.class, () -> MappingLoader.parse(bad, "m.yaml"));
        String all = e.errors().toString();
        assertTrue(all.contains("priors.brain") && all.contains("priors.flair3d"), all);
        String badBody = ShippedMapping.edit("bodyParts: [BRAIN, HEAD, SKULL]", "bodyParts: [\"brain/head\"]");
        MappingException e2 = assertThrows(MappingException.class, () -> MappingLoader.parse(badBody, "m.yaml"));
        assertTrue(e2.errors().toString().contains("priors.brain.bodyParts[0]"), e2.errors().toString());
        String none = ShippedMapping.text().replaceAll("(?s)\n# Previous studies found.*", "\n");
        assertSame(PriorRules.NONE, MappingLoader.parse(none, "m.yaml").priorRules());
    }

    @Test
    void reasonWhenNothingFound() {
        String r = PriorFacts.reason(PriorFindings.EMPTY, 6, "t", "s");
        assertTrue(r.contains("no brain MRI of this patient in the last 6 years"), r);
        LocalDateTime unused = LocalDateTime.now();
        assertNotNull(unused);
    }

    /** A series is explained by its own manufacturer's pattern when several vendors list the same words. */
    @Test
    void aSeriesIsExplainedByItsOwnVendorsPattern() {
        PriorSeries philips = new PriorSeries("1.2.9.7", "MR", "3D FLAIR", null, "3D", "BRAIN", null,
                "Philips Medical Systems");
        assertEquals("series '3D FLAIR' matches the PHILIPS 3D FLAIR pattern '3D_FLAIR'", PriorClassifier.flairWhy(R, philips));
        PriorSeries canonMec = new PriorSeries("1.2.9.6", "MR", "3D FLAIR", null, "3D", "BRAIN", null, "CANON_MEC");
        assertEquals("series '3D FLAIR' matches the CANON 3D FLAIR pattern '3D FLAIR'", PriorClassifier.flairWhy(R, canonMec));
        PriorSeries hitachi = new PriorSeries("1.2.9.8", "MR", "3D FLAIR", null, "3D", "BRAIN", null, "Hitachi");
        assertEquals("series '3D FLAIR' matches the GE 3D FLAIR pattern '3D FLAIR'", PriorClassifier.flairWhy(R, hitachi),
                "a manufacturer whose words name no vendor: the first vendor listing the words, as before");
        PriorSeries unknown = new PriorSeries("1.2.9.9", "MR", "3D FLAIR", null, "3D", "BRAIN", null, null);
        assertEquals("series '3D FLAIR' matches the GE 3D FLAIR pattern '3D FLAIR'", PriorClassifier.flairWhy(R, unknown));
    }
}
