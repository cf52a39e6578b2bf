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
import org.ofsep.mwl.core.decision.PriorFacts;
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
                series(null, "T2 FLAIR 3D SAG", "3D", "BRAIN"))) {
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
        OrderMessage o = new OrderMessage("1", "RIS", "NW", null, "PO1", null,
                new Patient("P1", null, "DOE^JANE", LocalDate.of(1980, 1, 1), "F"), List.of("G35"), null, List.of(p));
        return new OfsepDecisionEngine().decide(M, o, p, M.station("MR_SIEMENS").orElseThrow(), List.of(), TODAY);
    }

    @Test
    void aComparablePacsPriorMakesRoutineWithoutGd() {
        ProcedureRequest p = follow(List.of());
        assertEquals(ExamCard.FULL, decide(p).examCard());
        assertTrue(decide(p).contrast());
        PriorStudy s = study("1.2.840.1", TODAY.minusYears(1), "IRM ENCEPHALE SEP",
                series("t2_spc_da-fl_sag_p2_iso", null, "3D", "BRAIN"));
        PriorFindings f = PriorClassifier.classify(R, List.of(s), TODAY, null);
        Decision d = decide(PriorFacts.withPriors(M, p, f));
        assertEquals(ExamCard.ROUTINE, d.examCard());
        assertFalse(d.contrast());
        String reason = PriorFacts.reason(f, 6, "2026-12-04 10:00 UTC", "DIMSE PACS@h:1");
        assertTrue(reason.contains("1.2.840.1") && reason.contains(TODAY.minusYears(1).toString())
                && reason.contains("IRM ENCEPHALE SEP"), reason);
        Decision named = PriorFacts.withReason(d, reason);
        assertEquals(reason, named.reasons().get(1));
        assertTrue(PriorFacts.sameOutcome(d, named));
    }

    @Test
    void aTwoDOnlyPacsPriorStaysFullWithGdAndSaysWhy() {
        ProcedureRequest p = follow(List.of());
        PriorStudy s = study("1.2.840.2", TODAY.minusYears(1), "IRM cérébrale", series("AX FLAIR", null, "2D", "BRAIN"));
        PriorFindings f = PriorClassifier.classify(R, List.of(s), TODAY, null);
        Decision d = decide(PriorFacts.withPriors(M, p, f));
        assertEquals(ExamCard.FULL, d.examCard());
        assertTrue(d.contrast());
        assertTrue(d.reasons().stream().anyMatch(r -> r.contains("did not follow the standardized protocol")), d.reasons().toString());
    }

    @Test
    void anOrderSayingNotComparableIsOverruledByAComparablePacsPrior() {
        List<Observation> obx = new ArrayList<>();
        obx.add(TypedObx.of("PRIOR-MRI", "99OFSEP", "DT", "20260601", null));
        obx.add(new Observation("PRIOR-MRI-3DFLAIR", "99OFSEP", "ST", "N", null));
        PriorStudy s = study("1.2.840.3", TODAY.minusYears(1), "IRM cérébrale", series("Sag CUBE FLAIR", null, "3D", "BRAIN"));
        Decision d = decide(PriorFacts.withPriors(M, follow(obx), PriorClassifier.classify(R, List.of(s), TODAY, null)));
        assertEquals(ExamCard.ROUTINE, d.examCard());
    }

    @Test
    void spineDateFromPacsClearsSpineDue() {
        ProcedureRequest p = follow(List.of());
        assertTrue(decide(p).spineDue());
        PriorStudy s = study("1.2.840.4", TODAY.minusYears(1), "IRM médullaire", series("sag T2", null, "2D", "CSPINE"));
        assertFalse(decide(PriorFacts.withPriors(M, p, PriorClassifier.classify(R, List.of(s), TODAY, null))).spineDue());
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
}
