package org.ofsep.mwl.store.priors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.ofsep.mwl.core.decision.DecisionEngine;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.planning.OrderPlanner;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.core.decision.PriorFacts;
import org.ofsep.mwl.core.service.ItemTexts;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.ItemTable;
import org.ofsep.mwl.store.ItemTable.StoredItem;
import org.ofsep.mwl.store.Json;
import org.ofsep.mwl.store.SqlTime;
import org.ofsep.mwl.store.service.JdbcReviewService;
import org.ofsep.mwl.core.mapping.MappingSnapshot;

/**
 * Decides an order's steps again once more facts are known (the PACS's answer about previous MRIs), after the
 * order was acknowledged: in one transaction per order, each step still SCHEDULED and still holding the decision
 * that order gave at intake is decided again with the new facts; when the decision (or only its reasons) changes,
 * the item is rewritten (the console sees it on its next query) and both decisions go to {@code decision_history}.
 *
 * <p>Never changed: a step already started, completed or cancelled (the console has it); a step whose decision is
 * not the one this order gives (a later XO, a mapping reload, or a person's change came in between: the newer
 * decision stays).
 */
public final class JdbcRedecisions {

    /** What happened to one step. */
    public enum Kind {
        /** card, Gd, spine or codes changed: the console's next query sees the new decision */
        CHANGED,
        /** the outcome stayed, the reasons now say what the PACS returned */
        NOTED,
        /** nothing to write: the same decision with the same reasons */
        UNCHANGED,
        /** the step is started or over: never changed */
        NOT_SCHEDULED,
        /** the step holds another decision than this order's (a later order, a reload, a person): left as is */
        STALE,
        /** not an MS order: nothing to decide */
        NOT_OFSEP,
        /** the lookup's row is gone: a newer message of the order superseded it, its own lookup decides */
        SUPERSEDED
    }

    public record Outcome(long itemId, String spsId, Kind kind, Decision before, Decision after) {
    }

    private final Database db;
    private final Supplier<Mapping> mapping;
    private final DecisionEngine engine;
    private final ItemTexts texts;
    private final Clock clock;

