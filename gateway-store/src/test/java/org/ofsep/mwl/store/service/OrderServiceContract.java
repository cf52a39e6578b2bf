package org.ofsep.mwl.store.service;

import org.ofsep.mwl.core.service.UidGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.RequestedPriority;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.core.store.WorklistQuery;
import org.ofsep.mwl.store.DatabaseTest;
import org.ofsep.mwl.store.ItemTable;
import org.ofsep.mwl.store.JdbcWorklistStore;

/** The order lifecycle against each database engine (subclasses pick it). */
public abstract class OrderServiceContract extends DatabaseTest {

    static final LocalDateTime START = LocalDateTime.of(2026, 3, 3, 9, 30);

    JdbcOrderService orders;
    JdbcWorklistStore store;

    @BeforeEach
    void services() {
        orders = new JdbcOrderService(db, FakeMapping::new, new FakeDecisionEngine(),
                new UidGenerator("1.2.826.0.1.3680043.10.1234", clock), clock);
        store = new JdbcWorklistStore(db);
    }

    List<WorklistItem> active() {
        List<WorklistItem> out = new ArrayList<>();
        store.query(WorklistQuery.all(), out::add);
        return out;
    }

    /** Issue 16 #2: an accession number names one order; the scope is a site setting. */
    @Test
    void anAccessionNumberOfAnotherOrderIsRefusedWithinItsScope() {
        java.time.LocalDate born = java.time.LocalDate.of(1980, 5, 17);
        org.ofsep.mwl.core.domain.Patient a = new org.ofsep.mwl.core.domain.Patient("PA", "RIS-A", "A^A", born, "F");
        org.ofsep.mwl.core.domain.Patient b = new org.ofsep.mwl.core.domain.Patient("PB", "RIS-B", "B^B", born, "F");
        org.ofsep.mwl.core.domain.Patient a2 = new org.ofsep.mwl.core.domain.Patient("PA2", "RIS-A", "C^C", born, "F");
        orders.apply(Orders.order("PLA").patient(a).procedure("ACC-SAME", START).build());
        // global (the default): refused for any other order
        assertThatThrownBy(() -> orders.apply(Orders.order("PLB").patient(b).procedure("ACC-SAME", START).build()))
                .isInstanceOfSatisfying(org.ofsep.mwl.core.order.OrderRejectedException.class, e -> {
                    assertThat(e.field()).isEqualTo("OBR-18");
                    assertThat(e.kind()).isEqualTo(org.ofsep.mwl.core.order.OrderRejectedException.Kind.DUPLICATE_KEY);
                });
        // the order itself again: its own accession number
        orders.apply(Orders.order("PLA").patient(a).procedure("ACC-SAME", START).build());
        // per issuer: another RIS may use the same number, the same RIS may not
        orders.withAccessionScope(JdbcOrderService.AccessionScope.ISSUER);
        orders.apply(Orders.order("PLB").patient(b).procedure("ACC-SAME", START).build());
        assertThatThrownBy(() -> orders.apply(Orders.order("PLC").patient(a2).procedure("ACC-SAME", START).build()))
                .isInstanceOf(org.ofsep.mwl.core.order.OrderRejectedException.class);
        // not checked
        orders.withAccessionScope(JdbcOrderService.AccessionScope.NONE);
        orders.apply(Orders.order("PLC").patient(a2).procedure("ACC-SAME", START).build());
        // a canceled order frees its number
        orders.withAccessionScope(JdbcOrderService.AccessionScope.GLOBAL);
        orders.apply(Orders.order("PLD").patient(a).procedure("ACC-FREE", START).build());
        orders.apply(Orders.order("PLD").patient(a).control("CA", "CA").procedure("ACC-FREE", START).build());
        orders.apply(Orders.order("PLE").patient(b).procedure("ACC-FREE", START).build());
    }

