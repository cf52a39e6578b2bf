package org.ofsep.mwl.store.priors;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.decision.OfsepDecisionEngine;
import org.ofsep.mwl.core.decision.PriorFacts;
import org.ofsep.mwl.core.decision.ReviewPolicy;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.ReviewState;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.Observation;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.service.ItemTexts;
import org.ofsep.mwl.core.service.UidGenerator;
import org.ofsep.mwl.store.DatabaseTest;
import org.ofsep.mwl.store.ItemTable;
import org.ofsep.mwl.store.JdbcWorklistStore;
import org.ofsep.mwl.store.service.JdbcOrderService;
import org.ofsep.mwl.store.service.JdbcReviewService;
import org.ofsep.mwl.store.service.Orders;

/**
 * What a re-decision after the PACS answer writes (issue #13): a NOTED one (same decision, the PACS line added to
 * the reasons) writes the reasons and facts of the step and its history entry, never the whole row, the protocol
 * codes or an unchanged review row; the row's version still grows (the C-FIND item cache must see the change). A
 * CHANGED one writes what changed, the codes included. With the real engine and the shipped mapping.
 */
abstract class RedecisionWritesContract extends DatabaseTest {

    static final ProtocolCode MS_CODE = new ProtocolCode("IRMSEP", "99RIS", "IRM cerebrale SEP");
    static final LocalDateTime START = LocalDateTime.of(2026, 3, 3, 9, 0);
    static final String PACS_LINE = "Priors not checked: the PACS (DIMSE PACS@pacs:104) could not be asked at"
            + " 2026-03-02 07:00:00 UTC (connection refused); the decision uses only what the order and the gateway's"
            + " history say.";

    private MappingSnapshot mapping;
    private JdbcOrderService orders;
    private JdbcRedecisions redecisions;
    private JdbcWorklistStore store;

    @BeforeEach
    void services() {
        mapping = MappingLoader.load(Path.of("..", "config", "mapping.yaml"));
        orders = new JdbcOrderService(db, () -> mapping, new OfsepDecisionEngine(),
                new UidGenerator(UidGenerator.DEFAULT_ROOT, clock), clock);
        redecisions = new JdbcRedecisions(db, () -> mapping, new OfsepDecisionEngine(), ItemTexts.DEFAULT, clock);
        store = new JdbcWorklistStore(db);
    }

    /** An MS order with eGFR {@code egfr} (no prior known: FULL with Gd; eGFR 24 is held for a radiologist). */
    private OrderMessage order(String placer, String egfr) {
        ProcedureRequest p = new ProcedureRequest("ACC-" + placer, null, MS_CODE, START, "MR", "suivi SEP", null,
                null, "SPS-" + placer, null, Map.of(), List.of(Observation.ofNumber("EGFR", "99OFSEP",
                new BigDecimal(egfr), "mL/min/1.73m2")));
        return Orders.order(placer).procedure(p).build();
    }

    /** The PACS's answer: a comparable brain MRI (3D FLAIR) a year before the exam. */
    private static org.ofsep.mwl.core.domain.PacsPriors comparablePrior() {
        return new org.ofsep.mwl.core.domain.PacsPriors("DIMSE PACS@pacs:104",
                START.toLocalDate().minusYears(1), true, "2025-03-03 'IRM ENCEPHALE SEP' (Study Instance UID 1.2.3)",
                "t2_spc_da-fl_sag_p2_iso", null, null, "Priors checked at 2026-03-02 07:00:00 UTC (PACS DIMSE"
                + " PACS@pacs:104): most recent comparable brain MRI 2025-03-03.");
    }

