package org.ofsep.mwl.core.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.decision.OfsepDecisionEngine;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.RequestedPriority;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.mapping.ShippedMapping;
import org.ofsep.mwl.core.order.Observation;
import org.ofsep.mwl.core.order.OrderAction;
import org.ofsep.mwl.core.order.OrderChecks;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.core.service.ItemTexts;
import org.ofsep.mwl.core.service.UidGenerator;

/** The order planner alone, against an in-memory store view: no database, the shipped mapping and engine. */
class OrderPlannerTest {

    private static final MappingSnapshot MAPPING = MappingLoader.load(ShippedMapping.FILE);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-16T08:00:00Z"), ZoneOffset.UTC);
    private static final ProtocolCode BRAIN = new ProtocolCode("IRMSEP", "99RIS", "IRM cerebrale SEP");
    private static final LocalDateTime MONDAY = LocalDateTime.of(2026, 3, 16, 9, 30);

    private final OrderPlanner planner = new OrderPlanner(() -> MAPPING, new OfsepDecisionEngine(),
            new UidGenerator("1.2.3", CLOCK), CLOCK, ItemTexts.DEFAULT, OrderChecks.NONE);
    private final MemoryStore store = new MemoryStore();

    @Test
    void aNewOrderPlansOneInsertPerStepWithGeneratedIdsAndADecision() {
        OrderPlanner.Plan plan = plan(order("NW", "SC", "PL1", proc("ACC1", null, null, MONDAY),
                proc("ACC2", null, null, MONDAY)));
        assertThat(plan.action()).isEqualTo(OrderAction.SCHEDULE);
        assertThat(plan.changes()).hasSize(2).allMatch(c -> c instanceof OrderPlanner.Insert);
        WorklistItem first = plan.changes().get(0).item();
        assertThat(first.requestedProcedureId()).isEqualTo("GW1");
        assertThat(first.spsId()).isEqualTo("GW2");
        assertThat(first.studyInstanceUid()).startsWith("1.2.3.");
        assertThat(first.status()).isEqualTo(SpsStatus.SCHEDULED);
        assertThat(first.stationAeTitle()).isNotBlank();
        assertThat(first.decision().ofsep()).isTrue();
        assertThat(first.decision().examCard()).isEqualTo(ExamCard.FULL);
        assertThat(first.spsDescription()).isNotBlank();
        assertThat(first.patient().name()).isEqualTo("DUPRE^HELENE");
        // two accessions: two requested procedures, two studies
        WorklistItem second = plan.changes().get(1).item();
        assertThat(second.requestedProcedureId()).isNotEqualTo(first.requestedProcedureId());
        assertThat(second.studyInstanceUid()).isNotEqualTo(first.studyInstanceUid());
    }

    @Test
    void stepsOfOneRequestedProcedureShareItsIdAndStudyAndAreKeyedByCodeAndRank() {
        OrderMessage order = order("NW", "SC", "PL1", proc("ACC1", "RP1", null, MONDAY),
                proc("ACC1", "RP1", null, MONDAY));
        assertThat(OrderPlanner.stepKeys(order.procedures()).keySet())
                .containsExactly("A:ACC1|R:RP1|C:IRMSEP#1", "A:ACC1|R:RP1|C:IRMSEP#2");
        List<OrderPlanner.Change> changes = plan(order).changes();
        assertThat(changes.get(0).item().requestedProcedureId()).isEqualTo("RP1");
        assertThat(changes.get(1).item().studyInstanceUid()).isEqualTo(changes.get(0).item().studyInstanceUid());
        assertThat(((OrderPlanner.Insert) changes.get(1)).stepKey()).isEqualTo("A:ACC1|R:RP1|C:IRMSEP#2");
    }

    @Test
    void aResentOrderUpdatesItsStepsAndKeepsTheirIds() {
        OrderMessage nw = order("NW", "SC", "PL1", proc("ACC1", null, null, MONDAY));
        store.apply(plan(nw));
        WorklistItem stored = store.steps.get(0).item();

        OrderPlanner.Plan again = plan(nw);
        assertThat(again.changes()).singleElement().isInstanceOf(OrderPlanner.Update.class);
        WorklistItem updated = again.changes().get(0).item();
        assertThat(updated.id()).isEqualTo(stored.id());
        assertThat(updated.spsId()).isEqualTo(stored.spsId());
        assertThat(updated.requestedProcedureId()).isEqualTo(stored.requestedProcedureId());
        assertThat(updated.studyInstanceUid()).isEqualTo(stored.studyInstanceUid());
    }