    @Test
    void newOrderBecomesAScheduledItemWithGeneratedIds() {
        List<WorklistItem> items = orders.apply(Orders.order("PL1").procedure("ACC1", START).build());
        assertThat(items).hasSize(1);
        WorklistItem item = items.get(0);
        assertThat(item.id()).isPositive();
        assertThat(item.status()).isEqualTo(SpsStatus.SCHEDULED);
        assertThat(item.requestedProcedureId()).startsWith("GW").hasSizeLessThanOrEqualTo(16);
        assertThat(item.spsId()).startsWith("GW").isNotEqualTo(item.requestedProcedureId());
        assertThat(item.studyInstanceUid()).startsWith("1.2.826.0.1.3680043.10.1234.");
        assertThat(UidGenerator.isValid(item.studyInstanceUid())).isTrue();
        assertThat(item.stationAeTitle()).isEqualTo("MR_SIEMENS");
        assertThat(item.stationName()).isEqualTo("IRM 1");
        assertThat(item.modality()).isEqualTo("MR");
        assertThat(item.scheduledStart()).isEqualTo(START);
        assertThat(item.decision().examCard()).isEqualTo(ExamCard.FULL);
        assertThat(item.decision().contrast()).isTrue();
        assertThat(item.spsDescription()).isEqualTo("OFSEP FULL - avec gadolinium");
        assertThat(item.requestedContrastAgent()).isEqualTo("gadobutrol 7.00 mmol 7.0 mL");
        assertThat(item.procedureComments()).isEqualTo("priors seen: 0");
        assertThat(item.specificCharacterSet()).isEqualTo("ISO_IR 100");
        assertThat(active()).containsExactly(item);
    }

    @Test
    void idsFromTheRisAreKept() {
        // MSH-18 UNICODE UTF-8, as the HL7 edge types it
        OrderMessage nw = Orders.order("PL2").characterSet("ISO_IR 192").procedure(new ProcedureRequest("ACC2", "RP2",
                Orders.BRAIN, START, "MR", null, null, "1.2.3.4.5", "SPS2", "MR_GE", Map.of("MSH-18", "UNICODE UTF-8"),
                List.of())).build();
        WorklistItem item = orders.apply(nw).get(0);
        assertThat(item.requestedProcedureId()).isEqualTo("RP2");
        assertThat(item.spsId()).isEqualTo("SPS2");
        assertThat(item.studyInstanceUid()).isEqualTo("1.2.3.4.5");
        assertThat(item.stationAeTitle()).isEqualTo("MR_GE");
        assertThat(item.specificCharacterSet()).isEqualTo("ISO_IR 192");
    }