    public JdbcRedecisions(Database db, Supplier<Mapping> mapping, DecisionEngine engine, ItemTexts texts, Clock clock) {
        this.db = Objects.requireNonNull(db);
        this.mapping = Objects.requireNonNull(mapping);
        this.engine = Objects.requireNonNull(engine);
        this.texts = Objects.requireNonNull(texts);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Decides the order's steps again.
     *
     * @param order    the order as acknowledged
     * @param pacs     what the PACS says about the patient's previous MRIs, typed input to the decision beside
     *                 the order's facts (null when the PACS could not be asked)
     * @param annotate adds a reason (why nothing could be learned), identity when there is none
     * @param source   what decided again, e.g. "PRIORS"
     */
    public List<Outcome> redecide(OrderMessage order, org.ofsep.mwl.core.domain.PacsPriors pacs,
                                  UnaryOperator<Decision> annotate, String source, String note) {
        return redecide(order, pacs, annotate, source, note, 0);
    }

    /**
     * {@link #redecide(OrderMessage, org.ofsep.mwl.core.domain.PacsPriors, UnaryOperator, String, String)}, and the
     * lookup's durable row ({@link JdbcPriorLookupQueue}) deleted in the same transaction when {@code doneLookup}
     * is positive: one commit per lookup instead of two.
     */
    public List<Outcome> redecide(OrderMessage order, org.ofsep.mwl.core.domain.PacsPriors pacs,
                                  UnaryOperator<Decision> annotate, String source, String note, long doneLookup) {
        return redecide(order, pacs, annotate, source, note, doneLookup, doneLookup > 0);
    }

    /**
     * @param lookupRow  the durable lookup being worked (0: none): when it is gone, a newer message of the order
     *                   superseded it ({@link JdbcPriorLookupQueue#add}) and nothing is changed (one
     *                   {@link Kind#SUPERSEDED} outcome)
     * @param deleteRow  whether to delete that row in this transaction (the lookup is over)
     */
    public List<Outcome> redecide(OrderMessage order, org.ofsep.mwl.core.domain.PacsPriors pacs,
                                  UnaryOperator<Decision> annotate, String source, String note, long lookupRow,
                                  boolean deleteRow) {
        Mapping m = mapping.get();
        return db.inTransaction(c -> {
            if (lookupRow > 0 && !JdbcPriorLookupQueue.exists(c, lookupRow)) {
                return List.of(new Outcome(0, null, Kind.SUPERSEDED, null, null)); // the newer message's lookup decides
            }
            if (lookupRow > 0 && deleteRow) {
                JdbcPriorLookupQueue.delete(c, lookupRow);
            }
            Instant now = clock.instant();
            List<StoredItem> stored = ItemTable.byPlacerOrder(c, order.placerOrderNumber().trim());
            // the text's relative dates count from the day the order was first written, as at intake
            OrderMessage written = stored.isEmpty() ? order : OrderPlanner.firstWritten(order,
                    ItemTable.orderWrittenOn(c, order.placerOrderNumber().trim()));
            // the patient as the store holds it: an ADT since the message may have corrected the birth date or sex
            // an eGFR is computed with (the PACS answer of a lookup waiting since the message put the Gd back with
            // the eGFR of the wrong age, and took the ADT's alert away)
            written = withStoredDemographics(written, stored);
            Map<String, ProcedureRequest> byKey = OrderPlanner.stepKeys(order.procedures());
            List<Outcome> out = new ArrayList<>();
            Map<String, List<PriorExam>> histories = new HashMap<>();
            for (StoredItem s : stored) {
                WorklistItem item = s.item();
                ProcedureRequest proc = byKey.get(s.stepKey());
                if (proc == null) {
                    continue; // a step of the order this message does not describe
                }
                if (item.status() != SpsStatus.SCHEDULED) {
                    out.add(new Outcome(item.id(), item.spsId(), Kind.NOT_SCHEDULED, item.decision(), item.decision()));
                    continue;
                }
                // the rules' decision behind the step (what the console holds may be a reviewed form of it)
                Decision before = JdbcReviewService.rulesDecision(c, item);
                if (before == null || !before.ofsep()) {
                    out.add(new Outcome(item.id(), item.spsId(), Kind.NOT_OFSEP, before, before));
                    continue;
                }
                if (pacs == null && PriorFacts.usedBy(before) != null) {
                    // the PACS cannot be asked now, but this decision was made with its answer (at intake from the
                    // cache, or by an earlier lookup): that knowledge stays, and so does the decision
                    out.add(new Outcome(item.id(), item.spsId(), Kind.UNCHANGED, before, before));
                    continue;
                }
                Station station = m.station(item.stationAeTitle()).orElse(null);
                if (station == null) {
                    out.add(new Outcome(item.id(), item.spsId(), Kind.STALE, before, before));
                    continue;
                }
                LocalDate day = item.scheduledStart().toLocalDate();
                List<PriorExam> history = histories.computeIfAbsent(item.patient().id(), id -> {
                    try {
                        return ItemTable.history(c, id);
                    } catch (SQLException e) {
                        throw new org.ofsep.mwl.store.StoreException("cannot read the patient's history", e);
                    }
                });
                Decision intake = engine.decide(m, written, proc, station, history, day);
                Decision after = annotate.apply(engine.decide(m, written, proc, station, history, day, pacs));
                // not this message's decision (a later change decided the step): left alone. A mapping reload that
                // only renders it differently (another agent, dose or vendor code) does not make it another's: the
                // PACS answer was ignored after such a reload (found by an independent review)
                if (!PriorFacts.sameClinicalOutcome(before, intake) && !PriorFacts.sameOutcome(before, after)
                        && !decidedWithAnEarlierPacsAnswer(m, written, proc, station, history, day, before)) {
                    out.add(new Outcome(item.id(), item.spsId(), Kind.STALE, before, before));
                    continue;
                }
                if (after.equals(before)) {
                    out.add(new Outcome(item.id(), item.spsId(), Kind.UNCHANGED, before, after));
                    continue;
                }
                Kind kind = PriorFacts.sameOutcome(before, after) ? Kind.NOTED : Kind.CHANGED;
                // through the review guard: a decision a person confirmed or overrode is kept when the exam is the
                // same, and goes back to review (audited) when the PACS changes it; a new automatic decision that
                // needs a radiologist is published as the review policy says (e.g. held without Gd)
                JdbcReviewService.redecide(c, MappingSnapshot.of(m), s, after, texts, "PACS priors", now);
                recordHistory(c, item.id(), now, source, kind, note, before, after);
                out.add(new Outcome(item.id(), item.spsId(), kind, before, after));
            }
            return out;
        });
    }

    /** The order with the birth date and sex its stored steps hold, when they hold them (the newest ADT's). */
    static OrderMessage withStoredDemographics(OrderMessage order, List<StoredItem> stored) {
        org.ofsep.mwl.core.domain.Patient p = order.patient();
        if (p == null || stored.isEmpty() || stored.get(0).item().patient() == null) {
            return order;
        }
        org.ofsep.mwl.core.domain.Patient s = stored.get(0).item().patient();
        java.time.LocalDate born = s.birthDate() != null ? s.birthDate() : p.birthDate();
        String sex = s.sex() != null ? s.sex() : p.sex();
        if (java.util.Objects.equals(born, p.birthDate()) && java.util.Objects.equals(sex, p.sex())) {
            return order;
        }
        return order.withPatient(new org.ofsep.mwl.core.domain.Patient(p.id(), p.issuer(), p.name(), born, sex));
    }

    /**
     * Whether the step holds this order's decision made with an earlier PACS answer (at intake from the cache, the
     * answer since changed): then it is this order's and is decided again, not left as STALE.
     */
    private boolean decidedWithAnEarlierPacsAnswer(Mapping m, OrderMessage order, ProcedureRequest proc,
                                                   Station station, List<PriorExam> history, LocalDate day,
                                                   Decision before) {
        org.ofsep.mwl.core.domain.PacsPriors earlier = PriorFacts.usedBy(before);
        return earlier != null && PriorFacts.sameOutcome(before,
                engine.decide(m, order, proc, station, history, day, earlier));
    }

    /**
     * The Study Instance UIDs of the order's steps as the gateway stores them (generated when the RIS gave none):
     * the exam's own studies, never one of its priors, even once the console has sent its images to the PACS. Null
     * when no step of the order is still SCHEDULED with an OFSEP decision: then a lookup could change nothing (not an
     * MS order, or every step started) and the PACS is not asked. One read for both.
     */
    public java.util.Set<String> ownStudiesIfWorthAsking(OrderMessage order) {
        Target t = lookupTarget(order);
        return t == null ? null : t.ownStudies();
    }

    /**
     * What a lookup of the order asks the PACS about: the patient as the order's SCHEDULED steps hold it (after a
     * merge, ADT^A40, the survivor, where the order's message names the merged ID), and the exam's own studies.
     *
     * @param ownStudies the Study Instance UIDs of the order's steps (never one of its priors)
     * @param patient    the patient of the order's SCHEDULED OFSEP step, as stored
     */
    public record Target(java.util.Set<String> ownStudies, org.ofsep.mwl.core.domain.Patient patient) {
    }

    /**
     * {@link Target}, null when no step of the order is still SCHEDULED with an OFSEP decision (then the PACS is not
     * asked, see {@link #ownStudiesIfWorthAsking}). One read.
     */
    public Target lookupTarget(OrderMessage order) {
        return db.read(c -> {
            java.util.Set<String> uids = new java.util.HashSet<>();
            org.ofsep.mwl.core.domain.Patient patient = null;
            for (StoredItem s : ItemTable.byPlacerOrder(c, order.placerOrderNumber().trim())) {
                Decision d = s.item().decision();
                if (patient == null && s.item().status() == SpsStatus.SCHEDULED && d != null && d.ofsep()) {
                    patient = s.item().patient() != null ? s.item().patient() : order.patient();
                }
                if (s.item().studyInstanceUid() != null) {
                    uids.add(s.item().studyInstanceUid().trim());
                }
            }
            return patient == null ? null : new Target(uids, patient);
        });
    }

    static void recordHistory(Connection c, long itemId, Instant at, String source, Kind kind, String note,
                              Decision before, Decision after) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO decision_history (item_id, recorded_at, source,"
                + " outcome, note, decision_before, decision_after) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, itemId);
            SqlTime.setInstant(ps, 2, at);
            ps.setString(3, source);
            ps.setString(4, kind.name());
            ps.setString(5, note);
            ps.setString(6, Json.write(before));
            ps.setString(7, Json.write(after));
            ps.executeUpdate();
        }
    }

    /** One entry of an item's decision history. */
    public record HistoryEntry(Instant at, String source, String outcome, String note, Decision before, Decision after) {
    }

    /** The item's decision history, oldest first. */
    public List<HistoryEntry> history(long itemId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT recorded_at, source, outcome, note, decision_before,"
                    + " decision_after FROM decision_history WHERE item_id = ? ORDER BY id")) {
                ps.setLong(1, itemId);
                List<HistoryEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new HistoryEntry(SqlTime.getInstant(rs, "recorded_at"), rs.getString("source"),
                                rs.getString("outcome"), rs.getString("note"), Json.decision(rs.getString("decision_before")),
                                Json.decision(rs.getString("decision_after"))));
                    }
                }
                return out;
            }
        });
    }
}