    @Test
    void anUpdateThatChangedTheAccessionRefreshesTheSameStep() {
        store.apply(plan(order("NW", "SC", "PL1", proc("ACC1", null, null, MONDAY))));
        long id = store.steps.get(0).item().id();
        OrderPlanner.Plan xo = plan(order("XO", "SC", "PL1", proc("ACC9", null, null, MONDAY.plusDays(1))));
        assertThat(xo.action()).isEqualTo(OrderAction.UPDATE);
        assertThat(xo.changes()).singleElement().isInstanceOf(OrderPlanner.Update.class);
        assertThat(xo.changes().get(0).item().id()).isEqualTo(id);
        assertThat(xo.changes().get(0).item().accessionNumber()).isEqualTo("ACC9");
    }

    /**
     * Requested Procedure Priority: each step takes its procedure's; a change (XO) with another priority changes
     * it, one without leaves the step without (the change states the order as it now is).
     */
    @Test
    void aStepTakesItsProceduresPriorityAndAChangeRewritesIt() {
        OrderPlanner.Plan nw = plan(order("NW", "SC", "PL1", proc("ACC1", null, null, MONDAY, RequestedPriority.STAT),
                proc("ACC2", null, null, MONDAY, null)));
        assertThat(nw.changes()).extracting(c -> c.item().priority())
                .containsExactly(RequestedPriority.STAT, null);
        store.apply(nw);
        OrderPlanner.Plan xo = plan(order("XO", "SC", "PL1", proc("ACC1", null, null, MONDAY, RequestedPriority.ROUTINE),
                proc("ACC2", null, null, MONDAY, RequestedPriority.HIGH)));
        assertThat(xo.changes()).allMatch(c -> c instanceof OrderPlanner.Update)
                .extracting(c -> c.item().priority())
                .containsExactly(RequestedPriority.ROUTINE, RequestedPriority.HIGH);
        store.apply(xo);
        OrderPlanner.Plan without = plan(order("XO", "SC", "PL1", proc("ACC1", null, null, MONDAY),
                proc("ACC2", null, null, MONDAY)));
        assertThat(without.changes()).extracting(c -> c.item().priority()).containsOnlyNulls();
    }

    @Test
    void aStepUnderWayIsNotRewrittenByAResend() {
        OrderMessage nw = order("NW", "SC", "PL1", proc("ACC1", null, null, MONDAY));
        store.apply(plan(nw));
        store.setStatus(0, SpsStatus.STARTED);
        OrderPlanner.Plan again = plan(nw);
        assertThat(again.changes()).singleElement().isInstanceOf(OrderPlanner.Keep.class);
        assertThat(again.changes().get(0).item().status()).isEqualTo(SpsStatus.STARTED);
    }

    @Test
    void cancelMovesPendingStepsAndKeepsFinishedOnes() {
        store.apply(plan(order("NW", "SC", "PL1", proc("ACC1", null, null, MONDAY),
                proc("ACC2", null, null, MONDAY))));
        store.setStatus(1, SpsStatus.COMPLETED);
        // order-level cancel (no procedure named): the whole order
        OrderPlanner.Plan ca = plan(order("CA", "CA", "PL1"));
        assertThat(ca.action()).isEqualTo(OrderAction.CANCEL);
        assertThat(ca.changes()).hasSize(2);
        assertThat(ca.changes().get(0)).isInstanceOf(OrderPlanner.SetStatus.class);
        assertThat(ca.changes().get(0).item().status()).isEqualTo(SpsStatus.CANCELED);
        assertThat(ca.changes().get(1)).isInstanceOf(OrderPlanner.Keep.class);
        assertThat(ca.changes().get(1).item().status()).isEqualTo(SpsStatus.COMPLETED);
    }