    @Test
    void resentNewOrderRefreshesInsteadOfDuplicating() {
        WorklistItem first = orders.apply(Orders.order("PL3").procedure("ACC3", START).build()).get(0);
        WorklistItem again = orders.apply(Orders.order("PL3").procedure("ACC3", START.plusHours(1)).build()).get(0);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.spsId()).isEqualTo(first.spsId());
        assertThat(again.requestedProcedureId()).isEqualTo(first.requestedProcedureId());
        assertThat(again.studyInstanceUid()).isEqualTo(first.studyInstanceUid());
        assertThat(again.scheduledStart()).isEqualTo(START.plusHours(1));
        assertThat(active()).hasSize(1);
        assertThat(active().get(0).scheduledStart()).isEqualTo(START.plusHours(1));
    }

    private long rowVersion(long id) {
        return db.read(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement(
                    "SELECT row_version FROM worklist_item WHERE id = ?")) {
                ps.setLong(1, id);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * An XO (or a resent order) writes only what changed of a step ({@code ItemTable.updateChanged}): nothing when
     * nothing differs, the differing columns otherwise, the protocol codes only when the decision's codes differ.
     * Any write makes the row's version grow (a codes-only change too), so an unchanged version means no write.
     */
    @Test
    void anUpdateWritesOnlyWhatChanged() {
        WorklistItem nw = orders.apply(Orders.order("PL30").procedure("ACC30", START).build()).get(0);
        long version = rowVersion(nw.id());
        clock.advance(java.time.Duration.ofMinutes(5));
        // the same order again as an XO: nothing written
        WorklistItem same = orders.apply(Orders.order("PL30").control("XO", "SC").procedure("ACC30", START).build())
                .get(0);
        assertThat(same.id()).isEqualTo(nw.id());
        assertThat(rowVersion(nw.id())).as("no write").isEqualTo(version);
        assertThat(store.findBySpsId(nw.spsId()).orElseThrow()).isEqualTo(same);
        // the exam moved: that column is written, the decision and its codes stay
        WorklistItem moved = orders.apply(Orders.order("PL30").control("XO", "SC")
                .procedure("ACC30", START.plusHours(2)).build()).get(0);
        assertThat(rowVersion(nw.id())).isEqualTo(version + 1);
        WorklistItem stored = store.findBySpsId(nw.spsId()).orElseThrow();
        assertThat(stored).isEqualTo(moved);
        assertThat(stored.scheduledStart()).isEqualTo(START.plusHours(2));
        assertThat(stored.decision().defaultCodes()).isEqualTo(nw.decision().defaultCodes());
        assertThat(stored.decision().vendorCodes()).isEqualTo(nw.decision().vendorCodes());
        // a prior arrives: the XO decides again, the codes change with it
        db.inTransaction(c -> ItemTable.addHistory(c, new PriorExam("PAT1", LocalDate.of(2025, 9, 1), ExamCard.FULL,
                true, 7.0, false, "OLD30"), null, clock.instant()));
        WorklistItem redecided = orders.apply(Orders.order("PL30").control("XO", "SC")
                .procedure("ACC30", START.plusHours(2)).build()).get(0);
        assertThat(redecided.decision().examCard()).isEqualTo(ExamCard.ROUTINE);
        assertThat(rowVersion(nw.id())).isEqualTo(version + 2);
        stored = store.findBySpsId(nw.spsId()).orElseThrow();
        assertThat(stored).isEqualTo(redecided);
        assertThat(stored.decision().defaultCodes()).isEqualTo(redecided.decision().defaultCodes())
                .isNotEqualTo(nw.decision().defaultCodes());
        assertThat(stored.decision().vendorCodes()).isEqualTo(redecided.decision().vendorCodes());
        // and the same XO once more: nothing written again
        orders.apply(Orders.order("PL30").control("XO", "SC").procedure("ACC30", START.plusHours(2)).build());
        assertThat(rowVersion(nw.id())).isEqualTo(version + 2);
    }

    @Test
    void lifecycleNewUpdateCancel() {
        WorklistItem nw = orders.apply(Orders.order("PL4").procedure("ACC4", START).build()).get(0);
        // a completed MS exam arrives in the history: the XO re-decides with it
        db.inTransaction(c -> ItemTable.addHistory(c, new PriorExam("PAT1", LocalDate.of(2025, 9, 1), ExamCard.FULL,
                true, 7.0, false, "OLD"), null, clock.instant()));
        List<WorklistItem> xo = orders.apply(Orders.order("PL4").control("XO", "SC")
                .procedure("ACC4", START.plusDays(1)).build());
        assertThat(xo).hasSize(1);
        assertThat(xo.get(0).id()).isEqualTo(nw.id());
        assertThat(xo.get(0).scheduledStart()).isEqualTo(START.plusDays(1));
        assertThat(xo.get(0).decision().examCard()).isEqualTo(ExamCard.ROUTINE);
        assertThat(xo.get(0).decision().contrast()).isFalse();
        assertThat(xo.get(0).procedureComments()).isEqualTo("priors seen: 1");
        assertThat(active()).extracting(WorklistItem::decision).extracting(d -> d.examCard())
                .containsExactly(ExamCard.ROUTINE);

        List<WorklistItem> ca = orders.apply(Orders.order("PL4").control("CA", "CA").build());
        assertThat(ca).extracting(WorklistItem::status).containsExactly(SpsStatus.CANCELED);
        assertThat(active()).isEmpty();
        assertThat(store.findBySpsId(nw.spsId()).orElseThrow().status()).isEqualTo(SpsStatus.CANCELED);
        // a second CA (new control ID) changes nothing and is not an error
        assertThat(orders.apply(Orders.order("PL4").control("CA", "CA").build()))
                .extracting(WorklistItem::status).containsExactly(SpsStatus.CANCELED);
        // XO on a canceled order is refused
        assertThatThrownBy(() -> orders.apply(Orders.order("PL4").control("XO", "SC").procedure("ACC4", START).build()))
                .isInstanceOf(OrderRejectedException.class).hasMessageContaining("canceled");
    }

    @Test
    void cancelOrDiscontinueOfUnknownOrderIsRejected() {
        assertThatThrownBy(() -> orders.apply(Orders.order("NOPE").control("CA", "CA").build()))
                .isInstanceOf(OrderRejectedException.class)
                .hasMessageContaining("Unknown order").hasMessageContaining("NOPE")
                .satisfies(e -> assertThat(((OrderRejectedException) e).field()).isEqualTo("ORC-2"))
                .satisfies(e -> assertThat(((OrderRejectedException) e).reject()).isFalse());
        assertThatThrownBy(() -> orders.apply(Orders.order("NOPE").control("DC", "CA").build()))
                .isInstanceOf(OrderRejectedException.class).hasMessageContaining("Unknown order");
        assertThatThrownBy(() -> orders.apply(Orders.order("NOPE").control("XO", "SC").procedure("A", START).build()))
                .isInstanceOf(OrderRejectedException.class).hasMessageContaining("Unknown order");
    }

    @Test
    void unmappedControlPairIsRejectedNamingThePair() {
        assertThatThrownBy(() -> orders.apply(Orders.order("PL5").control("XO", "").procedure("A", START).build()))
                .isInstanceOf(OrderRejectedException.class).hasMessageContaining("XO_")
                .hasMessageContaining("ORC-5 empty");
        assertThatThrownBy(() -> orders.apply(Orders.order("PL5").control("ZZ", "QQ").procedure("A", START).build()))
                .isInstanceOf(OrderRejectedException.class).hasMessageContaining("ZZ_QQ");
        assertThat(active()).isEmpty();
    }

    @Test
    void missingRequiredDataIsRejectedAndNothingStored() {
        assertThatThrownBy(() -> orders.apply(Orders.order("PL6").patient(new Patient(" ", null, "X^Y", null, null))
                .procedure("A", START).build())).isInstanceOf(OrderRejectedException.class)
                .extracting(e -> ((OrderRejectedException) e).field()).isEqualTo("PID-3");
        assertThatThrownBy(() -> orders.apply(Orders.order("PL6").procedure("A", null, null, null, START, null).build()))
                .isInstanceOf(OrderRejectedException.class)
                .extracting(e -> ((OrderRejectedException) e).field()).isEqualTo("OBR-4");
        // the second procedure's station is unknown: the first one must not be stored either
        assertThatThrownBy(() -> orders.apply(Orders.order("PL6").procedure("A", START)
                .procedure("B", null, null, Orders.BRAIN, START, "MR_UNKNOWN").build()))
                .isInstanceOf(OrderRejectedException.class).hasMessageContaining("station");
        assertThat(store.findByPlacerOrder("PL6")).isEmpty();
    }

    @Test
    void severalObrWithOneAccessionMakeOneRequestedProcedureWithSeveralSteps() {
        List<WorklistItem> items = orders.apply(Orders.order("PL7")
                .procedure("ACC7", null, null, Orders.BRAIN, START, null)
                .procedure("ACC7", null, null, Orders.SPINE, START.plusMinutes(20), null)
                .procedure("ACC8", null, null, Orders.BRAIN, START.plusDays(7), null).build());
        assertThat(items).hasSize(3);
        assertThat(items.get(0).requestedProcedureId()).isEqualTo(items.get(1).requestedProcedureId());
        assertThat(items.get(0).studyInstanceUid()).isEqualTo(items.get(1).studyInstanceUid());
        assertThat(items.get(0).spsId()).isNotEqualTo(items.get(1).spsId());
        assertThat(items.get(2).requestedProcedureId()).isNotEqualTo(items.get(0).requestedProcedureId());
        assertThat(items.get(2).studyInstanceUid()).isNotEqualTo(items.get(0).studyInstanceUid());
        // resend: same three items
        List<WorklistItem> again = orders.apply(Orders.order("PL7")
                .procedure("ACC7", null, null, Orders.BRAIN, START, null)
                .procedure("ACC7", null, null, Orders.SPINE, START.plusMinutes(20), null)
                .procedure("ACC8", null, null, Orders.BRAIN, START.plusDays(7), null).build());
        assertThat(again).extracting(WorklistItem::id).containsExactlyElementsOf(items.stream().map(WorklistItem::id).toList());
        assertThat(store.findByPlacerOrder("PL7")).hasSize(3);
    }

    @Test
    void statusPairsFromTheRisMoveTheSteps() {
        orders.apply(Orders.order("PL8").procedure("ACC8", START).build());
        assertThat(orders.apply(Orders.order("PL8").control("SC", "IP").build()))
                .extracting(WorklistItem::status).containsExactly(SpsStatus.STARTED);
        assertThat(orders.apply(Orders.order("PL8").control("XO", "CM").build()))
                .extracting(WorklistItem::status).containsExactly(SpsStatus.COMPLETED);
        // a late resend of the NW does not put a completed exam back on the worklist
        assertThat(orders.apply(Orders.order("PL8").procedure("ACC8", START).build()))
                .extracting(WorklistItem::status).containsExactly(SpsStatus.COMPLETED);
        assertThat(active()).isEmpty();

        orders.apply(Orders.order("PL9").procedure("ACC9", START).build());
        assertThat(orders.apply(Orders.order("PL9").control("DC", "CA").build()))
                .extracting(WorklistItem::status).containsExactly(SpsStatus.DISCONTINUED);
    }

    @Test
    void concurrentIdenticalNewOrdersGiveOneItem() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 5; round++) {
                String placer = "RACE" + round;
                CyclicBarrier barrier = new CyclicBarrier(threads);
                List<Future<List<WorklistItem>>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    results.add(pool.submit(() -> {
                        barrier.await(10, TimeUnit.SECONDS);
                        return orders.apply(Orders.order(placer).procedure("A" + placer, START).build());
                    }));
                }
                Set<Long> ids = new java.util.HashSet<>();
                Set<String> spsIds = new java.util.HashSet<>();
                for (Future<List<WorklistItem>> f : results) {
                    WorklistItem item = f.get(30, TimeUnit.SECONDS).get(0);
                    ids.add(item.id());
                    spsIds.add(item.spsId());
                }
                assertThat(ids).hasSize(1);
                assertThat(spsIds).hasSize(1);
                assertThat(store.findByPlacerOrder(placer)).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void patientUpdateChangesPendingItemsOnly() {
        orders.apply(Orders.order("PL10").procedure("A10", START).build());
        orders.apply(Orders.order("PL11").procedure("A11", START.plusHours(1)).build());
        orders.apply(Orders.order("PL11").control("XO", "CM").build());
        int changed = orders.updatePatient(new Patient("PAT1", "HOSP", "DUPRÉ-MOREAU^HÉLÈNE", LocalDate.of(1980, 5, 18), "F"));
        assertThat(changed).isEqualTo(1);
        WorklistItem pending = store.findByPlacerOrder("PL10").get(0);
        assertThat(pending.patient().name()).isEqualTo("DUPRÉ-MOREAU^HÉLÈNE");
        assertThat(pending.patient().birthDate()).isEqualTo(LocalDate.of(1980, 5, 18));
        assertThat(store.findByPlacerOrder("PL11").get(0).patient().name()).isEqualTo("DUPRÉ^HÉLÈNE");
        // the new name is searchable at once, fuzzy too
        List<String> found = new ArrayList<>();
        store.query(new WorklistQuery(null, null, null, null, null, null, "dupre-moreau*", true, null, null, null,
                null, null, 0), i -> found.add(i.placerOrderNumber()));
        assertThat(found).containsExactly("PL10");
    }

    @Test
    void patientMergeMovesItemsAndHistory() {
        orders.apply(Orders.order("PL12").patient("OLD1", "DOE^JANE").procedure("A12", START).build());
        db.inTransaction(c -> ItemTable.addHistory(c, new PriorExam("OLD1", LocalDate.of(2025, 12, 1), ExamCard.FULL,
                true, 7.0, false, "H1"), null, clock.instant()));
        int moved = orders.mergePatient(new Patient("NEW1", "HOSP", "DOE^JANE MARIE", null, "F"), "OLD1", "HOSP");
        assertThat(moved).isEqualTo(1);
        WorklistItem item = store.findByPlacerOrder("PL12").get(0);
        assertThat(item.patient().id()).isEqualTo("NEW1");
        assertThat(item.patient().name()).isEqualTo("DOE^JANE MARIE");
        assertThat(store.history("NEW1")).extracting(PriorExam::accessionNumber).containsExactly("H1");
        assertThat(store.history("OLD1")).isEmpty();
        // the next order for the survivor sees the merged history (ROUTINE, no Gd)
        WorklistItem next = orders.apply(Orders.order("PL13").patient("NEW1", "DOE^JANE MARIE").procedure("A13", START)
                .build()).get(0);
        assertThat(next.decision().examCard()).isEqualTo(ExamCard.ROUTINE);
    }

    /**
     * After a merge one patient ID has one name and birth date: the survivor's own pending steps take the
     * demographics the moved ones get (before, the moved step showed the A40's name and the survivor's own its
     * old one; found by an independent review).
     */
    @Test
    void aMergeLeavesOneNameAndBirthDateUnderTheSurvivingId() {
        orders.apply(Orders.order("PL31").patient("SURV1", "SURVIVOR^ANNE").procedure("A31", START).build());
        orders.apply(Orders.order("PL32").patient("OLD2", "OLDNAME^BOB").procedure("A32", START).build());
        orders.mergePatient(new Patient("SURV1", null, "SURVIVOR^ANNE^MARIE", LocalDate.of(1980, 1, 1), "F"),
                "OLD2", null);
        for (String placer : List.of("PL31", "PL32")) {
            WorklistItem item = store.findByPlacerOrder(placer).get(0);
            assertThat(item.patient().id()).as(placer).isEqualTo("SURV1");
            assertThat(item.patient().name()).as(placer).isEqualTo("SURVIVOR^ANNE^MARIE");
            assertThat(item.patient().birthDate()).as(placer).isEqualTo(LocalDate.of(1980, 1, 1));
        }
        // a merge that gives no birth date or sex: the survivor's own steps say them, the moved ones take them
        orders.apply(Orders.order("PL33").patient("OLD3", "OLDER^ONE").procedure("A33", START).build());
        orders.mergePatient(new Patient("SURV1", null, "SURVIVOR^ANNE", null, null), "OLD3", null);
        for (String placer : List.of("PL31", "PL32", "PL33")) {
            WorklistItem item = store.findByPlacerOrder(placer).get(0);
            assertThat(item.patient().name()).as(placer).isEqualTo("SURVIVOR^ANNE");
            assertThat(item.patient().birthDate()).as(placer).isEqualTo(LocalDate.of(1980, 1, 1));
            assertThat(item.patient().sex()).as(placer).isEqualTo("F");
        }
    }

    /** V17: the day the order was written is kept with its steps, on each engine; a later change keeps it. */
    @Test
    void theDayTheOrderWasWrittenIsKeptWithItsSteps() {
        orders.apply(Orders.order("PL40").procedure("A40", START).build().withWrittenOn(LocalDate.of(2025, 9, 16)));
        orders.apply(Orders.order("PL40").control("XO", "SC").procedure("A40", START.plusHours(1)).build()
                .withWrittenOn(LocalDate.of(2026, 3, 1)));
        LocalDate kept = db.read(c -> ItemTable.orderWrittenOn(c, "PL40"));
        assertThat(kept).isEqualTo(LocalDate.of(2025, 9, 16));
        orders.apply(Orders.order("PL41").procedure("A41", START).build());
        LocalDate none = db.read(c -> ItemTable.orderWrittenOn(c, "PL41"));
        assertThat(none).isNull();
    }

    /**
     * V18: the step keeps its Requested Procedure Priority, read back by the order's steps and by a worklist query;
     * a change (XO) with another priority rewrites it, one without clears it.
     */
    @Test
    void theRequestedPriorityIsKeptAndAChangeRewritesIt() {
        orders.apply(Orders.order("PL42").procedure("A42", START, RequestedPriority.STAT)
                .procedure("A42B", START.plusHours(1), null).build());
        assertThat(store.findByPlacerOrder("PL42")).extracting(WorklistItem::priority)
                .containsExactly(RequestedPriority.STAT, null);
        assertThat(active()).filteredOn(i -> i.placerOrderNumber().equals("PL42"))
                .extracting(WorklistItem::priority).containsExactly(RequestedPriority.STAT, null);
        orders.apply(Orders.order("PL42").control("XO", "SC").procedure("A42", START, RequestedPriority.ROUTINE)
                .procedure("A42B", START.plusHours(1), RequestedPriority.HIGH).build());
        assertThat(store.findByPlacerOrder("PL42")).extracting(WorklistItem::priority)
                .containsExactly(RequestedPriority.ROUTINE, RequestedPriority.HIGH);
        orders.apply(Orders.order("PL42").control("XO", "SC").procedure("A42", START, null)
                .procedure("A42B", START.plusHours(1), RequestedPriority.HIGH).build());
        assertThat(store.findByPlacerOrder("PL42")).extracting(WorklistItem::priority)
                .containsExactly(null, RequestedPriority.HIGH);
        String column = db.read(c -> {
            try (var ps = c.prepareStatement("SELECT requested_procedure_priority FROM worklist_item "
                    + "WHERE accession_number = 'A42B'"); var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(column).isEqualTo("HIGH");
    }

    @Test
    void nonMsOrderPassesThrough() {
        ProtocolCode knee = new ProtocolCode("MRKNEE", "99RIS", "IRM genou");
        WorklistItem item = orders.apply(Orders.order("PL14").diagnoses("M17").procedure("A14", null, null, knee,
                START, null).build()).get(0);
        assertThat(item.decision().ofsep()).isFalse();
        assertThat(item.decision().defaultCodes()).containsExactly(knee);
        assertThat(item.spsDescription()).isEqualTo("IRM genou");
        assertThat(item.requestedContrastAgent()).isNull();
    }

    @Test
    void updateThatChangesTheAccessionKeepsTheSameSteps() {
        List<WorklistItem> nw = orders.apply(Orders.order("PL16")
                .procedure("OLD16", null, null, Orders.BRAIN, START, null)
                .procedure("OLD16", null, null, Orders.SPINE, START.plusMinutes(20), null).build());
        List<WorklistItem> xo = orders.apply(Orders.order("PL16").control("XO", "SC")
                .procedure("NEW16", null, null, Orders.BRAIN, START.plusHours(1), null)
                .procedure("NEW16", null, null, Orders.SPINE, START.plusHours(1).plusMinutes(20), null).build());
        assertThat(xo).extracting(WorklistItem::id).containsExactly(nw.get(0).id(), nw.get(1).id());
        assertThat(xo).extracting(WorklistItem::spsId).containsExactly(nw.get(0).spsId(), nw.get(1).spsId());
        assertThat(xo).extracting(WorklistItem::accessionNumber).containsOnly("NEW16");
        assertThat(store.findByPlacerOrder("PL16")).hasSize(2);
        // and a resend of that XO finds the steps by their new key
        orders.apply(Orders.order("PL16").control("XO", "SC")
                .procedure("NEW16", null, null, Orders.BRAIN, START.plusHours(1), null)
                .procedure("NEW16", null, null, Orders.SPINE, START.plusHours(1).plusMinutes(20), null).build());
        assertThat(store.findByPlacerOrder("PL16")).hasSize(2);
        // a resent NW after a cancel puts the order back on the worklist (the RIS re-ordered it)
        orders.apply(Orders.order("PL16").control("CA", "CA").build());
        assertThat(active()).isEmpty();
        orders.apply(Orders.order("PL16")
                .procedure("NEW16", null, null, Orders.BRAIN, START.plusHours(1), null)
                .procedure("NEW16", null, null, Orders.SPINE, START.plusHours(1).plusMinutes(20), null).build());
        assertThat(active()).extracting(WorklistItem::id).containsExactly(nw.get(0).id(), nw.get(1).id());
    }

    @Test
    void personNamesAreStoredWithoutTrailingEmptyComponents() {
        WorklistItem item = orders.apply(Orders.order("PL17").patient("P17", "DOE^JOHN^^^").procedure("A17", START)
                .build()).get(0);
        assertThat(item.patient().name()).isEqualTo("DOE^JOHN");
        List<String> found = new ArrayList<>();
        store.query(new WorklistQuery(null, null, null, null, null, null, "DOE^JOHN", false, null, null, null, null,
                null, 0), i -> found.add(i.placerOrderNumber()));
        assertThat(found).containsExactly("PL17");
        orders.updatePatient(new Patient("P17", null, "DOE^JOHNNY^^", null, null));
        assertThat(store.findByPlacerOrder("PL17").get(0).patient().name()).isEqualTo("DOE^JOHNNY");
    }

    @Test
    void placerOrderNumberOfAnotherPatientIsRefused() {
        WorklistItem first = orders.apply(Orders.order("PL18").patient("P18", "DOE^JANE").procedure("A18", START)
                .build()).get(0);
        assertThatThrownBy(() -> orders.apply(Orders.order("PL18").patient("OTHER", "ROE^RICHARD")
                .procedure("A18", START).build())).isInstanceOf(OrderRejectedException.class)
                .hasMessageContaining("another patient");
        assertThatThrownBy(() -> orders.apply(Orders.order("PL18").control("XO", "SC").patient("OTHER", "ROE^RICHARD")
                .procedure("A18", START).build())).isInstanceOf(OrderRejectedException.class);
        assertThat(store.findByPlacerOrder("PL18")).containsExactly(first);
        // after an A40 merge the survivor's ID is the order's patient
        orders.mergePatient(new Patient("P18NEW", "HOSP", "DOE^JANE", null, "F"), "P18", null);
        assertThat(orders.apply(Orders.order("PL18").control("XO", "SC").patient("P18NEW", "DOE^JANE")
                .procedure("A18", START.plusHours(2)).build())).extracting(WorklistItem::id).containsExactly(first.id());
    }
}
