package org.ofsep.mwl.store.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.ofsep.mwl.core.decision.ReviewPolicy;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.ReviewState;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.service.ItemTexts;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.review.AuditEvent;
import org.ofsep.mwl.core.review.ReviewItem;
import org.ofsep.mwl.core.review.ReviewRefusedException;
import org.ofsep.mwl.core.review.Role;
import org.ofsep.mwl.store.AuditTable;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.ItemTable;
import org.ofsep.mwl.store.ItemTable.StoredItem;
import org.ofsep.mwl.store.Json;
import org.ofsep.mwl.store.SqlTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The radiologist review in the store (table item_review, issue #14): what the console receives for each OFSEP
 * decision, the review list, CONFIRM and OVERRIDE with their optimistic version check, and the guard that keeps
 * an automatic re-decision (order update, PACS priors) from replacing what a person confirmed or overrode.
 */
public final class JdbcReviewService {
    private static final Logger log = LoggerFactory.getLogger(JdbcReviewService.class);
    /** The actor of automatic changes in the audit trail. */
    public static final String GATEWAY = "gateway";

    /** A review action by a person. {@code version} is the one the person saw. */
    public record Action(String user, Role role, String address, String accessionNumber, String spsId,
                         String action, String examCard, Boolean contrast, List<String> optionalSequences,
                         String reason, Integer version) {
    }

    /** The review row of one item. */
    record Row(ReviewState state, int version, Decision rules, List<String> why, String reviewedBy,
               Instant reviewedAt, String reason, String note) {
    }

    /**
     * What to store for a freshly decided step: the item as the console must see it and its review row (null for
     * a decision no one reviews), plus the audit event when a person's decision was sent back to review.
     */
    public record Plan(WorklistItem item, Row row, AuditEvent event) {
    }

    /** When a confirmation was made, as the console's comments say it (the site's time zone). */
    private static final java.time.format.DateTimeFormatter CONFIRMED_AT =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");

    private final Database db;
    private final Supplier<Mapping> mapping;
    private final ItemTexts texts;
    private final Clock clock;

    public JdbcReviewService(Database db, Supplier<Mapping> mapping, ItemTexts texts, Clock clock) {
        this.db = Objects.requireNonNull(db);
        this.mapping = Objects.requireNonNull(mapping);
        this.texts = Objects.requireNonNull(texts);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Each exam card's optional sequences in the running mapping (what an override may name). */
    public java.util.Map<String, List<String>> optionalSequencesByCard() {
        return ReviewPolicy.optionalSequencesByCard(MappingSnapshot.of(mapping.get()));
    }

    public JdbcReviewService(Database db, Supplier<Mapping> mapping, Clock clock) {
        this(db, mapping, ItemTexts.DEFAULT, clock);
    }

    // ---------------------------------------------------------------- automatic decisions

    /**
     * The review of an automatic decision, inside the caller's transaction. {@code decided} carries the rules'
     * decision; {@code previousId} is the stored step it replaces (0 for a new one). A decision a person
     * confirmed or overrode stays as it is when the rules decide the same exam again; when they decide another
     * exam it goes back to TO_REVIEW (held without Gd if the new decision has Gd), and the audit trail keeps
     * both decisions.
     *
     * @param cause what re-decided ("order update", "PACS priors"), for the audit trail
     */
    public static Plan plan(Connection c, MappingSnapshot m, WorklistItem decided, WorklistItem previous,
                            ItemTexts texts, String cause, Instant now) throws SQLException {
        return plan(c, m, decided, previous, previous == null || previous.id() == 0 ? null : stored(c, previous),
                texts, cause, now);
    }

    /** {@link #plan} with the previous step's review row as stored ({@link #find(Connection, long)}, or null). */
    private static Plan plan(Connection c, MappingSnapshot m, WorklistItem decided, WorklistItem previous,
                             Row storedRow, ItemTexts texts, String cause, Instant now) {
        Decision rules = decided.decision();
        if (m == null) {
            // a mapping without a review section of its own (test doubles): published as decided
            return new Plan(decided, rules == null || !rules.ofsep() ? null
                    : new Row(ReviewState.AUTO, 1, rules, List.of(), null, null, null, null), null);
        }
        Row prev = storedRow == null ? null : withRules(storedRow, previous);
        // a person decided this step: confirmed or overridden, or TO_REVIEW with the person still named (their
        // decision kept on the console while a changed automatic decision waits, or set aside by an alert they did
        // not see): the next message or PACS answer must not make it AUTO, it goes back to review until a
        // radiologist acts
        boolean personPublished = prev != null && (prev.state().byPerson()
                || prev.state() == ReviewState.TO_REVIEW && prev.reviewedBy() != null);
        // whether the console holds that person's decision (not when an alert set it aside)
        boolean consoleHasPerson = personPublished && !(prev.state() == ReviewState.TO_REVIEW && setAside(prev));
        if (rules == null || !rules.ofsep()) {
            AuditEvent event = personPublished
                    ? redecided(now, previous, prev, decided, "the order is no longer an MS order (" + cause + ")")
                    : null;
            return new Plan(decided, null, event);
        }
        if (personPublished) {
            if (ReviewPolicy.sameExam(prev.rules(), rules)) {
                // the person's decision stands: keep what the console receives, take the order's other changes
                WorklistItem kept = kept(decided, previous, rules);
                return new Plan(kept, new Row(prev.state(), prev.version(), rules, prev.why(), prev.reviewedBy(),
                        prev.reviewedAt(), prev.reason(), prev.note()), null);
            }
            if (prev.state() == ReviewState.OVERRIDDEN
                    && ReviewPolicy.agreesWithPerson(previous.decision(), prev.rules(), rules)) {
                // the rules now decide the exam the person chose (e.g. the PACS found the prior the radiologist
                // knew of): the override stands and is not asked again; the row keeps the new rules' decision, a
                // new version (a reviewer on the old one must reload) and why, and the audit trail says so
                WorklistItem kept = kept(decided, previous, rules);
                List<String> why = new ArrayList<>();
                why.add("RULES_AGREED: the automatic decision changed (" + cause + ") to the exam " + prev.reviewedBy()
                        + " chose: was " + summary(prev.rules()) + ", now " + summary(rules));
                why.addAll(prev.why());
                Row row = new Row(prev.state(), prev.version() + 1, rules, why, prev.reviewedBy(), prev.reviewedAt(),
                        prev.reason(), prev.note());
                AuditEvent event = new AuditEvent(0, now, GATEWAY, null, "RULES_AGREED", previous.id(),
                        previous.accessionNumber(), summaryJson(prev.rules(), prev.state(), previous.spsDescription()),
                        summaryJson(rules, prev.state(), previous.spsDescription()), null, why.get(0),
                        rules.contrast(), previous.decision().contrast());
                return new Plan(kept, row, event);
            }
            List<String> why = new ArrayList<>();
            why.add("CHANGED_AFTER_REVIEW: the automatic decision changed (" + cause + ") "
                    + (prev.state() != ReviewState.TO_REVIEW ? "after it was " + prev.state() + " by "
                            + prev.reviewedBy() : consoleHasPerson ? "while the console kept the decision of "
                            + prev.reviewedBy() : "while the decision of " + prev.reviewedBy() + " was set aside")
                    + ": was " + summary(prev.rules()) + ", now " + summary(rules) + newAlerts(prev.rules(), rules)
                    + goneAlerts(prev.rules(), rules));
            why.addAll(ReviewPolicy.assess(m, rules).why());
            // another exam with no alert the person did not see: the console keeps the person's decision until a
            // radiologist looks again (never replaced automatically: the Gd a radiologist overrode for clinical
            // worsening is not taken away by a PACS answer); a new alert (an eGFR of 24, a pregnancy sent after Gd
            // was confirmed) is published as the review policy says, held without Gd when it has Gd, and so is
            // any later change while the person's decision is set aside (the console no longer has it)
            boolean keep = consoleHasPerson && newAlerts(prev.rules(), rules).isEmpty();
            WorklistItem item = keep
                    ? kept(decided, previous, rules)
                    : publish(m, decided, rules, ReviewState.TO_REVIEW, texts);
            if (!keep) {
                why.add(consoleHasPerson ? SET_ASIDE + ": the console receives the automatic decision (held without"
                        + " Gd while it has Gd), not the decision of " + prev.reviewedBy() + " ("
                        + (prev.state() == ReviewState.TO_REVIEW ? "reviewed" : prev.state()) + " at "
                        + prev.reviewedAt() + "), until a radiologist reviews it"
                        : prev.why().stream().filter(w -> w.startsWith(SET_ASIDE + ": ")).findFirst().orElseThrow());
            }
            // the row still names the person, whether the console keeps their decision or an alert set it aside:
            // each later automatic change goes back to review too (it went AUTO, the person's decision gone from
            // the review and no audit event, when the set-aside row named no one), until a radiologist acts
            Row row = new Row(ReviewState.TO_REVIEW, prev.version() + 1, rules, why, prev.reviewedBy(),
                    prev.reviewedAt(), prev.reason(), prev.note());
            AuditEvent event = redecided(now, previous, prev, item, why.get(0));
            return new Plan(item, row, event);
        }
        ReviewPolicy.Assessment a = ReviewPolicy.assess(m, rules);
        WorklistItem item = publish(m, decided, rules, a.state(), texts);
        int version = prev == null ? 1
                : prev.version() + (prev.state() != a.state() || !ReviewPolicy.sameExam(prev.rules(), rules) ? 1 : 0);
        return new Plan(item, new Row(a.state(), version, rules, a.why(), null, null, null,
                prev == null ? null : prev.note()), null);
    }

    /**
     * Whether a review row says nothing its item does not say already, so that it is not written: an OFSEP
     * decision published as the rules made it (AUTO), at version 1, with no reason to review, no note and no
     * reviewer. Such a row was written for every MS step nobody has to look at, and it cost each order two B-trees
     * in H2's commit (the table and {@code ix_item_review_state}, 7.3 KB of about 68 KB). A step with an OFSEP
     * decision and no review row is read as exactly that row ({@link #find(Connection, WorklistItem)},
     * {@link #list}); anything else about its review (held, confirmed, overridden, a note, a later version) is
     * written as before.
     */
    static boolean implicit(Row r, Decision storedOnItem) {
        return r.state() == ReviewState.AUTO && r.version() == 1 && r.why().isEmpty() && r.reviewedBy() == null
                && r.reviewedAt() == null && r.reason() == null && r.note() == null && storedOnItem != null
                && storedOnItem.ofsep() && storedOnItem.equals(r.rules()) && readBackExactly(storedOnItem);
    }

    /** The review row a step with an OFSEP decision and no row of its own has ({@link #implicit}). */
    private static Row implicitRow(Decision onItem) {
        return new Row(ReviewState.AUTO, 1, onItem, List.of(), null, null, null, null);
    }

    /**
     * The review reason of a TO_REVIEW step whose person's decision an alert they did not see set aside: the console
     * receives the automatic decision as the review policy publishes it, and the row still names the person.
     */
    static final String SET_ASIDE = "SET_ASIDE";

    /** Whether the row says the person's decision was set aside ({@link #SET_ASIDE}). */
    static boolean setAside(Row r) {
        return r.why().stream().anyMatch(w -> w.startsWith(SET_ASIDE + ": "));
    }

    /** Writes the plan's review row (and audit event) for the stored item {@code itemId}. */
    public static void record(Connection c, long itemId, Plan plan, Instant now) throws SQLException {
        record(c, itemId, plan, now, false);
    }

    /**
     * Writes the review row of a step this transaction has just inserted ({@code itemId} is new, so it has no
     * review row yet): one INSERT, or nothing for a decision no one reviews or one with nothing to review
     * ({@link #implicit}).
     */
    public static void recordNew(Connection c, long itemId, Plan plan, Instant now) throws SQLException {
        record(c, itemId, plan, now, true);
    }

    private static void record(Connection c, long itemId, Plan plan, Instant now, boolean fresh)
            throws SQLException {
        Decision stored = plan.item().decision();
        if (plan.row() == null || implicit(plan.row(), stored)) {
            if (!fresh) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM item_review WHERE item_id = ?")) {
                    ps.setLong(1, itemId);
                    ps.executeUpdate();
                }
            }
        } else if (fresh) {
            insert(c, itemId, plan.row(), stored, now);
        } else {
            upsert(c, itemId, plan.row(), stored, now);
        }
        if (plan.event() != null) {
            AuditEvent e = plan.event();
            AuditTable.insert(c, new AuditEvent(0, e.at(), e.actor(), e.address(), e.action(), itemId,
                    e.accessionNumber(), e.before(), e.after(), e.reason(), e.detail(), e.rulesContrast(),
                    e.afterContrast()));
            if ("RULES_AGREED".equals(e.action())) {
                log.info("An automatic re-decision now agrees with an override, which stands (item {})", itemId);
            } else {
                log.info("A reviewed decision went back to review after an automatic re-decision (item {})", itemId);
            }
        }
    }

    /**
     * An automatic re-decision of a stored step outside the order flow (e.g. after the PACS answered with the
     * patient's priors), inside the caller's transaction: the step gets {@code newRules} through the same guard
     * as an order update, so a decision a person confirmed or overrode is kept when the exam is the same and
     * goes back to TO_REVIEW (audited) when it is not. A step the modality has started or finished is left alone.
     *
     * @return the item as stored now
     */
    public static WorklistItem redecide(Connection c, MappingSnapshot m, StoredItem stored, Decision newRules,
                                        ItemTexts texts, String cause, Instant now) throws SQLException {
        WorklistItem previous = stored.item();
        if (previous.status() != SpsStatus.SCHEDULED) {
            return previous;
        }
        ItemTexts.Texts t = texts.texts(newRules, previous.requestedProcedureCode());
        WorklistItem decided = withDecision(previous, newRules, t.spsDescription(), t.contrastAgent(), t.comments(),
                t.medicalAlerts());
        Row storedRow = stored(c, previous);
        Plan plan = plan(c, m, decided, previous, storedRow, texts, cause, now);
        // only what changed: a re-decision that leaves the decision as it was (the PACS adds a line to the reasons)
        // writes the reasons and facts, not the whole step nor its protocol codes, and not an unchanged review row
        ItemTable.updateChanged(c, previous, plan.item(), stored.stepKey(), now);
        if (plan.event() != null || !sameAsStored(storedRow, plan.row(), plan.item().decision())) {
            record(c, previous.id(), plan, now);
        }
        return plan.item();
    }

    /**
     * Whether {@code next} would be written exactly as {@code stored} already is (the review row as read, its rules'
     * decision null when kept as {@link #SAME_AS_ITEM}), {@code storedOnItem} being the decision the item stores.
     */
    static boolean sameAsStored(Row stored, Row next, Decision storedOnItem) {
        if (stored == null || next == null) {
            return stored == null && next == null;
        }
        if (stored.state() != next.state() || stored.version() != next.version() || !stored.why().equals(next.why())
                || !Objects.equals(stored.reviewedBy(), next.reviewedBy())
                || !Objects.equals(stored.reviewedAt(), next.reviewedAt())
                || !Objects.equals(stored.reason(), next.reason()) || !Objects.equals(stored.note(), next.note())) {
            return false;
        }
        String json = rulesJson(next.rules(), storedOnItem);
        return stored.rules() == null ? SAME_AS_ITEM.equals(json)
                : !SAME_AS_ITEM.equals(json) && stored.rules().equals(next.rules());
    }

    private static AuditEvent redecided(Instant now, WorklistItem before, Row prev, WorklistItem after, String why) {
        return new AuditEvent(0, now, GATEWAY, null, "REDECIDED", before.id(), before.accessionNumber(),
                summaryJson(before.decision(), prev.state(), before.spsDescription()),
                summaryJson(after.decision(), ReviewState.TO_REVIEW, after.spsDescription()), null, why,
                after.decision() != null && after.decision().contrast(), after.decision() != null
                        && after.decision().contrast());
    }

    /** The item with the decision the console receives in this state, and its texts. */
    static WorklistItem publish(MappingSnapshot m, WorklistItem decided, Decision rules, ReviewState state,
                                ItemTexts texts) {
        Decision published = ReviewPolicy.published(m, rules, state);
        if (published == rules) {
            return decided; // published as decided, with the texts the order planner gave it
        }
        ItemTexts.Texts t = texts.texts(published, decided.requestedProcedureCode());
        String description = ReviewPolicy.held(state, rules) ? ReviewPolicy.awaitingDescription(m, published)
                : t.spsDescription();
        return withDecision(decided, published, description, t.contrastAgent(), t.comments(), t.medicalAlerts());
    }

    /** The order's other changes ({@code decided}) with what the console had ({@code previous}) kept. */
    private static WorklistItem kept(WorklistItem decided, WorklistItem previous, Decision rules) {
        return withDecision(decided, withPriorsOf(previous.decision(), rules), previous.spsDescription(),
                previous.requestedContrastAgent(), previous.procedureComments(), previous.medicalAlerts());
    }

    /**
     * The person's decision, kept, with the PACS's line of the new rules' decision ("Priors checked at ..."): the
     * board's priors line of a reviewed step said "could not be asked" after the PACS had answered.
     */
    static Decision withPriorsOf(Decision kept, Decision rules) {
        if (kept == null || rules == null) {
            return kept;
        }
        String line = rules.reasons().stream().filter(r -> r.startsWith("Priors checked at ")
                || r.startsWith("Priors not checked: ")).findFirst().orElse(null);
        return line == null || kept.reasons().contains(line) ? kept
                : org.ofsep.mwl.core.decision.PriorFacts.withReason(kept, line);
    }

    static WorklistItem withDecision(WorklistItem i, Decision d, String spsDescription, String contrastAgent,
                                     String comments, List<String> alerts) {
        return new WorklistItem(i.id(), i.spsId(), i.requestedProcedureId(), i.accessionNumber(),
                i.studyInstanceUid(), i.placerOrderNumber(), i.fillerOrderNumber(), i.patient(), i.weightKg(),
                i.requestedProcedureCode(), i.requestedProcedureDescription(), i.scheduledStart(), i.modality(),
                i.stationAeTitle(), i.stationName(), spsDescription, i.reason(), i.referringPhysician(), i.status(),
                d, alerts, contrastAgent, comments, i.specificCharacterSet(), i.priority());
    }

    // ---------------------------------------------------------------- the review list and actions

    /**
     * The reviewable items scheduled on {@code day} (optionally on one station): TO_REVIEW first, then those a
     * person decided; canceled steps left out. With {@code includeAuto} the AUTO ones too.
     */
    public List<ReviewItem> list(LocalDate day, String station, boolean includeAuto) {
        return db.read(c -> {
            // a step with an OFSEP decision and no review row is AUTO (implicit): only with includeAuto
            StringBuilder sql = new StringBuilder("SELECT i.id, r.state, r.version, r.rules_decision_json, "
                    + "r.review_why, r.reviewed_by, r.reviewed_at, r.review_reason, r.note FROM worklist_item i ");
            sql.append(includeAuto ? "LEFT JOIN" : "JOIN").append(" item_review r ON r.item_id = i.id "
                    + "WHERE i.scheduled_start >= ? AND i.scheduled_start < ? AND i.status <> 'CANCELED'");
            if (station != null && !station.isBlank()) {
                sql.append(" AND i.station_ae_title = ?");
            }
            if (includeAuto) {
                sql.append(" AND (r.item_id IS NOT NULL OR i.ofsep = TRUE)");
            } else {
                sql.append(" AND r.state <> 'AUTO'");
            }
            sql.append(" ORDER BY i.scheduled_start, i.id");
            List<long[]> ids = new ArrayList<>();
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                SqlTime.setLocalDateTime(ps, 1, day.atStartOfDay());
                SqlTime.setLocalDateTime(ps, 2, day.plusDays(1).atStartOfDay());
                if (station != null && !station.isBlank()) {
                    ps.setString(3, station.trim());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(new long[] {rs.getLong(1)});
                        rows.add(rs.getString(2) == null ? null : row(rs));
                    }
                }
            }
            List<ReviewItem> out = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                List<StoredItem> items = ItemTable.byIdsNoLock(c, List.of(ids.get(i)[0]));
                if (!items.isEmpty()) {
                    WorklistItem item = items.get(0).item();
                    Row row = rows.get(i);
                    if (row == null && (item.decision() == null || !item.decision().ofsep())) {
                        continue; // changed since the first read: no longer an OFSEP decision
                    }
                    out.add(reviewItem(item, row == null ? implicitRow(item.decision()) : withRules(row, item)));
                }
            }
            out.sort((a, b) -> Integer.compare(a.state() == ReviewState.TO_REVIEW ? 0 : 1,
                    b.state() == ReviewState.TO_REVIEW ? 0 : 1));
            return out;
        });
    }

    /** The review of one accession number's step, or null. */
    public ReviewItem find(String accessionNumber) {
        return db.read(c -> {
            for (StoredItem s : ItemTable.byAccessionNoLock(c, accessionNumber)) {
                Row r = find(c, s.item());
                if (r != null && s.item().status() != SpsStatus.CANCELED) {
                    return reviewItem(s.item(), r);
                }
            }
            return null;
        });
    }

    private static ReviewItem reviewItem(WorklistItem item, Row r) {
        return new ReviewItem(item, r.state(), r.version(), r.rules(), r.why(), r.reviewedBy(), r.reviewedAt(),
                r.reason(), r.note());
    }

    /**
     * CONFIRM (publish the rules' decision, Gd included), OVERRIDE (publish the card and Gd the radiologist
     * chose; a reason is required) or NOTE (a technologist's or radiologist's note; the decision is unchanged).
     * One transaction with the audit event; the console sees the change on its next query.
     *
     * @throws ReviewRefusedException with the HTTP status and a clear message; nothing was changed
     */
    public ReviewItem act(Action a) {
        String action = a.action() == null ? "" : a.action().trim().toUpperCase(java.util.Locale.ROOT);
        if (!List.of("CONFIRM", "OVERRIDE", "NOTE").contains(action)) {
            throw new ReviewRefusedException(400, "action must be CONFIRM, OVERRIDE or NOTE, not '" + a.action() + "'");
        }
        if (!"NOTE".equals(action) && a.role() != Role.RADIOLOGIST) {
            throw new ReviewRefusedException(403, "only a radiologist may " + action.toLowerCase(java.util.Locale.ROOT)
                    + " a decision (you are " + (a.role() == null ? "not logged in" : a.role().label()) + ")");
        }
        String reason = a.reason() == null ? null : a.reason().trim();
        if ("OVERRIDE".equals(action) && (reason == null || reason.isEmpty())) {
            throw new ReviewRefusedException(400, "an override needs a reason");
        }
        if ("NOTE".equals(action) && (reason == null || reason.isEmpty())) {
            throw new ReviewRefusedException(400, "a note needs a text (reason)");
        }
        if (reason != null && reason.length() > 2000) {
            throw new ReviewRefusedException(400, "the reason is longer than 2000 characters");
        }
        if (!"NOTE".equals(action) && a.version() == null) {
            throw new ReviewRefusedException(400, "version is required: send the version you reviewed");
        }
        if ("OVERRIDE".equals(action) && a.contrast() == null) {
            throw new ReviewRefusedException(400, "an override must say contrast: true or false");
        }
        ExamCard card = null;
        if ("OVERRIDE".equals(action) && a.examCard() != null && !a.examCard().isBlank()) {
            try {
                card = ExamCard.valueOf(a.examCard().trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ReviewRefusedException(400, "examCard must be one of " + Arrays.toString(ExamCard.values())
                        + ", not '" + a.examCard() + "'");
            }
        }
        ExamCard chosenCard = card;
        MappingSnapshot m = MappingSnapshot.of(mapping.get());
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            StoredItem target = target(c, a.accessionNumber(), a.spsId());
            WorklistItem item = target.item();
            Row row = find(c, item);
            if (item.status() != SpsStatus.SCHEDULED) {
                throw new ReviewRefusedException(409, "the exam " + a.accessionNumber() + " is " + item.status()
                        + " on the console: its decision can no longer change");
            }
            if (!"NOTE".equals(action) && a.version() != row.version()) {
                throw new ReviewRefusedException(409, "this exam was changed since you loaded it (your version "
                        + a.version() + ", now " + row.version() + (row.reviewedBy() == null ? ""
                        : ", " + row.state() + " by " + row.reviewedBy() + " at " + row.reviewedAt())
                        + "): reload and review it again");
            }
            String before = summaryJson(item.decision(), row.state(), item.spsDescription());
            if ("NOTE".equals(action)) {
                String note = (row.note() == null ? "" : row.note() + "\n") + a.user() + ": " + reason;
                upsert(c, item.id(), new Row(row.state(), row.version(), row.rules(), row.why(), row.reviewedBy(),
                        row.reviewedAt(), row.reason(), note), item.decision(), now);
                AuditTable.insert(c, new AuditEvent(0, now, a.user(), a.address(), "NOTE", item.id(),
                        item.accessionNumber(), null, null, reason, null, null, null));
                return reviewItem(item, find(c, item));
            }
            Decision published;
            ReviewState state;
            if ("CONFIRM".equals(action)) {
                // the rules' decision, saying who confirmed it and when (Medical Alerts, the comments)
                published = ReviewPolicy.confirmed(row.rules(), a.user(), java.time.ZonedDateTime.ofInstant(now,
                        clock.getZone()).format(CONFIRMED_AT), reason == null || reason.isEmpty() ? null : reason);
                state = ReviewState.CONFIRMED;
            } else {
                try {
                    published = ReviewPolicy.override(m, row.rules(), chosenCard, a.contrast(),
                            a.optionalSequences(), item.weightKg(), a.user(), reason);
                } catch (IllegalArgumentException e) {
                    throw new ReviewRefusedException(400, e.getMessage());
                }
                state = ReviewState.OVERRIDDEN;
            }
            ItemTexts.Texts t = texts.texts(published, item.requestedProcedureCode());
            WorklistItem changed = withDecision(item, published, t.spsDescription(), t.contrastAgent(), t.comments(),
                    t.medicalAlerts());
            ItemTable.update(c, changed, target.stepKey(), now);
            // a person acted: the console has their decision now, nothing is set aside any more
            List<String> why = row.why().stream().filter(w -> !w.startsWith(SET_ASIDE + ": ")).toList();
            Row next = new Row(state, row.version() + 1, row.rules(), why, a.user(), now, reason, row.note());
            upsert(c, item.id(), next, changed.decision(), now);
            AuditTable.insert(c, new AuditEvent(0, now, a.user(), a.address(), action, item.id(),
                    item.accessionNumber(), before, summaryJson(published, state, changed.spsDescription()), reason,
                    null, row.rules().contrast(), published.contrast()));
            return reviewItem(changed, next);
        });
    }

    private static StoredItem target(Connection c, String accession, String spsId) throws SQLException {
        if (accession == null || accession.isBlank()) {
            throw new ReviewRefusedException(400, "accession number is missing");
        }
        List<StoredItem> candidates = new ArrayList<>();
        for (StoredItem s : ItemTable.byAccession(c, accession.trim())) {
            if (s.item().status() != SpsStatus.CANCELED && find(c, s.item()) != null
                    && (spsId == null || spsId.isBlank() || spsId.trim().equals(s.item().spsId()))) {
                candidates.add(s);
            }
        }
        if (candidates.isEmpty()) {
            throw new ReviewRefusedException(404, "no exam with an OFSEP decision has accession number " + accession);
        }
        if (candidates.size() > 1) {
            throw new ReviewRefusedException(409, "accession number " + accession + " has " + candidates.size()
                    + " steps: name the one to review with spsId");
        }
        return candidates.get(0);
    }

    // ---------------------------------------------------------------- item_review rows

    /**
     * The rules' decision behind a stored step: the one its review row keeps (the console may hold a published
     * form of it, e.g. without Gd while awaiting a radiologist, or a person's override), else the step's own.
     */
    public static Decision rulesDecision(Connection c, WorklistItem item) throws SQLException {
        Row row = item.id() == 0 ? null : find(c, item);
        return row != null && row.rules() != null ? row.rules() : item.decision();
    }

    /** The review state of a stored step (AUTO when it has no review row: implicit, or no OFSEP decision). */
    public static ReviewState reviewState(Connection c, long itemId) throws SQLException {
        Row row = find(c, itemId);
        return row == null ? ReviewState.AUTO : row.state();
    }

    /**
     * The review row of a stored step, its rules' decision resolved ({@link #SAME_AS_ITEM}); the implicit AUTO row
     * for a step with an OFSEP decision and no row ({@link #implicit}); null for a step without an OFSEP decision.
     */
    static Row find(Connection c, WorklistItem item) throws SQLException {
        Row row = stored(c, item);
        return row == null ? null : withRules(row, item);
    }

    /**
     * The review row of a stored step as stored ({@link #find(Connection, long)}: its rules' decision null when kept
     * as {@link #SAME_AS_ITEM}), or the implicit AUTO row in that same form for a step with an OFSEP decision and no
     * row ({@link #implicit}); null for a step without an OFSEP decision.
     */
    private static Row stored(Connection c, WorklistItem item) throws SQLException {
        Row row = find(c, item.id());
        if (row == null && item.decision() != null && item.decision().ofsep()) {
            return new Row(ReviewState.AUTO, 1, null, List.of(), null, null, null, null);
        }
        return row;
    }

    /** A row read with {@link #find(Connection, long)} with its rules' decision resolved against its item. */
    private static Row withRules(Row row, WorklistItem item) {
        return row.rules() != null ? row : new Row(row.state(), row.version(), item.decision(), row.why(),
                row.reviewedBy(), row.reviewedAt(), row.reason(), row.note());
    }

    /**
     * The review row as stored: its rules' decision is null when the row keeps it as {@link #SAME_AS_ITEM} (use
     * {@link #find(Connection, WorklistItem)} for the decision itself).
     */
    static Row find(Connection c, long itemId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state, version, rules_decision_json, review_why, "
                + "reviewed_by, reviewed_at, review_reason, note FROM item_review WHERE item_id = ?")) {
            ps.setLong(1, itemId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rowAt(rs, 1) : null;
            }
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        return rowAt(rs, 2);
    }

    private static Row rowAt(ResultSet rs, int first) throws SQLException {
        String why = rs.getString(first + 3);
        return new Row(ReviewState.valueOf(rs.getString(first)), rs.getInt(first + 1),
                Json.decision(rs.getString(first + 2)), why == null || why.isEmpty() ? List.of()
                : List.of(why.split("\n")), rs.getString(first + 4),
                rs.getObject(first + 5) == null ? null : SqlTime.getInstant(rs, "reviewed_at"),
                rs.getString(first + 6), rs.getString(first + 7));
    }

    /**
     * What {@code rules_decision_json} holds when the rules' decision is the very decision its worklist item
     * stores (an AUTO decision published as decided): the item's decision, not a second copy.
     * Every order that meets no review condition gets such an AUTO decision, and the copy (about 2.5 KB of JSON
     * with the reasons, facts and every vendor's codes) was the largest value an order wrote: every commit rewrote
     * it in item_review's B-tree pages. An older gateway reading such a row finds no rules' decision in it.
     * A decision the item does not publish as is (held without Gd, confirmed: the item says by whom, overridden,
     * or a person's decision kept while the rules changed) is still written whole.
     */
    static final String SAME_AS_ITEM = "";

    /**
     * {@code rules} when it must be written out in full, {@link #SAME_AS_ITEM} when the item stores exactly this
     * decision. Only for a decision the typed columns give back as it is (a vendor with an empty code list or a
     * dose without an agent would not be), so that what is read back is the decision the rules made.
     */
    static String rulesJson(Decision rules, Decision storedOnItem) {
        if (rules != null && rules.equals(storedOnItem) && readBackExactly(rules)) {
            return SAME_AS_ITEM;
        }
        return Json.write(rules);
    }

    private static boolean readBackExactly(Decision d) {
        if (d.contrastDose() != null && d.contrastDose().agent() == null) {
            return false;
        }
        for (List<org.ofsep.mwl.core.domain.ProtocolCode> codes : d.vendorCodes().values()) {
            if (codes.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** @param storedOnItem the decision the item stores once this transaction commits */
    private static void upsert(Connection c, long itemId, Row r, Decision storedOnItem, Instant now)
            throws SQLException {
        int n;
        try (PreparedStatement ps = c.prepareStatement("UPDATE item_review SET state = ?, version = ?, "
                + "rules_decision_json = ?, review_why = ?, reviewed_by = ?, reviewed_at = ?, review_reason = ?, "
                + "note = ?, updated_at = ? WHERE item_id = ?")) {
            bindRow(ps, r, storedOnItem, now);
            ps.setLong(10, itemId);
            n = ps.executeUpdate();
        }
        if (n == 0) {
            insert(c, itemId, r, storedOnItem, now);
        }
    }

    private static void insert(Connection c, long itemId, Row r, Decision storedOnItem, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO item_review (state, version, "
                + "rules_decision_json, review_why, reviewed_by, reviewed_at, review_reason, note, updated_at, "
                + "item_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bindRow(ps, r, storedOnItem, now);
            ps.setLong(10, itemId);
            ps.executeUpdate();
        }
    }

    private static void bindRow(PreparedStatement ps, Row r, Decision storedOnItem, Instant now)
            throws SQLException {
        ps.setString(1, r.state().name());
        ps.setInt(2, r.version());
        ps.setString(3, rulesJson(r.rules(), storedOnItem));
        ps.setString(4, r.why().isEmpty() ? null : String.join("\n", r.why()));
        ps.setString(5, r.reviewedBy());
        SqlTime.setInstant(ps, 6, r.reviewedAt());
        ps.setString(7, r.reason());
        ps.setString(8, r.note());
        SqlTime.setInstant(ps, 9, now);
    }

    /** "; new alerts: ..." when {@code now} carries alerts {@code before} did not, else "". */
    static String newAlerts(Decision before, Decision now) {
        List<String> added = new ArrayList<>(now.alerts());
        if (before != null) {
            added.removeAll(before.alerts());
        }
        return added.isEmpty() ? "" : "; new alerts: " + String.join("; ", added);
    }

    /** The alerts the new decision no longer raises ("; alerts no longer raised: ..."), or "". */
    static String goneAlerts(Decision before, Decision now) {
        if (before == null) {
            return "";
        }
        List<String> gone = new ArrayList<>(before.alerts());
        gone.removeAll(now.alerts());
        return gone.isEmpty() ? "" : "; alerts no longer raised: " + String.join("; ", gone);
    }

    /** "FULL with Gd + spine". */
    static String summary(Decision d) {
        if (d == null || !d.ofsep()) {
            return "not an MS decision";
        }
        return (d.examCard() == null ? "spine" : d.examCard().name()) + (d.contrast() ? " with Gd" : " without Gd")
                + (d.spine() && d.examCard() != null ? " + spine" : "");
    }

    /** The decision as the audit trail keeps it: state, card, Gd, spine, sequences, step description. */
    static String summaryJson(Decision d, ReviewState state, String spsDescription) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("state", state == null ? null : state.name());
        if (d != null) {
            o.put("examCard", d.examCard() == null ? null : d.examCard().name());
            o.put("contrast", d.contrast());
            o.put("spine", d.spine());
            o.put("rule", d.rule() == null ? null : d.rule().name());
            var seqs = o.putArray("optionalSequences");
            d.optionalSequences().forEach(seqs::add);
            if (!d.defaultCodes().isEmpty()) {
                o.put("code", d.defaultCodes().get(0).value());
            }
        }
        o.put("spsDescription", spsDescription);
        return o.toString();
    }
}