    /**
     * A cancel naming one procedure of a two-procedure order cancels that one, found by its SPS ID, else by its
     * accession number and Requested Procedure ID when the message leaves the SPS ID out; one naming a procedure
     * the order does not have is refused (before, any cancel whose OBR did not match a step's full key cancelled
     * the whole order, the other accession number included).
     */
    @Test
    void aCancelOfOneProcedureCancelsThatOneOnlyAndAnUnknownOneIsRefused() {
        store.apply(plan(order("NW", "SC", "PL1", proc("ACC1", "RP1", "SPS1", MONDAY),
                proc("ACC2", "RP2", "SPS2", MONDAY))));
        // the accession and requested procedure of the second, without its SPS ID
        OrderPlanner.Plan byAccession = plan(order("CA", "CA", "PL1", proc("ACC2", "RP2", null, null)));
        assertThat(byAccession.changes()).singleElement().satisfies(c -> {
            assertThat(c).isInstanceOf(OrderPlanner.SetStatus.class);
            assertThat(c.item().spsId()).isEqualTo("SPS2");
        });
        // its SPS ID alone
        OrderPlanner.Plan bySps = plan(order("DC", "CA", "PL1", proc(null, null, "SPS2", null)));
        assertThat(bySps.changes()).singleElement().satisfies(c -> assertThat(c.item().spsId()).isEqualTo("SPS2"));
        // an SPS, an accession the order does not have: refused, nothing cancelled
        for (ProcedureRequest unknown : new ProcedureRequest[] {proc(null, null, "SPS9", null),
                proc("ACC9", null, null, null), proc("ACC2", "RP1", null, null)}) {
            assertThatThrownBy(() -> plan(order("CA", "CA", "PL1", unknown)))
                    .isInstanceOf(OrderRejectedException.class).hasMessageContaining("has no step for procedure #1")
                    .extracting("kind").isEqualTo(OrderRejectedException.Kind.UNKNOWN_KEY);
        }
        // one known and one unknown: refused as a whole
        assertThatThrownBy(() -> plan(order("CA", "CA", "PL1", proc("ACC1", "RP1", "SPS1", null),
                proc(null, null, "SPS9", null)))).isInstanceOf(OrderRejectedException.class)
                .hasMessageContaining("procedure #2");
        // the procedure code alone: the steps with that code
        ProcedureRequest codeOnly = proc(null, null, null, null);
        assertThat(plan(order("CA", "CA", "PL1", codeOnly)).changes()).hasSize(2);
    }

    /**
     * SPS IDs are unique only within a requested procedure: two procedures may both carry "1". A cancel naming SPS "1"
     * and the spine's code cancels the spine alone (it cancelled both: the SPS branch did not narrow). And an XO
     * resending both procedures does not bring back the one canceled on its own (it did; a NW re-orders, an XO does
     * not). Found by an independent review of the first fix.
     */
    @Test
    void aSharedSpsIdIsNarrowedByCodeAndAnXoKeepsACanceledProcedureCanceled() {
        ProtocolCode spine = new ProtocolCode("IRMMED", "99RIS", "IRM medullaire");
        ProcedureRequest brain1 = new ProcedureRequest("A1", "R1", BRAIN, MONDAY, "MR", "suivi SEP", null, null, "1",
                null, Map.of(), List.of());
        ProcedureRequest spine1 = new ProcedureRequest("A2", "R2", spine, MONDAY, "MR", "suivi SEP", null, null, "1",
                null, Map.of(), List.of());
        store.apply(plan(order("NW", "SC", "PL9", brain1, spine1)));
        ProcedureRequest cancelSpine = new ProcedureRequest(null, null, spine, null, "MR", null, null, null, "1", null,
                Map.of(), List.of());
        OrderPlanner.Plan ca = plan(order("CA", "CA", "PL9", cancelSpine));
        assertThat(ca.changes()).singleElement().satisfies(c -> assertThat(c.item().accessionNumber()).isEqualTo("A2"));
        store.apply(ca);
        assertThat(store.steps).extracting(st -> st.item().status())
                .containsExactly(SpsStatus.SCHEDULED, SpsStatus.CANCELED);
        OrderPlanner.Plan xo = plan(order("XO", "SC", "PL9", brain1, spine1));
        assertThat(xo.changes().get(1)).isInstanceOf(OrderPlanner.Keep.class);
        assertThat(xo.changes().get(1).item().status()).isEqualTo(SpsStatus.CANCELED);
        assertThat(xo.changes().get(0)).isInstanceOf(OrderPlanner.Update.class);
        // an accession and a Requested Procedure ID that belong to different procedures name none
        assertThatThrownBy(() -> plan(order("CA", "CA", "PL9", new ProcedureRequest("A1", "R2", BRAIN, null, "MR",
                null, null, null, null, null, Map.of(), List.of())))).isInstanceOf(OrderRejectedException.class);
    }