    private long rowVersion(long id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT row_version FROM worklist_item WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Test
    void aNotedReDecisionWritesTheReasonsAndFactsOnly() {
        OrderMessage order = order("N1", "90");
        WorklistItem intake = orders.apply(order).get(0);
        assertThat(intake.decision().examCard()).isEqualTo(ExamCard.FULL);
        long version = rowVersion(intake.id());

        List<JdbcRedecisions.Outcome> out = redecisions.redecide(order, null,
                d -> PriorFacts.withReason(d, PACS_LINE), "PRIORS", "PACS not asked: connection refused");

        assertThat(out).extracting(JdbcRedecisions.Outcome::kind).containsExactly(JdbcRedecisions.Kind.NOTED);
        WorklistItem now = store.findBySpsId("SPS-N1").orElseThrow();
        assertThat(now.decision().reasons()).contains(PACS_LINE);
        assertThat(now.decision().defaultCodes()).isEqualTo(intake.decision().defaultCodes());
        assertThat(now.decision().vendorCodes()).isEqualTo(intake.decision().vendorCodes());
        assertThat(PriorFacts.sameOutcome(now.decision(), intake.decision())).isTrue();
        assertThat(now.spsDescription()).isEqualTo(intake.spsDescription());
        assertThat(rowVersion(intake.id())).as("the row changed: its version grows").isEqualTo(version + 1);
        assertThat(redecisions.history(intake.id())).singleElement()
                .satisfies(h -> assertThat(h.outcome()).isEqualTo("NOTED"));

        // what the same re-decision sends to the database, step by step
        List<String> sql = recorded(stored -> JdbcReviewService.rulesDecision(stored.c, stored.item.item()),
                "SPS-N1", d -> PriorFacts.withReason(d, PACS_LINE.replace("refused", "timed out")));
        assertThat(writes(sql)).singleElement().satisfies(s -> assertThat(s)
                .startsWith("UPDATE worklist_item SET reasons = ?, row_version = row_version + 1"));
        assertThat(sql).noneMatch(s -> s.contains("item_protocol_code")).noneMatch(s -> s.contains("item_review")
                && !s.startsWith("SELECT"));
    }

    /**
     * A step decided with a PACS answer (at intake from the cache, or by an earlier lookup) keeps that decision when
     * a later lookup of the order cannot reach the PACS (the cache expired meanwhile, the PACS is down): README, "a
     * PACS that is down ... leaves the intake decision in force". Before, the step went back to FULL with Gd, its
     * reasons saying the priors were not checked, though the PACS's answer was known.
     */
    @Test
    void aPacsDownLaterKeepsADecisionMadeWithThePacsAnswer() {
        OrderMessage order = order("K1", "90");
        WorklistItem intake = orders.apply(order).get(0);
        assertThat(intake.decision().examCard()).isEqualTo(ExamCard.FULL);
        org.ofsep.mwl.core.domain.PacsPriors pacs = comparablePrior();
        assertThat(redecisions.redecide(order, pacs, d -> d, "PRIORS", pacs.reason()))
                .extracting(JdbcRedecisions.Outcome::kind).containsExactly(JdbcRedecisions.Kind.CHANGED);
        WorklistItem routine = store.findBySpsId("SPS-K1").orElseThrow();
        assertThat(routine.decision().examCard()).isEqualTo(ExamCard.ROUTINE);

        List<JdbcRedecisions.Outcome> out = redecisions.redecide(order, null, d -> PriorFacts.withReason(d, PACS_LINE),
                "PRIORS", "PACS not asked: connection refused");
        assertThat(out).extracting(JdbcRedecisions.Outcome::kind).containsExactly(JdbcRedecisions.Kind.UNCHANGED);
        WorklistItem now = store.findBySpsId("SPS-K1").orElseThrow();
        assertThat(now.decision().examCard()).isEqualTo(ExamCard.ROUTINE);
        assertThat(now.decision().contrast()).isFalse();
        assertThat(now.decision().reasons()).noneMatch(r -> r.startsWith("Priors not checked"));
        assertThat(redecisions.history(intake.id())).singleElement()
                .satisfies(h -> assertThat(h.outcome()).isEqualTo("CHANGED"));
    }

    /**
     * A mapping reload that renders the same decision differently (another Gd agent) between the order and the
     * PACS answer: the answer still applies. The step was left as STALE (not this message's decision) and kept FULL
     * with Gd though the PACS had a comparable prior (found by an independent review).
     */
    @Test
    void aReloadThatChangesOnlyTheAgentLeavesThePacsAnswerApplying() {
        OrderMessage order = order("S1", "90");
        WorklistItem intake = orders.apply(order).get(0);
        assertThat(intake.decision().contrastDose().agent()).isEqualTo("gadobutrol");
        String yaml;
        try {
            yaml = java.nio.file.Files.readString(Path.of("..", "config", "mapping.yaml"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(yaml).contains("selectedAgent: gadobutrol");
        mapping = MappingLoader.parse(yaml.replace("selectedAgent: gadobutrol", "selectedAgent: gadoterate"),
                "mapping.yaml");
        org.ofsep.mwl.core.domain.PacsPriors pacs = comparablePrior();
        assertThat(redecisions.redecide(order, pacs, d -> d, "PRIORS", pacs.reason()))
                .extracting(JdbcRedecisions.Outcome::kind).containsExactly(JdbcRedecisions.Kind.CHANGED);
        WorklistItem now = store.findBySpsId("SPS-S1").orElseThrow();
        assertThat(now.decision().examCard()).isEqualTo(ExamCard.ROUTINE);
        assertThat(now.decision().contrast()).isFalse();
    }

    /**
     * An ADT that corrects the birth date a Gd decision's eGFR was computed with (CKD-EPI from a creatinine): the
     * step goes to review, held without Gd, with an alert saying why. It kept the eGFR of the wrong age (32.6 at 46
     * is about 25 at 86: no renal alert; found by an independent review). A name-only update changes nothing.
     */
    @Test
    void aCorrectedBirthDateSendsAGdDecisionWhoseEgfrUsedItToReview() {
        org.ofsep.mwl.core.domain.Patient born1980 = new org.ofsep.mwl.core.domain.Patient("PC1", "CHU", "CREAT^FIVE",
                java.time.LocalDate.of(1980, 1, 1), "F");
        ProcedureRequest p = new ProcedureRequest("ACC-PC1", null, MS_CODE, START, "MR", "suivi SEP", null,
                null, "SPS-PC1", null, Map.of(), List.of(Observation.ofNumber("2160-0", "LN",
                new BigDecimal("1.9"), "mg/dL")));
        OrderMessage nw = Orders.order("PC1").patient(born1980).procedure(p).build();
        WorklistItem intake = orders.apply(nw).get(0);
        assertThat(intake.decision().contrast()).as(intake.decision().reasons().toString()).isTrue();
        assertThat(intake.decision().alerts()).isEmpty();

        orders.updatePatient(new org.ofsep.mwl.core.domain.Patient("PC1", "CHU", "CREAT^FIVE-B", null, null));
        assertThat(store.findBySpsId("SPS-PC1").orElseThrow().decision().contrast()).as("a name only").isTrue();

        orders.updatePatient(new org.ofsep.mwl.core.domain.Patient("PC1", "CHU", "CREAT^FIVE",
                java.time.LocalDate.of(1940, 1, 1), "F"));
        WorklistItem now = store.findBySpsId("SPS-PC1").orElseThrow();
        assertThat(now.patient().birthDate()).isEqualTo(java.time.LocalDate.of(1940, 1, 1));
        assertThat(now.decision().contrast()).as("held without Gd for a radiologist").isFalse();
        assertThat(now.medicalAlerts()).anyMatch(a -> a.contains("eGFR of a corrected birth date/sex"));
        ReviewState state = db.read(c -> JdbcReviewService.reviewState(c, now.id()));
        assertThat(state).isEqualTo(ReviewState.TO_REVIEW);

        // the PACS answers the lookup of the NW (its PID-7 the old one) after the ADT: decided with the birth date
        // the store holds, the eGFR is under 30 and the step stays held (it went AUTO with Gd, the alert gone)
        org.ofsep.mwl.core.domain.PacsPriors none = new org.ofsep.mwl.core.domain.PacsPriors("DIMSE PACS@pacs:104",
                null, false, null, null, null, null, "Priors checked at 2026-03-02 07:00:00 UTC (PACS DIMSE"
                + " PACS@pacs:104): no brain MRI of this patient.");
        redecisions.redecide(nw, none, d -> d, "PRIORS", none.reason());
        WorklistItem late = store.findBySpsId("SPS-PC1").orElseThrow();
        assertThat(late.decision().contrast()).as("still held without Gd").isFalse();
        assertThat(late.medicalAlerts()).anyMatch(a -> a.startsWith("Gd with eGFR 2") && a.contains("< 30"));
        ReviewState after = db.read(c -> JdbcReviewService.reviewState(c, late.id()));
        assertThat(after).isEqualTo(ReviewState.TO_REVIEW);
    }

    @Test
    void theSameDecisionAgainWritesNothing() {
        OrderMessage order = order("N2", "90");
        WorklistItem intake = orders.apply(order).get(0);
        long version = rowVersion(intake.id());
        List<String> sql = recorded(stored -> JdbcReviewService.rulesDecision(stored.c, stored.item.item()),
                "SPS-N2", d -> d);
        assertThat(writes(sql)).isEmpty();
        assertThat(rowVersion(intake.id())).isEqualTo(version);
        assertThat(store.findBySpsId("SPS-N2").orElseThrow()).isEqualTo(intake);
    }

    /** The order service's update path uses the same column-wise write: a resent XO that changes nothing. */
    @Test
    void anXoThatChangesNothingWritesNothing() {
        WorklistItem intake = orders.apply(order("X1", "90")).get(0);
        long version = rowVersion(intake.id());
        ProcedureRequest p = new ProcedureRequest("ACC-X1", null, MS_CODE, START, "MR", "suivi SEP", null,
                null, "SPS-X1", null, Map.of(), List.of(Observation.ofNumber("EGFR", "99OFSEP",
                new BigDecimal("90"), "mL/min/1.73m2")));
        WorklistItem xo = orders.apply(Orders.order("X1").control("XO", "SC").procedure(p).build()).get(0);
        assertThat(xo.id()).isEqualTo(intake.id());
        assertThat(rowVersion(intake.id())).as("nothing written").isEqualTo(version);
        assertThat(store.findBySpsId("SPS-X1").orElseThrow()).isEqualTo(xo);
    }

    @Test
    void aChangedReDecisionWritesTheCodesAndTheReview() {
        OrderMessage order = order("N3", "90");
        WorklistItem intake = orders.apply(order).get(0);
        long version = rowVersion(intake.id());
        List<String> sql = recorded(stored -> ReviewPolicy.override(mapping,
                JdbcReviewService.rulesDecision(stored.c, stored.item.item()), ExamCard.ROUTINE, false, List.of(),
                70.0, "test", "as if the PACS had a comparable 3D FLAIR prior"), "SPS-N3", d -> d);
        // the codes are one row per step (V12): rewritten in place; the review row moves to version 2 (written:
        // a step at version 1 with nothing to review had none)
        assertThat(writes(sql)).anyMatch(s -> s.startsWith("UPDATE item_protocol_code SET codes = ?"))
                .anyMatch(s -> s.startsWith("INSERT INTO item_review"))
                .anyMatch(s -> s.startsWith("UPDATE worklist_item SET") && s.contains("exam_card = ?"));
        WorklistItem now = store.findBySpsId("SPS-N3").orElseThrow();
        assertThat(now.decision().examCard()).isEqualTo(ExamCard.ROUTINE);
        assertThat(now.decision().contrast()).isFalse();
        assertThat(now.decision().defaultCodes()).isNotEqualTo(intake.decision().defaultCodes());
        assertThat(now.spsDescription()).isNotEqualTo(intake.spsDescription());
        assertThat(rowVersion(intake.id())).isEqualTo(version + 1);
    }

    @Test
    void aHeldDecisionNotedKeepsItsReviewRowTrue() {
        OrderMessage order = order("N4", "24");
        WorklistItem intake = orders.apply(order).get(0);
        assertThat(intake.decision().contrast()).as("held without Gd for a radiologist").isFalse();
        List<JdbcRedecisions.Outcome> out = redecisions.redecide(order, null,
                d -> PriorFacts.withReason(d, PACS_LINE), "PRIORS", "PACS not asked: connection refused");
        assertThat(out).extracting(JdbcRedecisions.Outcome::kind).containsExactly(JdbcRedecisions.Kind.NOTED);
        // the rules' decision behind the held step (kept whole in item_review) has the PACS line too
        Decision rules = db.read(c -> JdbcReviewService.rulesDecision(c,
                ItemTable.byAccession(c, "ACC-N4").get(0).item()));
        assertThat(rules.contrast()).isTrue();
        assertThat(rules.reasons()).contains(PACS_LINE);
        ReviewState state = db.read(c -> JdbcReviewService.reviewState(c, intake.id()));
        assertThat(state).isEqualTo(ReviewState.TO_REVIEW);
        WorklistItem now = store.findBySpsId("SPS-N4").orElseThrow();
        assertThat(now.decision().contrast()).isFalse();
        assertThat(now.decision().defaultCodes()).isEqualTo(intake.decision().defaultCodes());
        assertThat(now.spsDescription()).isEqualTo(intake.spsDescription());
    }

    // ---------------------------------------------------------------- recording what is sent

    private record Stored(Connection c, ItemTable.StoredItem item) {
    }

    private interface RulesOf {
        Decision of(Stored s) throws Exception;
    }

    private interface Edit {
        Decision apply(Decision d);
    }

    /** Runs JdbcReviewService.redecide for the step on a connection that records every statement's SQL. */
    private List<String> recorded(RulesOf rules, String spsId, Edit edit) {
        List<String> sql = new ArrayList<>();
        db.inTransaction(c -> {
            ItemTable.StoredItem s = ItemTable.bySpsIds(c, List.of(spsId)).get(0);
            Decision next;
            try {
                next = edit.apply(rules.of(new Stored(c, s)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            Connection recording = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, m, args) -> {
                        if (m.getName().startsWith("prepare") && args != null && args[0] instanceof String q) {
                            sql.add(q);
                        }
                        try {
                            return m.invoke(c, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            return JdbcReviewService.redecide(recording, mapping, s, next, ItemTexts.DEFAULT, "PACS priors",
                    clock.instant());
        });
        return sql;
    }

    private static List<String> writes(List<String> sql) {
        return sql.stream().filter(s -> !s.startsWith("SELECT")).toList();
    }

    /**
     * ADT^A40: the lookups still waiting for the survivor's orders (its own, and the merged patient's, whose messages
     * name the old ID) are asked again at once under the survivor's ID, which the stored steps now hold; another
     * patient's waiting lookup is left alone. A merge did not start any lookup: the merged patient's order was
     * looked up under the old ID, missing the survivor's comparable prior.
     */
    @Test
    void aMergeAsksTheWaitingLookupsOfTheSurvivorAgainUnderItsId() {
        JdbcPriorLookupQueue queue = new JdbcPriorLookupQueue(db, clock);
        org.ofsep.mwl.core.domain.Patient old = new org.ofsep.mwl.core.domain.Patient("OLD1", "CHU", "MERGE^OLD",
                java.time.LocalDate.of(1980, 1, 1), "F");
        org.ofsep.mwl.core.domain.Patient survivor = new org.ofsep.mwl.core.domain.Patient("SURV1", "CHU",
                "MERGE^SURVIVOR", java.time.LocalDate.of(1980, 1, 1), "F");
        org.ofsep.mwl.core.domain.Patient other = new org.ofsep.mwl.core.domain.Patient("OTH1", "CHU", "OTHER^ONE",
                java.time.LocalDate.of(1970, 1, 1), "M");
        OrderMessage merged = withPatient(order("MG1", "90"), old);
        OrderMessage own = withPatient(order("MG2", "90"), survivor);
        OrderMessage others = withPatient(order("MG3", "90"), other);
        orders.apply(merged);
        orders.apply(own);
        orders.apply(others);
        java.time.Duration hold = java.time.Duration.ofMinutes(5);
        long mergedRow = queue.add(merged, 0, "instance-a", hold); // held by the instance that took the order
        queue.add(own, 0, "instance-a", hold);
        long othersRow = queue.add(others, 0, "instance-a", hold);
        queue.retryAt(mergedRow, clock.instant().plus(java.time.Duration.ofMinutes(4))); // the PACS was down
        assertThat(queue.claimDue("instance-b", 10, hold, raw -> null)).isEmpty(); // none due yet

        orders.mergePatient(survivor, "OLD1", "CHU");
        assertThat(queue.relookupAfterMerge("SURV1", "CHU")).isEqualTo(2);

        db.read(c -> {
            assertThat(JdbcPriorLookupQueue.exists(c, mergedRow)).isFalse(); // a worker holding it: superseded
            assertThat(JdbcPriorLookupQueue.exists(c, othersRow)).isTrue();
            return null;
        });
        List<JdbcPriorLookupQueue.Pending> due = queue.claimDue("instance-b", 10, hold, raw -> null);
        assertThat(due).extracting(p -> p.order().placerOrderNumber()).containsExactlyInAnyOrder("MG1", "MG2");
        assertThat(due).extracting(JdbcPriorLookupQueue.Pending::attempts).containsOnly(0);
        // the merged order's message names OLD1; its lookup asks the PACS about the survivor, as its step holds it
        JdbcRedecisions.Target target = redecisions.lookupTarget(merged);
        assertThat(target.patient().id()).isEqualTo("SURV1");
        assertThat(target.patient().issuer()).isEqualTo("CHU");
        assertThat(redecisions.lookupTarget(others).patient().id()).isEqualTo("OTH1");
        // its answer decides the survivor's step: a comparable prior takes the Gd away (the rules' decision only)
        org.ofsep.mwl.core.domain.PacsPriors pacs = comparablePrior();
        assertThat(redecisions.redecide(merged, pacs, d -> d, "PRIORS", pacs.reason()))
                .extracting(JdbcRedecisions.Outcome::kind).containsExactly(JdbcRedecisions.Kind.CHANGED);
        WorklistItem after = store.findBySpsId("SPS-MG1").orElseThrow();
        assertThat(after.patient().id()).isEqualTo("SURV1");
        assertThat(after.decision().examCard()).isEqualTo(ExamCard.ROUTINE);
        // nothing waits for another patient of the same ID under another issuer
        assertThat(queue.relookupAfterMerge("SURV1", "OTHERHOSP")).isZero();
    }

    private static OrderMessage withPatient(OrderMessage order, org.ofsep.mwl.core.domain.Patient p) {
        return order.withPatient(p);
    }
}
