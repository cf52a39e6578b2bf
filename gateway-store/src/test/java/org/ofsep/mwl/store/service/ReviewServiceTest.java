package org.ofsep.mwl.store.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.decision.OfsepDecisionEngine;
import org.ofsep.mwl.core.decision.ReviewPolicy;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.ReviewState;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.Observation;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.core.review.AuditEvent;
import org.ofsep.mwl.core.review.ReviewItem;
import org.ofsep.mwl.core.review.ReviewRefusedException;
import org.ofsep.mwl.core.review.Role;
import org.ofsep.mwl.core.service.ItemTexts;
import org.ofsep.mwl.core.service.UidGenerator;
import org.ofsep.mwl.store.AuditTable;
import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.DatabaseTest;
import org.ofsep.mwl.store.JdbcWorklistStore;

/** The radiologist review in the store, with the real engine and the shipped mapping (issue #14). */
class ReviewServiceTest extends DatabaseTest {
    static final LocalDateTime START = LocalDateTime.of(2026, 3, 3, 9, 0);

    private MappingSnapshot mapping;
    private JdbcOrderService orders;
    private JdbcReviewService reviews;
    private JdbcWorklistStore store;
    private AuditTable audit;

    @Override
    protected DatabaseSettings newDatabase() {
        return h2();
    }

    @BeforeEach
    void services() {
        mapping = MappingLoader.load(java.nio.file.Path.of("..", "config", "mapping.yaml"));
        orders = new JdbcOrderService(db, () -> mapping, new OfsepDecisionEngine(),
                new UidGenerator(UidGenerator.DEFAULT_ROOT, clock), clock);
        reviews = new JdbcReviewService(db, () -> mapping, clock);
        store = new JdbcWorklistStore(db);
        audit = new AuditTable(db);
    }

    /** An MS diagnosis (Gd) with eGFR 24: the rules say FULL with Gd, the renal alert asks for a radiologist. */
    private WorklistItem orderWithEgfr(String placer, String egfr, String control) {
        ProcedureRequest p = new ProcedureRequest("ACC-" + placer, null, RealMappingOrderTest.MS_CODE, START, "MR",
                "bilan initial SEP", null, null, "SPS-" + placer, null, Map.of(),
                List.of(Observation.ofNumber("EGFR", "99OFSEP", new java.math.BigDecimal(egfr), "mL/min/1.73m2")));
        return orders.apply(Orders.order(placer).control(control, "SC").procedure(p).build()).get(0);
    }

    /** The same order as a stable follow-up with a comparable prior: ROUTINE without Gd. */
    private WorklistItem followUp(String placer, String control) {
        ProcedureRequest p = new ProcedureRequest("ACC-" + placer, null, RealMappingOrderTest.MS_CODE, START, "MR",
                "suivi SEP", null, null, "SPS-" + placer, null, Map.of(),
                List.of(Observation.ofNumber("EGFR", "99OFSEP", new java.math.BigDecimal("24"), "mL/min/1.73m2"),
                        Observation.ofDate("PRIOR-MRI", "99OFSEP", org.ofsep.mwl.core.domain.PartialDate.of(2025, 3, 1)),
                        new Observation("PRIOR-MRI-3DFLAIR", "99OFSEP", "CE", "Y", null)));
        return orders.apply(Orders.order(placer).control(control, "SC").procedure(p).build()).get(0);
    }

    /** A follow-up that states no previous MRI: Gd, as there is no MRI to compare with (eGFR 24: held). */
    private WorklistItem followUpWithoutPrior(String placer, String control) {
        ProcedureRequest p = new ProcedureRequest("ACC-" + placer, null, RealMappingOrderTest.MS_CODE, START, "MR",
                "suivi SEP", null, null, "SPS-" + placer, null, Map.of(),
                List.of(Observation.ofNumber("EGFR", "99OFSEP", new java.math.BigDecimal("24"), "mL/min/1.73m2")));
        return orders.apply(Orders.order(placer).control(control, "SC").procedure(p).build()).get(0);
    }

    private JdbcReviewService.Action action(String user, Role role, String accession, String what, String card,
                                            Boolean contrast, String reason, Integer version) {
        return new JdbcReviewService.Action(user, role, "127.0.0.1", accession, null, what, card, contrast, null,
                reason, version);
    }