    @Test
    void statusTransitionsOnlyLeaveScheduledOrStarted() {
        assertThat(OrderPlanner.allowed(SpsStatus.SCHEDULED, SpsStatus.STARTED)).isTrue();
        assertThat(OrderPlanner.allowed(SpsStatus.STARTED, SpsStatus.COMPLETED)).isTrue();
        assertThat(OrderPlanner.allowed(SpsStatus.SCHEDULED, SpsStatus.CANCELED)).isTrue();
        assertThat(OrderPlanner.allowed(SpsStatus.STARTED, SpsStatus.STARTED)).isFalse();
        assertThat(OrderPlanner.allowed(SpsStatus.COMPLETED, SpsStatus.CANCELED)).isFalse();
        assertThat(OrderPlanner.allowed(SpsStatus.CANCELED, SpsStatus.SCHEDULED)).isFalse();
        assertThat(OrderPlanner.allowed(SpsStatus.STARTED, SpsStatus.SCHEDULED)).isFalse();
    }

    @Test
    void refusalsNameTheField() {
        assertThatThrownBy(() -> planner.accept(order("ZZ", "SC", "PL1", proc("A", null, null, MONDAY))))
                .isInstanceOf(OrderRejectedException.class).hasMessageContaining("ZZ_SC")
                .extracting("field").isEqualTo("ORC-1");
        assertThatThrownBy(() -> planner.accept(order("NW", "SC", " ", proc("A", null, null, MONDAY))))
                .extracting("field").isEqualTo("ORC-2");
        assertThatThrownBy(() -> planner.accept(order("NW", "SC", "PL1")))
                .extracting("field").isEqualTo("OBR");
        ProcedureRequest badUid = new ProcedureRequest("A", null, BRAIN, MONDAY, "MR", null, null, "1.02.3",
                null, null, Map.of(), List.of());
        assertThatThrownBy(() -> planner.accept(order("NW", "SC", "PL1", badUid)))
                .extracting("field").isEqualTo("ZDS-1");
        assertThatThrownBy(() -> plan(order("XO", "SC", "UNKNOWN", proc("A", null, null, MONDAY))))
                .hasMessageContaining("Unknown order").extracting("field").isEqualTo("ORC-2");
        // a cancel names no procedure: none is required
        assertThatThrownBy(() -> plan(order("CA", "CA", "UNKNOWN")))
                .hasMessageContaining("Unknown order");
    }

    @Test
    void aPlacerOrderNumberOfAnotherPatientIsRefused() {
        store.apply(plan(order("NW", "SC", "PL1", proc("ACC1", null, null, MONDAY))));
        OrderMessage other = new OrderMessage("M2", "RIS", "NW", "SC", "PL1", null,
                new Patient("OTHER", null, "X^Y", null, null), List.of(), null,
                List.of(proc("ACC1", null, null, MONDAY)));
        assertThatThrownBy(() -> plan(other)).hasMessageContaining("another patient");
    }

    @Test
    void theEdgeChecksRunAtTheirPoints() {
        List<String> calls = new ArrayList<>();
        OrderChecks recording = new OrderChecks() {
            @Override
            public void order(OrderMessage order) {
                calls.add("order");
            }

            @Override
            public void scheduling(OrderMessage order) {
                calls.add("scheduling");
            }

            @Override
            public void patient(Patient patient) {
                calls.add("patient");
            }
        };
        OrderPlanner checked = new OrderPlanner(() -> MAPPING, new OfsepDecisionEngine(), new UidGenerator("1.2.3"),
                CLOCK, ItemTexts.DEFAULT, recording);
        checked.accept(order("NW", "SC", "PL1", proc("A", null, null, MONDAY)));
        assertThat(calls).containsExactly("order", "scheduling");
        calls.clear();
        checked.accept(order("CA", "CA", "PL1"));
        assertThat(calls).containsExactly("order");
        calls.clear();
        checked.patientUpdate(new Patient("P1", null, "A^B", null, null));
        checked.merge(new Patient("P1", null, "A^B", null, null), "P0", null);
        assertThat(calls).containsExactly("patient", "patient");
    }

    @Test
    void patientUpdatesCarryTheStoredNormalForm() {
        Patient p = planner.patientUpdate(new Patient(" P1 ", " ", "DOE^JOHN^^^", null, " "));
        assertThat(p).isEqualTo(new Patient("P1", null, "DOE^JOHN", null, null));
        OrderPlanner.Merge m = planner.merge(new Patient("P1", "H", "DOE^JOHN^", null, "M"), " P0 ", " ");
        assertThat(m.oldPatientId()).isEqualTo("P0");
        assertThat(m.oldIssuer()).isNull();
        assertThat(m.survivor().name()).isEqualTo("DOE^JOHN");
        assertThatThrownBy(() -> planner.merge(new Patient("P1", null, null, null, null), " ", null))
                .extracting("field").isEqualTo("MRG-1");
    }