    @Test
    void egfr24IsHeldWithoutGdUntilARadiologistConfirms() {
        WorklistItem held = orderWithEgfr("P1", "24", "NW");
        assertThat(held.decision().contrast()).isFalse();
        assertThat(held.decision().examCard()).isEqualTo(ExamCard.FULL);
        assertThat(held.spsDescription()).isEqualTo("OFSEP FULL + MOELLE - sans Gd - attente radiologue");
        assertThat(held.requestedContrastAgent()).isNull();
        assertThat(held.decision().defaultCodes().get(0).value()).isEqualTo("OFSEP-FULL");
        assertThat(held.medicalAlerts()).anyMatch(a -> a.contains("eGFR 24"));

        List<ReviewItem> list = reviews.list(START.toLocalDate(), null, false);
        assertThat(list).hasSize(1);
        ReviewItem r = list.get(0);
        assertThat(r.state()).isEqualTo(ReviewState.TO_REVIEW);
        assertThat(r.rules().contrast()).isTrue();
        assertThat(r.why()).anyMatch(w -> w.startsWith("RENAL_ALERT"));

        // a stale version, a technologist and a missing reason are refused and change nothing
        assertThatThrownBy(() -> reviews.act(action("dr", Role.RADIOLOGIST, "ACC-P1", "CONFIRM", null, null, "ok",
                r.version() + 1))).isInstanceOf(ReviewRefusedException.class).hasMessageContaining("reload");
        assertThatThrownBy(() -> reviews.act(action("tech", Role.TECHNOLOGIST, "ACC-P1", "CONFIRM", null, null, "ok",
                r.version()))).isInstanceOf(ReviewRefusedException.class).hasMessageContaining("only a radiologist");
        assertThatThrownBy(() -> reviews.act(action("dr", Role.RADIOLOGIST, "ACC-P1", "OVERRIDE", "FULL", false, " ",
                r.version()))).isInstanceOf(ReviewRefusedException.class).hasMessageContaining("reason");
        assertThat(store.findBySpsId("SPS-P1").orElseThrow()).isEqualTo(held);

        ReviewItem confirmed = reviews.act(action("dr.martin", Role.RADIOLOGIST, "ACC-P1", "CONFIRM", null, null,
                "benefit outweighs the risk", r.version()));
        assertThat(confirmed.state()).isEqualTo(ReviewState.CONFIRMED);
        WorklistItem now = store.findBySpsId("SPS-P1").orElseThrow();
        assertThat(now.decision().contrast()).isTrue();
        assertThat(now.spsDescription()).isEqualTo("OFSEP FULL + MOELLE - avec gadolinium");
        assertThat(now.requestedContrastAgent()).startsWith("gadobutrol");

        // the second reviewer, on the old version, gets a clear message
        assertThatThrownBy(() -> reviews.act(action("dr.other", Role.RADIOLOGIST, "ACC-P1", "OVERRIDE", "FULL", false,
                "no", r.version()))).isInstanceOf(ReviewRefusedException.class)
                .hasMessageContaining("CONFIRMED by dr.martin");

        List<AuditEvent> events = audit.list(null, null, "dr.martin", null, 100);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).action()).isEqualTo("CONFIRM");
        assertThat(events.get(0).before()).contains("\"contrast\":false").contains("TO_REVIEW");
        assertThat(events.get(0).after()).contains("\"contrast\":true").contains("CONFIRMED");
        assertThat(events.get(0).reason()).isEqualTo("benefit outweighs the risk");
        assertThat(events.get(0).address()).isEqualTo("127.0.0.1");
    }

    @Test
    void aPersonsDecisionIsNeverReplacedAutomatically() {
        orderWithEgfr("P2", "24", "NW");
        ReviewItem r = reviews.find("ACC-P2");
        reviews.act(action("dr", Role.RADIOLOGIST, "ACC-P2", "OVERRIDE", "FULL", false, "renal risk too high",
                r.version()));
        WorklistItem overridden = store.findBySpsId("SPS-P2").orElseThrow();
        assertThat(overridden.decision().contrast()).isFalse();
        assertThat(overridden.spsDescription()).isEqualTo("OFSEP FULL + MOELLE - sans gadolinium");

        // the same order again (XO with the same facts): the override stands
        clock.set(Instant.parse("2026-03-02T08:00:00Z"));
        WorklistItem again = orderWithEgfr("P2", "24", "XO");
        assertThat(again.decision()).isEqualTo(overridden.decision());
        assertThat(reviews.find("ACC-P2").state()).isEqualTo(ReviewState.OVERRIDDEN);

        // an XO that changes the automatic decision (now a follow-up with a comparable prior: ROUTINE) goes back
        // to review, and the history keeps both
        WorklistItem changed = followUp("P2", "XO");
        ReviewItem back = reviews.find("ACC-P2");
        assertThat(back.state()).isEqualTo(ReviewState.TO_REVIEW);
        assertThat(back.why().get(0)).startsWith("CHANGED_AFTER_REVIEW").contains("was FULL with Gd")
                .contains("now ROUTINE without Gd");
        assertThat(back.rules().examCard()).isEqualTo(ExamCard.ROUTINE);
        // no alert the radiologist did not see: while it waits, the console keeps the radiologist's decision
        assertThat(changed.decision()).isEqualTo(overridden.decision());
        assertThat(changed.spsDescription()).isEqualTo("OFSEP FULL + MOELLE - sans gadolinium");
        assertThat(store.findBySpsId("SPS-P2").orElseThrow().decision().examCard()).isEqualTo(ExamCard.FULL);
        // and the next message does not publish the automatic decision over it either (an XO that only moved the
        // time, or the PACS's answer, made it AUTO with ROUTINE on the console; found by an independent review)
        clock.set(Instant.parse("2026-03-02T09:00:00Z"));
        WorklistItem next = followUp("P2", "XO");
        assertThat(next.decision()).isEqualTo(overridden.decision());
        ReviewItem still = reviews.find("ACC-P2");
        assertThat(still.state()).isEqualTo(ReviewState.TO_REVIEW);
        assertThat(still.reviewedBy()).as("whose decision the console keeps").isEqualTo("dr");
        List<AuditEvent> redecided = audit.list(null, null, JdbcReviewService.GATEWAY, List.of("REDECIDED"), 10);
        assertThat(redecided).hasSize(1);
        assertThat(redecided.get(0).before()).contains("OVERRIDDEN");
        assertThat(redecided.get(0).after()).contains("TO_REVIEW");
    }

    /** An MS diagnosis (Gd) with these observations besides the weight. */
    private WorklistItem diagnosis(String placer, String control, Observation... obs) {
        ProcedureRequest p = new ProcedureRequest("ACC-" + placer, null, RealMappingOrderTest.MS_CODE, START, "MR",
                "bilan initial SEP", null, null, "SPS-" + placer, null, Map.of(), List.of(obs));
        return orders.apply(Orders.order(placer).control(control, "SC").procedure(p).build()).get(0);
    }

    /**
     * A radiologist confirmed Gd; an update then brings a safety alert the radiologist never saw (eGFR 24, a
     * pregnancy): the exam is the same (card, Gd, codes, dose), but the confirmation was not given for this. The
     * decision goes back to review, held without Gd, and the console's Medical Alerts carry the new alert. Before,
     * the confirmation stood and the console kept the alerts of the confirmed decision: Gd with eGFR 24, unflagged.
     */
    @Test
    void aNewSafetyAlertAfterAConfirmationGoesBackToReview() {
        WorklistItem first = diagnosis("G1", "NW", Observation.ofNumber("EGFR", "99OFSEP",
                new java.math.BigDecimal("90"), "mL/min/1.73m2"));
        assertThat(first.decision().contrast()).isTrue();
        ReviewItem auto = reviews.find("ACC-G1");
        reviews.act(action("dr.martin", Role.RADIOLOGIST, "ACC-G1", "CONFIRM", null, null, "diagnosis", auto.version()));
        assertThat(reviews.find("ACC-G1").state()).isEqualTo(ReviewState.CONFIRMED);

        clock.set(Instant.parse("2026-03-02T08:00:00Z"));
        WorklistItem updated = diagnosis("G1", "XO", Observation.ofNumber("EGFR", "99OFSEP",
                new java.math.BigDecimal("24"), "mL/min/1.73m2"));
        ReviewItem back = reviews.find("ACC-G1");
        assertThat(back.state()).isEqualTo(ReviewState.TO_REVIEW);
        assertThat(back.why()).anyMatch(w -> w.startsWith("CHANGED_AFTER_REVIEW"))
                .anyMatch(w -> w.startsWith("RENAL_ALERT"));
        assertThat(updated.decision().contrast()).as("held without Gd until a radiologist sees the alert").isFalse();
        assertThat(updated.medicalAlerts()).anyMatch(a -> a.contains("eGFR 24"));
        assertThat(store.findBySpsId("SPS-G1").orElseThrow().medicalAlerts()).anyMatch(a -> a.contains("eGFR 24"));
        assertThat(audit.list(null, null, JdbcReviewService.GATEWAY, List.of("REDECIDED"), 10)).singleElement()
                .satisfies(e -> assertThat(e.before()).contains("CONFIRMED"));

        // held for the renal alert, a pregnancy comes in: a reviewer of the version without it must reload
        ReviewItem held = reviews.find("ACC-G1");
        diagnosis("G1", "XO", Observation.ofNumber("EGFR", "99OFSEP", new java.math.BigDecimal("24"), "mL/min/1.73m2"),
                new Observation("82810-3", "LN", "CE", "LA15173-0", null));
        assertThat(reviews.find("ACC-G1").why()).anyMatch(w -> w.startsWith("PREGNANCY"));
        assertThatThrownBy(() -> reviews.act(action("dr.martin", Role.RADIOLOGIST, "ACC-G1", "CONFIRM", null, null,
                "renal risk accepted", held.version()))).isInstanceOf(ReviewRefusedException.class)
                .hasMessageContaining("reload");
        assertThat(store.findBySpsId("SPS-G1").orElseThrow().decision().contrast()).isFalse();
    }

    /**
     * A radiologist overrides (FULL, Gd, SWI); an update brings a pregnancy she never saw: back to review, held
     * without Gd (the console no longer has her decision). The next updates (the pregnancy ruled out) and PACS answers
     * must not make the step AUTO: her decision is still the last a person made, so each automatic change goes back
     * to review, named and audited, until a radiologist acts. Before, the set-aside row named no one: the next XO
     * published the rules' plain decision as AUTO (no SWI), with no audit event after the first REDECIDED (found by
     * independent testers against a running gateway).
     */
    @Test
    void aDecisionSetAsideByANewAlertStillGoesBackToReviewOnEveryLaterChange() {
        Observation egfr = Observation.ofNumber("EGFR", "99OFSEP", new java.math.BigDecimal("90"), "mL/min/1.73m2");
        Observation pregnant = new Observation("82810-3", "LN", "CE", "LA15173-0", null);
        WorklistItem first = diagnosis("R1", "NW", egfr);
        assertThat(first.decision().contrast()).isTrue();
        ReviewItem auto = reviews.find("ACC-R1");
        assertThat(auto.state()).isEqualTo(ReviewState.AUTO);
        ReviewItem overridden = reviews.act(new JdbcReviewService.Action("dr.blanc", Role.RADIOLOGIST, "127.0.0.1",
                "ACC-R1", null, "OVERRIDE", "FULL", true, List.of("SWI"), "central vein sign wanted", auto.version()));
        assertThat(overridden.state()).isEqualTo(ReviewState.OVERRIDDEN);

        // a pregnancy she never saw: back to review, held without Gd, and still naming her
        clock.set(Instant.parse("2026-03-02T08:00:00Z"));
        WorklistItem pregnancy = diagnosis("R1", "XO", egfr, pregnant);
        assertThat(pregnancy.decision().contrast()).as("held without Gd").isFalse();
        ReviewItem held = reviews.find("ACC-R1");
        assertThat(held.state()).isEqualTo(ReviewState.TO_REVIEW);
        assertThat(held.reviewedBy()).as("whose decision was set aside").isEqualTo("dr.blanc");
        assertThat(held.reason()).isEqualTo("central vein sign wanted");
        assertThat(held.why()).anyMatch(w -> w.startsWith("PREGNANCY"))
                .anyMatch(w -> w.startsWith("SET_ASIDE") && w.contains("dr.blanc"));

        // the pregnancy ruled out: another automatic change, back to review again, never AUTO
        clock.set(Instant.parse("2026-03-02T09:00:00Z"));
        WorklistItem ruledOut = diagnosis("R1", "XO", egfr);
        ReviewItem again = reviews.find("ACC-R1");
        assertThat(again.state()).isEqualTo(ReviewState.TO_REVIEW);
        assertThat(again.reviewedBy()).isEqualTo("dr.blanc");
        assertThat(again.version()).isEqualTo(held.version() + 1);
        assertThat(again.why().get(0)).startsWith("CHANGED_AFTER_REVIEW").contains("set aside");
        assertThat(again.why()).anyMatch(w -> w.startsWith("SET_ASIDE"));
        // the console has the automatic decision as the review policy publishes it: held without Gd, no stale
        // pregnancy alert
        assertThat(ruledOut.decision().contrast()).isFalse();
        assertThat(ruledOut.spsDescription()).isEqualTo("OFSEP FULL + MOELLE - sans Gd - attente radiologue");
        assertThat(ruledOut.medicalAlerts()).noneMatch(a -> a.contains("pregnancy"));
        assertThat(audit.list(null, null, JdbcReviewService.GATEWAY, List.of("REDECIDED"), 10)).hasSize(2);

        // the same through a PACS answer: the same exam changes nothing, another exam goes back to review, audited
        Decision rules = again.rules();
        db.inTransaction(c -> JdbcReviewService.redecide(c, mapping,
                org.ofsep.mwl.store.ItemTable.byAccession(c, "ACC-R1").get(0), rules, ItemTexts.DEFAULT,
                "PACS priors", clock.instant()));
        assertThat(reviews.find("ACC-R1").version()).isEqualTo(again.version());
        Decision routine = ReviewPolicy.override(mapping, rules, ExamCard.ROUTINE, false, List.of(), 70.0, "test",
                "as if the rules said ROUTINE");
        WorklistItem pacs = db.inTransaction(c -> JdbcReviewService.redecide(c, mapping,
                org.ofsep.mwl.store.ItemTable.byAccession(c, "ACC-R1").get(0), routine, ItemTexts.DEFAULT,
                "PACS priors", clock.instant()));
        ReviewItem afterPacs = reviews.find("ACC-R1");
        assertThat(afterPacs.state()).isEqualTo(ReviewState.TO_REVIEW);
        assertThat(afterPacs.reviewedBy()).isEqualTo("dr.blanc");
        assertThat(afterPacs.why().get(0)).contains("PACS priors");
        assertThat(pacs.decision().examCard()).isEqualTo(ExamCard.ROUTINE);
        List<AuditEvent> redecided = audit.list(null, null, JdbcReviewService.GATEWAY, List.of("REDECIDED"), 10);
        assertThat(redecided).hasSize(3);

        // a radiologist acts: the decision is hers again, and nothing is set aside any more
        ReviewItem confirmed = reviews.act(action("dr.martin", Role.RADIOLOGIST, "ACC-R1", "CONFIRM", null, null,
                "follow-up", afterPacs.version()));
        assertThat(confirmed.state()).isEqualTo(ReviewState.CONFIRMED);
        assertThat(confirmed.why()).noneMatch(w -> w.startsWith("SET_ASIDE"));
        // and the same exam again keeps her confirmation
        db.inTransaction(c -> JdbcReviewService.redecide(c, mapping,
                org.ofsep.mwl.store.ItemTable.byAccession(c, "ACC-R1").get(0), routine, ItemTexts.DEFAULT,
                "PACS priors", clock.instant()));
        assertThat(reviews.find("ACC-R1").state()).isEqualTo(ReviewState.CONFIRMED);
    }

    @Test
    void aPacsReDecisionGoesThroughTheSameGuard() {
        orderWithEgfr("P4", "24", "NW");
        ReviewItem r = reviews.find("ACC-P4");
        reviews.act(action("dr", Role.RADIOLOGIST, "ACC-P4", "CONFIRM", null, null, "ok", r.version()));
        WorklistItem confirmed = store.findBySpsId("SPS-P4").orElseThrow();
        // the same exam decided again (e.g. the PACS had nothing new): the confirmation stands
        WorklistItem same = db.inTransaction(c -> JdbcReviewService.redecide(c, mapping,
                org.ofsep.mwl.store.ItemTable.byAccession(c, "ACC-P4").get(0), r.rules(), ItemTexts.DEFAULT,
                "PACS priors", clock.instant()));
        assertThat(same.decision()).isEqualTo(confirmed.decision());
        assertThat(reviews.find("ACC-P4").state()).isEqualTo(ReviewState.CONFIRMED);
        // another exam (a comparable prior found: ROUTINE): back to review, audited
        org.ofsep.mwl.core.domain.Decision routine = ReviewPolicy.override(mapping, r.rules(), ExamCard.ROUTINE, false,
                List.of(), 70.0, "test", "as if the rules said ROUTINE");
        db.inTransaction(c -> JdbcReviewService.redecide(c, mapping,
                org.ofsep.mwl.store.ItemTable.byAccession(c, "ACC-P4").get(0), routine, ItemTexts.DEFAULT,
                "PACS priors", clock.instant()));
        ReviewItem back = reviews.find("ACC-P4");
        assertThat(back.state()).isEqualTo(ReviewState.TO_REVIEW);
        assertThat(back.why().get(0)).contains("PACS priors").contains("CONFIRMED by dr");
        assertThat(audit.list(null, null, JdbcReviewService.GATEWAY, List.of("REDECIDED"), 10)).hasSize(1);
    }

    /**
     * A follow-up that states no previous MRI gets Gd (no MRI to compare with; eGFR 24: held for review); a
     * radiologist overrides it to ROUTINE without Gd (she knows of a comparable MRI the order did not state). The
     * update that states that MRI makes the rules decide the exam she chose, without an alert she did not see: the
     * override stands. Before, it went back to review: a second review of the exam the radiologist had chosen.
     * The row keeps the new rules' decision at a new version with why, the audit trail records RULES_AGREED by
     * the gateway, and a reviewer on the old version must reload.
     */
    @Test
    void anOverrideTheRulesLaterAgreeWithStands() {
        followUpWithoutPrior("P5", "NW");
        ReviewItem r = reviews.find("ACC-P5");
        assertThat(r.rules().examCard()).isEqualTo(ExamCard.FULL);
        assertThat(r.state()).isEqualTo(ReviewState.TO_REVIEW);
        ReviewItem overridden = reviews.act(action("dr.martin", Role.RADIOLOGIST, "ACC-P5", "OVERRIDE", "ROUTINE",
                false, "MRI of 03/2025 with 3D FLAIR at the private practice", r.version()));
        WorklistItem chosen = store.findBySpsId("SPS-P5").orElseThrow();

        clock.set(Instant.parse("2026-03-02T08:00:00Z"));
        WorklistItem updated = followUp("P5", "XO");
        ReviewItem after = reviews.find("ACC-P5");
        assertThat(after.rules().examCard()).isEqualTo(ExamCard.ROUTINE);
        assertThat(after.rules().contrast()).isFalse();
        assertThat(after.state()).isEqualTo(ReviewState.OVERRIDDEN);
        assertThat(after.reviewedBy()).isEqualTo("dr.martin");
        assertThat(after.version()).isEqualTo(overridden.version() + 1);
        assertThat(after.why().get(0)).startsWith("RULES_AGREED").contains("order update").contains("dr.martin")
                .contains("was FULL with Gd").contains("now ROUTINE without Gd");
        assertThat(updated.decision()).isEqualTo(chosen.decision());
        assertThat(store.findBySpsId("SPS-P5").orElseThrow().spsDescription()).isEqualTo(chosen.spsDescription());
        assertThat(audit.list(null, null, JdbcReviewService.GATEWAY, List.of("REDECIDED"), 10)).isEmpty();
        assertThat(audit.list(null, null, JdbcReviewService.GATEWAY, List.of("RULES_AGREED"), 10)).singleElement()
                .satisfies(e -> {
                    assertThat(e.before()).contains("OVERRIDDEN").contains("\"contrast\":true");
                    assertThat(e.after()).contains("OVERRIDDEN").contains("\"contrast\":false");
                    assertThat(e.accessionNumber()).isEqualTo("ACC-P5");
                });
        assertThatThrownBy(() -> reviews.act(action("dr.other", Role.RADIOLOGIST, "ACC-P5", "CONFIRM", null, null,
                "ok", overridden.version()))).isInstanceOf(ReviewRefusedException.class).hasMessageContaining("reload");

        // the same update again: nothing new, no second event
        followUp("P5", "XO");
        assertThat(reviews.find("ACC-P5").version()).isEqualTo(after.version());
        assertThat(audit.list(null, null, JdbcReviewService.GATEWAY, List.of("RULES_AGREED"), 10)).hasSize(1);

        // the exam she chose, but with an alert she never saw (as a pregnancy would bring): back to review
        Decision rules = reviews.find("ACC-P5").rules();
        Decision withNewAlert = new Decision(true, rules.examCard(), false, false, rules.spine(), rules.spineDue(),
                rules.rule(), rules.reasons(), List.of("Pregnancy: MRI to be discussed"), null, rules.nextMriMonths(),
                rules.optionalSequences(), rules.defaultCodes(), rules.vendorCodes(), rules.facts());
        db.inTransaction(c -> JdbcReviewService.redecide(c, mapping,
                org.ofsep.mwl.store.ItemTable.byAccession(c, "ACC-P5").get(0), withNewAlert, ItemTexts.DEFAULT,
                "PACS priors", clock.instant()));
        assertThat(reviews.find("ACC-P5").state()).isEqualTo(ReviewState.TO_REVIEW);
        assertThat(audit.list(null, null, JdbcReviewService.GATEWAY, List.of("REDECIDED"), 10)).hasSize(1);
    }

    /**
     * At diagnosis the rules add the spine; an override to ROUTINE keeps it. A follow-up's rules (ROUTINE, no
     * spine) are another exam than the one published: back to review.
     */
    @Test
    void anOverrideTheRulesDecideAnotherExamForGoesBackToReview() {
        orderWithEgfr("P6", "24", "NW");
        ReviewItem r = reviews.find("ACC-P6");
        reviews.act(action("dr.martin", Role.RADIOLOGIST, "ACC-P6", "OVERRIDE", "ROUTINE", false, "prior known",
                r.version()));
        assertThat(store.findBySpsId("SPS-P6").orElseThrow().decision().spine()).isTrue();
        clock.set(Instant.parse("2026-03-02T08:00:00Z"));
        followUp("P6", "XO");
        ReviewItem back = reviews.find("ACC-P6");
        assertThat(back.rules().spine()).isFalse();
        assertThat(back.state()).isEqualTo(ReviewState.TO_REVIEW);
        assertThat(back.why().get(0)).startsWith("CHANGED_AFTER_REVIEW");
        assertThat(audit.list(null, null, JdbcReviewService.GATEWAY, List.of("RULES_AGREED"), 10)).isEmpty();
    }

    /**
     * An override's optional sequences are the chosen card's own (mapping.yaml, examCards; the board offers only
     * those): any text was stored, shown on the board and audited as a radiologist's choice (found by an independent
     * review), and a FULL-only or spine sequence on a ROUTINE card was accepted (found by the second one).
     */
    @Test
    void anOverrideNamesOnlyTheCardsOptionalSequences() {
        orderWithEgfr("P7", "24", "NW");
        ReviewItem r = reviews.find("ACC-P7");
        for (List<String> bad : List.of(List.of("NOT_A_SEQUENCE"), List.of("SWI", "3D T1"), List.of("x".repeat(5000)),
                List.of("DTI >= 15 directions"), List.of("Sagittal STIR or PSIR"))) {
            assertThatThrownBy(() -> reviews.act(new JdbcReviewService.Action("dr", Role.RADIOLOGIST, "127.0.0.1",
                    "ACC-P7", null, "OVERRIDE", "ROUTINE", false, bad, "prior known", r.version())))
                    .isInstanceOf(ReviewRefusedException.class).hasMessageContaining("not an optional sequence")
                    .hasMessageContaining("3D DIR");
        }
        ReviewItem done = reviews.act(new JdbcReviewService.Action("dr", Role.RADIOLOGIST, "127.0.0.1", "ACC-P7",
                null, "OVERRIDE", "ROUTINE", false, List.of("SWI", "3D DIR"), "prior known", r.version()));
        assertThat(done.item().decision().optionalSequences()).containsExactly("SWI", "3D DIR");
    }

    /**
     * The optional sequences an override chooses reach the console as the rules' suggestions do, in the Requested
     * Procedure Comments: they were on the board and in the audit trail, and the console read only "Radiologist
     * override by dr.blanc: FULL with Gd. Reason: ..." (found by independent testers against a running gateway).
     */
    @Test
    void anOverridesOptionalSequencesReachTheConsole() {
        orderWithEgfr("Q1", "24", "NW");
        ReviewItem r = reviews.find("ACC-Q1");
        reviews.act(new JdbcReviewService.Action("dr.blanc", Role.RADIOLOGIST, "127.0.0.1", "ACC-Q1", null,
                "OVERRIDE", "FULL", true, List.of("SWI", "3D DIR"), "central vein sign wanted", r.version()));
        WorklistItem console = store.findBySpsId("SPS-Q1").orElseThrow();
        assertThat(console.decision().optionalSequences()).containsExactly("SWI", "3D DIR");
        assertThat(console.procedureComments().split("\n")[0]).isEqualTo("Radiologist override by dr.blanc: FULL"
                + " with Gd, optional sequences: SWI, 3D DIR. Reason: central vein sign wanted");

        // none chosen: the console is told, as the rules' reasons below may still suggest some
        orderWithEgfr("Q2", "24", "NW");
        ReviewItem r2 = reviews.find("ACC-Q2");
        reviews.act(new JdbcReviewService.Action("dr.blanc", Role.RADIOLOGIST, "127.0.0.1", "ACC-Q2", null,
                "OVERRIDE", "FULL", false, List.of(), "renal risk", r2.version()));
        assertThat(store.findBySpsId("SPS-Q2").orElseThrow().procedureComments())
                .startsWith("Radiologist override by dr.blanc: FULL without Gd, no optional sequence. Reason: renal risk");
    }

    /**
     * After a radiologist confirmed a held Gd, the console says so: each alert that asked for a radiologist says who
     * confirmed it, its substance kept (the eGFR, the pregnancy), and the comments' first line says who and when.
     * The console got the Gd card with "radiologist to confirm" still on Medical Alerts and no trace of the
     * confirmation: what a technologist sees for a Gd no one looked at (found by independent testers). Every value
     * stays within LO's 64 characters, never cut: a name too long for it leaves "confirmed" alone.
     */
    @Test
    void aConfirmedGdSaysWhoConfirmedItOnTheConsole() {
        Observation egfr = Observation.ofNumber("EGFR", "99OFSEP", new java.math.BigDecimal("25"), "mL/min/1.73m2");
        Observation pregnant = new Observation("82810-3", "LN", "CE", "LA15173-0", null);
        diagnosis("C1", "NW", egfr, pregnant);
        ReviewItem r = reviews.find("ACC-C1");
        assertThat(r.rules().alerts()).contains("Gd with eGFR 25 < 30: radiologist to confirm",
                "Gd in pregnancy: radiologist to confirm");
        clock.set(Instant.parse("2026-03-02T07:30:00Z"));
        reviews.act(action("dr.martin", Role.RADIOLOGIST, "ACC-C1", "CONFIRM", null, null, "benefit outweighs the risk",
                r.version()));
        WorklistItem console = store.findBySpsId("SPS-C1").orElseThrow();
        assertThat(console.decision().contrast()).isTrue();
        assertThat(console.medicalAlerts()).contains("Gd with eGFR 25 < 30: confirmed by dr.martin",
                "Gd in pregnancy: confirmed by dr.martin").noneMatch(a -> a.contains("radiologist to confirm"));
        assertThat(console.procedureComments().split("\n")[0]).isEqualTo("Radiologist confirmation by dr.martin at"
                + " 2026-03-02 07:30 Z: FULL with Gd. Reason: benefit outweighs the risk");
        // the review keeps the rules' own decision, and the same exam decided again keeps the confirmation
        assertThat(reviews.find("ACC-C1").rules()).isEqualTo(r.rules());
        WorklistItem again = diagnosis("C1", "XO", egfr, pregnant);
        assertThat(reviews.find("ACC-C1").state()).isEqualTo(ReviewState.CONFIRMED);
        assertThat(again.medicalAlerts()).contains("Gd with eGFR 25 < 30: confirmed by dr.martin");

        // a name that does not fit one Medical Alerts value: "confirmed", the substance kept, nothing cut; the
        // comments (LT) name the radiologist
        String longName = "dr.".repeat(21);
        diagnosis("C2", "NW", egfr, pregnant);
        ReviewItem r2 = reviews.find("ACC-C2");
        reviews.act(action(longName, Role.RADIOLOGIST, "ACC-C2", "CONFIRM", null, null, null, r2.version()));
        WorklistItem c2 = store.findBySpsId("SPS-C2").orElseThrow();
        assertThat(c2.medicalAlerts()).contains("Gd with eGFR 25 < 30: confirmed", "Gd in pregnancy: confirmed")
                .allMatch(a -> a.length() <= 64 && !a.endsWith("..."));
        assertThat(c2.procedureComments()).startsWith("Radiologist confirmation by " + longName + " at ")
                .contains(": FULL with Gd.\n");

        // an override that keeps Gd says the same
        diagnosis("C3", "NW", egfr);
        ReviewItem r3 = reviews.find("ACC-C3");
        reviews.act(new JdbcReviewService.Action("dr.blanc", Role.RADIOLOGIST, "127.0.0.1", "ACC-C3", null,
                "OVERRIDE", "FULL", true, List.of("SWI"), "diagnosis needs Gd", r3.version()));
        assertThat(store.findBySpsId("SPS-C3").orElseThrow().medicalAlerts())
                .contains("Gd with eGFR 25 < 30: confirmed by dr.blanc");
    }

    @Test
    void aStartedStepCannotBeChanged() {
        orderWithEgfr("P3", "24", "NW");
        ReviewItem r = reviews.find("ACC-P3");
        orders.apply(Orders.order("P3").control("SC", "IP").build());
        assertThat(store.findBySpsId("SPS-P3").orElseThrow().status()).isEqualTo(SpsStatus.STARTED);
        assertThatThrownBy(() -> reviews.act(action("dr", Role.RADIOLOGIST, "ACC-P3", "CONFIRM", null, null, "ok",
                r.version()))).isInstanceOf(ReviewRefusedException.class).hasMessageContaining("STARTED");
        assertThat(audit.list(null, null, "dr", null, 10)).isEmpty();
    }

    @Test
    void aDecisionWithoutReviewConditionIsAuto() {
        ProcedureRequest p = new ProcedureRequest("ACC-A", null, RealMappingOrderTest.MS_CODE, START, "MR",
                "bilan initial SEP", null, null, "SPS-A", null, Map.of(), List.of());
        WorklistItem a = orders.apply(Orders.order("PA").procedure(p).build()).get(0);
        assertThat(a.decision().contrast()).isTrue();
        assertThat(a.spsDescription()).isEqualTo("OFSEP FULL + MOELLE - avec gadolinium");
        assertThat(reviews.find("ACC-A").state()).isEqualTo(ReviewState.AUTO);
        assertThat(reviews.list(START.toLocalDate(), null, false)).isEmpty();
    }

    /**
     * The review row keeps the rules' decision only when the item publishes another one: an AUTO decision is the
     * item's own decision, read back whole from the item (facts, reasons, every vendor's codes); a decision held
     * without Gd, or confirmed (the item says who confirmed it), keeps its rules' copy.
     */
    @Test
    void theRulesDecisionIsStoredOnceWhenTheItemPublishesIt() {
        ProcedureRequest p = new ProcedureRequest("ACC-S", null, RealMappingOrderTest.MS_CODE, START, "MR",
                "bilan initial SEP", null, null, "SPS-S", null, Map.of(), List.of());
        WorklistItem auto = orders.apply(Orders.order("PS").procedure(p).build()).get(0);
        WorklistItem held = orderWithEgfr("PH", "24", "NW");
        assertThat(hasReviewRow(auto.id())).as("an AUTO decision with nothing to review has no row").isFalse();
        assertThat(storedRulesJson(held.id())).contains("\"contrast\":true");

        ReviewItem a = reviews.find("ACC-S");
        assertThat(a.state()).isEqualTo(ReviewState.AUTO);
        assertThat(a.rules()).isEqualTo(auto.decision());
        assertThat(a.rules().reasons()).isNotEmpty();
        assertThat(a.rules().vendorCodes()).isNotEmpty();
        org.ofsep.mwl.core.domain.Decision rules = db.read(c -> JdbcReviewService.rulesDecision(c, auto));
        assertThat(rules).isEqualTo(auto.decision());

        ReviewItem h = reviews.find("ACC-PH");
        assertThat(h.rules().contrast()).isTrue();
        assertThat(held.decision().contrast()).isFalse();
        reviews.act(action("dr", Role.RADIOLOGIST, "ACC-PH", "CONFIRM", null, null, "ok", h.version()));
        // confirmed: the item publishes the rules' decision saying who confirmed it, so the rules' copy stays
        assertThat(storedRulesJson(held.id())).contains("\"contrast\":true");
        assertThat(store.findBySpsId("SPS-PH").orElseThrow().decision().reasons().get(0))
                .startsWith("Radiologist confirmation by dr at ");
        ReviewItem confirmed = reviews.find("ACC-PH");
        assertThat(confirmed.rules()).isEqualTo(h.rules());
        assertThat(reviews.list(START.toLocalDate(), null, true))
                .anyMatch(r -> r.item().id() == held.id() && r.rules().equals(h.rules()))
                .anyMatch(r -> r.item().id() == auto.id() && r.rules().equals(auto.decision()));

        // the order resent with the same facts: the confirmation stands, the rules still read back whole
        WorklistItem again = orderWithEgfr("PH", "24", "XO");
        assertThat(reviews.find("ACC-PH").state()).isEqualTo(ReviewState.CONFIRMED);
        assertThat(reviews.find("ACC-PH").rules()).isEqualTo(h.rules());
        assertThat(again.decision().contrast()).isTrue();
    }

    /**
     * A step with nothing to review (AUTO, version 1, no note) has no item_review row: every read path sees it as
     * that row (find, the review list with AUTO steps, the Gd report's list, rulesDecision), a radiologist can
     * confirm it or note on it (a row is written then), and a re-decision that sends it to review counts its
     * version on from 1. A step without an OFSEP decision stays out of the review.
     */
    @Test
    void aStepWithNothingToReviewHasNoRowAndReadsAsAuto() {
        WorklistItem a = orderWithEgfr("I1", "90", "NW");
        assertThat(hasReviewRow(a.id())).isFalse();
        ReviewItem r = reviews.find("ACC-I1");
        assertThat(r.state()).isEqualTo(ReviewState.AUTO);
        assertThat(r.version()).isEqualTo(1);
        assertThat(r.rules()).isEqualTo(a.decision());
        assertThat(r.why()).isEmpty();
        assertThat(r.note()).isNull();
        assertThat(reviews.list(START.toLocalDate(), null, false)).isEmpty();
        assertThat(reviews.list(START.toLocalDate(), null, true)).singleElement()
                .satisfies(x -> {
                    assertThat(x.item().id()).isEqualTo(a.id());
                    assertThat(x.state()).isEqualTo(ReviewState.AUTO);
                    assertThat(x.version()).isEqualTo(1);
                    assertThat(x.rules()).isEqualTo(a.decision());
                });
        assertThat(reviews.list(START.toLocalDate(), "NO_SUCH_AE", true)).isEmpty();
        assertThat(reviews.list(START.toLocalDate().plusDays(1), null, true)).isEmpty();
        org.ofsep.mwl.core.domain.Decision rulesOfA = db.read(c -> JdbcReviewService.rulesDecision(c, a));
        assertThat(rulesOfA).isEqualTo(a.decision());
        ReviewState stateOfA = db.read(c -> JdbcReviewService.reviewState(c, a.id()));
        assertThat(stateOfA).isEqualTo(ReviewState.AUTO);

        // the same order again: still nothing to review, still no row
        orderWithEgfr("I1", "90", "XO");
        assertThat(hasReviewRow(a.id())).isFalse();

        // a note on it is kept: the row is written then, still AUTO at version 1
        reviews.act(action("tech", Role.TECHNOLOGIST, "ACC-I1", "NOTE", null, null, "patient claustrophobic", null));
        assertThat(hasReviewRow(a.id())).isTrue();
        ReviewItem noted = reviews.find("ACC-I1");
        assertThat(noted.state()).isEqualTo(ReviewState.AUTO);
        assertThat(noted.version()).isEqualTo(1);
        assertThat(noted.note()).isEqualTo("tech: patient claustrophobic");
        // and the note survives the next automatic decision of the same exam
        orderWithEgfr("I1", "90", "XO");
        assertThat(reviews.find("ACC-I1").note()).isEqualTo("tech: patient claustrophobic");

        // a radiologist confirms a row-less AUTO step at the version the list showed
        WorklistItem b = orderWithEgfr("I2", "90", "NW");
        assertThat(hasReviewRow(b.id())).isFalse();
        assertThatThrownBy(() -> reviews.act(action("dr", Role.RADIOLOGIST, "ACC-I2", "CONFIRM", null, null, "ok",
                2))).isInstanceOf(ReviewRefusedException.class).hasMessageContaining("your version 2, now 1");
        ReviewItem confirmed = reviews.act(action("dr", Role.RADIOLOGIST, "ACC-I2", "CONFIRM", null, null, "ok", 1));
        assertThat(confirmed.state()).isEqualTo(ReviewState.CONFIRMED);
        assertThat(confirmed.version()).isEqualTo(2);
        assertThat(reviews.find("ACC-I2").state()).isEqualTo(ReviewState.CONFIRMED);

        // an update that now needs a radiologist: TO_REVIEW at version 2, a reviewer of version 1 is refused;
        // back to nothing to review: AUTO at version 3, written (a reviewer must see the version moved)
        WorklistItem c1 = orderWithEgfr("I3", "90", "NW");
        assertThat(hasReviewRow(c1.id())).isFalse();
        orderWithEgfr("I3", "24", "XO");
        ReviewItem toReview = reviews.find("ACC-I3");
        assertThat(toReview.state()).isEqualTo(ReviewState.TO_REVIEW);
        assertThat(toReview.version()).isEqualTo(2);
        assertThatThrownBy(() -> reviews.act(action("dr", Role.RADIOLOGIST, "ACC-I3", "CONFIRM", null, null, "ok",
                1))).isInstanceOf(ReviewRefusedException.class).hasMessageContaining("reload");
        orderWithEgfr("I3", "90", "XO");
        ReviewItem autoAgain = reviews.find("ACC-I3");
        assertThat(autoAgain.state()).isEqualTo(ReviewState.AUTO);
        assertThat(autoAgain.version()).isEqualTo(3);
        assertThat(hasReviewRow(c1.id())).isTrue();

        // a step without an OFSEP decision is not reviewable, with or without AUTO steps listed
        ProcedureRequest other = new ProcedureRequest("ACC-N", null,
                new org.ofsep.mwl.core.domain.ProtocolCode("IRMGENOU", "99RIS", "IRM genou"), START, "MR",
                "douleur", null, null, "SPS-N", null, Map.of(), List.of());
        WorklistItem n = orders.apply(Orders.order("PN").diagnoses().procedure(other).build()).get(0);
        assertThat(n.decision() == null || !n.decision().ofsep()).isTrue();
        assertThat(hasReviewRow(n.id())).isFalse();
        assertThat(reviews.find("ACC-N")).isNull();
        assertThat(reviews.list(START.toLocalDate(), null, true)).noneMatch(x -> x.item().id() == n.id());
        assertThatThrownBy(() -> reviews.act(action("dr", Role.RADIOLOGIST, "ACC-N", "CONFIRM", null, null, "ok",
                1))).isInstanceOf(ReviewRefusedException.class).hasMessageContaining("no exam with an OFSEP decision");
    }

    private boolean hasReviewRow(long itemId) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM item_review WHERE item_id = ?")) {
                ps.setLong(1, itemId);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) == 1;
                }
            }
        });
    }

    private String storedRulesJson(long itemId) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT rules_decision_json FROM item_review WHERE item_id = ?")) {
                ps.setLong(1, itemId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    /**
     * A person's decision sent back to review because an alert went away says which (it said "was FULL with Gd, now
     * FULL with Gd" and named no change; found by a verification).
     */
    @Test
    void aReviewReasonNamesTheAlertsThatWentAway() {
        Decision with = new Decision(true, ExamCard.FULL, true, false, false, false,
                org.ofsep.mwl.core.domain.RuleId.NO_COMPARABLE_PRIOR, List.of(),
                List.of("Gd: eGFR of a corrected birth date/sex: radiologist to confirm"), null, null, List.of(),
                List.of(), null);
        Decision without = new Decision(true, ExamCard.FULL, true, false, false, false,
                org.ofsep.mwl.core.domain.RuleId.NO_COMPARABLE_PRIOR, List.of(), List.of(), null, null, List.of(),
                List.of(), null);
        assertThat(JdbcReviewService.goneAlerts(with, without))
                .isEqualTo("; alerts no longer raised: Gd: eGFR of a corrected birth date/sex: radiologist to confirm");
        assertThat(JdbcReviewService.goneAlerts(without, with)).isEmpty();
    }
}