    @Test
    void withoutAScheduledStartTheClockGivesTheDateAndAcceptAsNewIgnoresTheControl() {
        OrderMessage ca = order("CA", "CA", "PL1", proc("ACC1", null, null, null));
        OrderPlanner.Plan plan = planner.plan(planner.acceptAsNew(ca), store);
        assertThat(plan.action()).isEqualTo(OrderAction.SCHEDULE);
        assertThat(plan.changes().get(0).item().scheduledStart().toLocalDate()).isEqualTo(LocalDate.of(2026, 3, 16));
    }

    /**
     * One rule for the body weight: the item's Patient's Weight is the weight the dose was computed from (the
     * mapping's unit table); a unit the table does not list gives neither, and the decision says why.
     */
    @Test
    void theItemCarriesTheWeightTheDoseUsesAndAnUnknownUnitIsNeverGuessed() {
        WorklistItem pounds = plan(order("NW", "SC", "PLW1", weighed("ACCW1", "154", "[lb_av]"))).changes().get(0).item();
        assertThat(pounds.weightKg()).isEqualTo(69.853);
        assertThat(pounds.decision().contrastDose()).isNotNull();
        assertThat(pounds.decision().facts()).anyMatch(f -> f.name().equals("weight") && f.value().equals("69.9 kg"));

        WorklistItem stones = plan(order("NW", "SC", "PLW2", weighed("ACCW2", "11", "st"))).changes().get(0).item();
        assertThat(stones.weightKg()).isNull();
        assertThat(stones.decision().contrastDose()).isNull();
        assertThat(stones.decision().reasons()).anyMatch(r -> r.contains("the unit 'st' is not one the mapping lists"));
    }

    private static ProcedureRequest weighed(String accession, String value, String unit) {
        return new ProcedureRequest(accession, null, BRAIN, MONDAY, "MR", "bilan initial SEP", null, null, null, null,
                Map.of(), List.of(Observation.ofNumber("29463-7", "LN", new java.math.BigDecimal(value), unit)));
    }

    private OrderPlanner.Plan plan(OrderMessage order) {
        return planner.plan(planner.accept(order), store);
    }

    private static OrderMessage order(String control, String status, String placer, ProcedureRequest... procs) {
        return new OrderMessage("M1", "RIS^HOSP", control, status, placer, "F" + placer,
                new Patient("PAT1", "HOSP", "DUPRE^HELENE^^", LocalDate.of(1980, 5, 17), "F"), List.of("G35"),
                "MARTIN^PAUL", List.of(procs));
    }

    private static ProcedureRequest proc(String accession, String rpId, String spsId, LocalDateTime start) {
        return new ProcedureRequest(accession, rpId, BRAIN, start, "MR", "suivi SEP", null, null, spsId, null,
                Map.of(), List.of());
    }

    private static ProcedureRequest proc(String accession, String rpId, String spsId, LocalDateTime start,
                                         RequestedPriority priority) {
        return new ProcedureRequest(accession, rpId, BRAIN, start, "MR", "suivi SEP", null, null, spsId, null,
                Map.of(), List.of(), List.of(), priority);
    }

    /** What the store would hold: the steps in insertion order, a sequence, no history. */
    private static final class MemoryStore implements OrderPlanner.StoreView {
        final List<OrderPlanner.Step> steps = new ArrayList<>();
        long sequence;
        long ids;

        @Override
        public List<OrderPlanner.Step> stepsOfOrder(String placerOrderNumber) {
            return steps.stream().filter(s -> placerOrderNumber.equals(s.item().placerOrderNumber())).toList();
        }

        @Override
        public List<PriorExam> history(String patientId) {
            return List.of();
        }

        @Override
        public long nextGeneratedId() {
            return ++sequence;
        }

        void apply(OrderPlanner.Plan plan) {
            for (OrderPlanner.Change c : plan.changes()) {
                if (c instanceof OrderPlanner.Insert i) {
                    steps.add(new OrderPlanner.Step(i.item().withId(++ids), i.stepKey()));
                } else if (c instanceof OrderPlanner.Update u) {
                    steps.replaceAll(s -> s.item().id() == u.item().id() ? new OrderPlanner.Step(u.item(), u.stepKey())
                            : s);
                } else if (c instanceof OrderPlanner.SetStatus st) {
                    steps.replaceAll(s -> s.item().id() == st.item().id() ? new OrderPlanner.Step(st.item(),
                            s.stepKey()) : s);
                }
            }
        }

        void setStatus(int index, SpsStatus status) {
            OrderPlanner.Step s = steps.get(index);
            steps.set(index, new OrderPlanner.Step(s.item().withStatus(status), s.stepKey()));
        }
    }
}
