package org.ofsep.mwl.dicom.mwl;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.PersonNames;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.store.WorklistQuery;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.DateTimes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.VR;

/**
 * Turns a Modality Worklist C-FIND identifier (PS3.4 Annex K) into the indexed {@link WorklistQuery} the store runs
 * in SQL, plus the {@link WorklistMatcher} applied to each rendered response for everything else (keys the SQL
 * does not index, time-only ranges, sequence keys, the SPS status asked for).
 *
 * <p>Indexed keys: Scheduled Station AE Title, Modality, SPS Start Date and Time (combined into one date-time
 * range, open-ended ranges included), SPS ID (inside the Scheduled Procedure Step Sequence); Patient ID, Issuer of
 * Patient ID, Patient's Name (wildcards; case- and accent-insensitive when the station asks for fuzzy names),
 * Accession Number, Requested Procedure ID, Study Instance UID (list of UIDs).
 */
public final class WorklistQueryTranslator {

    /** The SQL part and the residual part of one C-FIND. */
    public record Translation(WorklistQuery query, WorklistMatcher residual) {
    }

    /** Default most '*' in one key: enough for "*DUPONT*", bounded so LIKE cannot backtrack for ever. */
    public static final int DEFAULT_MAX_WILDCARDS = 3;

    private final Set<SpsStatus> statuses;
    private final int limit;
    private final int maxWildcards;

    /**
     * @param includeStarted also return steps already STARTED (by MPPS), not only SCHEDULED ones
     * @param limit          maximum number of items per query, 0 for none
     */
    public WorklistQueryTranslator(boolean includeStarted, int limit) {
        this(includeStarted, limit, DEFAULT_MAX_WILDCARDS);
    }

    /**
     * @param maxWildcards most '*' allowed in one key value: a pattern like {@code *A*A*A*A*A*A*A*B} makes
     *                     wildcard matching (SQL LIKE, and the residual matcher) backtrack exponentially in the
     *                     length of the value, so more are refused
     */
    public WorklistQueryTranslator(boolean includeStarted, int limit, int maxWildcards) {
        this.statuses = includeStarted ? EnumSet.of(SpsStatus.SCHEDULED, SpsStatus.STARTED)
                : EnumSet.of(SpsStatus.SCHEDULED);
        this.limit = limit;
        this.maxWildcards = maxWildcards;
    }

    /**
     * Refuses a key value with more than {@code maxWildcards} '*', in the identifier and its sequence items, and a
     * key sequence with more than one item.
     */
    private void checkWildcards(Attributes keys) throws InvalidIdentifierException {
        for (int tag : keys.tags()) {
            org.ofsep.mwl.dicom.data.VR vr = keys.getVR(tag);
            if (vr == org.ofsep.mwl.dicom.data.VR.SQ) {
                List<Attributes> items = keys.getSequence(tag);
                if (items != null && items.size() > 1) {
                    // PS3.4 C.2.2.2.6: a key sequence has a single item; the other items' keys were ignored
                    throw new InvalidIdentifierException(tag, "Key sequence with " + items.size() + " items (one)");
                }
                if (items != null) {
                    for (Attributes item : items) {
                        checkWildcards(item);
                    }
                }
            } else if (vr != null && vr.isString()) {
                String[] values = keys.getStrings(tag);
                if (values == null) {
                    continue;
                }
                for (String v : values) {
                    long stars = v == null ? 0 : v.chars().filter(c -> c == '*').count();
                    if (stars > maxWildcards && !v.chars().allMatch(c -> c == '*')) {
                        String name = org.ofsep.mwl.dicom.data.ElementDictionary.keywordOf(tag);
                        throw new InvalidIdentifierException(tag, "Too many '*' in " + (name == null ? "a key" : name)
                                + " (at most " + maxWildcards + ")");
                    }
                }
            }
        }
    }

    public Translation translate(Attributes identifier, Station station) throws InvalidIdentifierException {
        checkWildcards(identifier);
        Attributes sps = identifier.getItem(Tag.ScheduledProcedureStepSequence, 0);
        if (sps == null) {
            sps = new Attributes();
        }
        List<String> stations = values(sps, Tag.ScheduledStationAETitle);
        String modality = value(sps, Tag.Modality);
        singleValued(sps, Tag.ScheduledProcedureStepStartDate, "SPS Start Date");
        singleValued(sps, Tag.ScheduledProcedureStepStartTime, "SPS Start Time");
        String dateKey = sps.getString(Tag.ScheduledProcedureStepStartDate);
        String timeKey = sps.getString(Tag.ScheduledProcedureStepStartTime);
        validateDateKey(dateKey);
        validateTimeKey(timeKey);
        validateOtherDatesAndTimes(identifier, WorklistResponseBuilder.STRUCTURE);
        LocalDateTime[] range = dateKey == null ? new LocalDateTime[2] : combinedRange(dateKey, timeKey);
        List<String> uids = values(identifier, Tag.StudyInstanceUID);
        boolean fuzzy = station != null && station.fuzzyNames();
        WorklistQuery query = new WorklistQuery(stations, modality, range[0], range[1],
                value(identifier, Tag.PatientID), value(identifier, Tag.IssuerOfPatientID),
                personName(several(identifier, Tag.PatientName) ? null : identifier.getString(Tag.PatientName)), fuzzy,
                value(identifier, Tag.AccessionNumber), value(identifier, Tag.RequestedProcedureID),
                value(sps, Tag.ScheduledProcedureStepID), uids, statuses, limit);
        return new Translation(query,
                new WorklistMatcher(identifier, fuzzy, WorklistResponseBuilder.MATCHING_KEYS,
                        WorklistResponseBuilder.STRUCTURE));
    }

    /**
     * A single-valued key for the store's selection, null for universal matching (absent, empty or "*") and for
     * several values ("P002\P001"): the matcher then keeps the items any of them matches (it used the first value
     * alone, silently; found by an independent review).
     */
    private static String value(Attributes keys, int tag) {
        if (several(keys, tag)) {
            return null;
        }
        String v = keys.getString(tag);
        return v == null || v.isBlank() || v.chars().allMatch(c -> c == '*') ? null : v;
    }

    private static boolean several(Attributes keys, int tag) {
        String[] all = keys.getStrings(tag);
        return all != null && all.length > 1;
    }

    /**
     * A list key (Scheduled Station AE Titles, Study Instance UIDs) for the store's {@code IN (...)}; empty for
     * universal matching, and when a value is a pattern ("MR_G*\MR_CANON": the matcher then decides, an IN would
     * take the pattern literally).
     */
    private static List<String> values(Attributes keys, int tag) {
        String[] v = keys.getStrings(tag);
        if (v == null || v.length == 0 || Arrays.stream(v).anyMatch(s -> s.isEmpty() || s.chars().allMatch(c -> c == '*'))) {
            return List.of();
        }
        if (keys.getVR(tag) != VR.UI && Arrays.stream(v).anyMatch(s -> s.indexOf('*') >= 0 || s.indexOf('?') >= 0)) {
            return List.of();
        }
        return List.of(v);
    }

    /** A date or time key is one date, time or range: several values have no defined meaning here (A900). */
    private static void singleValued(Attributes keys, int tag, String name) throws InvalidIdentifierException {
        if (several(keys, tag)) {
            // an Error Comment is at most 64 characters
            throw new InvalidIdentifierException(tag, name + " has several values (one or a range)");
        }
    }

    /**
     * The key in the person-name normal form the worklist stores ({@link PersonNames#normalForm}): "DOE^JOHN^^^"
     * queries "DOE^JOHN"; null (universal) when absent, empty or only "*".
     */
    private static String personName(String pn) {
        if (pn == null || pn.chars().allMatch(c -> c == '*')) {
            return null;
        }
        String key = PersonNames.normalForm(pn);
        // "DUPONT^JEAN^*" matches "DUPONT^JEAN" too: the store selects with "DUPONT^JEAN*", which holds both, and
        // the matcher keeps what the key matches ("DUPONT^JEANNE" is selected, then left out)
        String shorter = PersonNames.withoutTrailingAnyComponents(key);
        if (shorter == null) {
            return key;
        }
        String selected = shorter.endsWith("*") ? shorter : shorter + "*";
        return selected.chars().allMatch(c -> c == '*') ? null : selected;
    }

    private static void validateDateKey(String key) throws InvalidIdentifierException {
        validateRange(key, Tag.ScheduledProcedureStepStartDate, true,
                bad -> bad == null ? "Bad date range '" + key + "'" : "Bad date '" + bad + "'");
    }

    /**
     * Checks a DA or TM matching key, one value or a range ({@link #splitRange}); a malformed one is refused with
     * the text {@code refusal} gives for the bad part (null when the range itself is malformed).
     */
    private static void validateRange(String key, int tag, boolean date,
                                      java.util.function.Function<String, String> refusal)
            throws InvalidIdentifierException {
        if (key == null) {
            return;
        }
        String[] parts = splitRange(key);
        if (parts == null || parts[0].isEmpty() && parts[1].isEmpty()) {
            throw new InvalidIdentifierException(tag, refusal.apply(null));
        }
        for (String p : parts) {
            if (!p.isEmpty() && (date ? DateTimes.parseDate(p) : DateTimes.parseTime(p)) == null) {
                throw new InvalidIdentifierException(tag, refusal.apply(p));
            }
        }
    }

    /**
     * The other DA and TM matching keys (Patient's Birth Date) are checked as the SPS ones are: a malformed value
     * is an invalid identifier (0xA900), not a key that silently matches nothing. The message names the key, not
     * its value (a birth date identifies a patient, and the refusal is logged).
     */
    private static void validateOtherDatesAndTimes(Attributes keys, Attributes level) throws InvalidIdentifierException {
        for (int tag : keys.tags()) {
            if (level == null || !level.contains(tag) || !WorklistResponseBuilder.MATCHING_KEYS.contains(tag)
                    || tag == Tag.ScheduledProcedureStepStartDate || tag == Tag.ScheduledProcedureStepStartTime) {
                continue;
            }
            org.ofsep.mwl.dicom.data.VR vr = keys.getVR(tag);
            if (vr == org.ofsep.mwl.dicom.data.VR.SQ) {
                List<Attributes> items = keys.getSequence(tag);
                if (items != null) {
                    for (Attributes item : items) {
                        validateOtherDatesAndTimes(item, level.getItem(tag, 0));
                    }
                }
            } else if ((vr == org.ofsep.mwl.dicom.data.VR.DA || vr == org.ofsep.mwl.dicom.data.VR.TM)
                    && keys.containsValue(tag)) {
                boolean date = vr == org.ofsep.mwl.dicom.data.VR.DA;
                String name = org.ofsep.mwl.dicom.data.ElementDictionary.keywordOf(tag);
                String refusal = "Bad " + (date ? "date" : "time") + " or range in " + (name == null ? "a key" : name);
                for (String value : keys.getStrings(tag)) {
                    // every value of a list ("19760715\\XYZ" was checked on its first value alone)
                    if (value != null && !value.isEmpty()) {
                        validateRange(value, tag, date, bad -> refusal);
                    }
                }
            }
        }
    }

    private static void validateTimeKey(String key) throws InvalidIdentifierException {
        validateRange(key, Tag.ScheduledProcedureStepStartTime, false,
                bad -> bad == null ? "Bad time range '" + key + "'" : "Bad time '" + bad + "'");
    }

    /** "a-b", "a-", "-b" or "a" (as "a-a") into two parts; null when there is more than one dash. */
    private static String[] splitRange(String key) {
        int dash = key.indexOf('-');
        if (dash < 0) {
            return new String[] {key.strip(), key.strip()};
        }
        if (key.indexOf('-', dash + 1) >= 0) {
            return null;
        }
        return new String[] {key.substring(0, dash).strip(), key.substring(dash + 1).strip()};
    }

    /**
     * The date-time range of SPS Start Date and Time keys, combined as PS3.4 C.2.2.2.5.1 says: the lower date with
     * the lower time, the upper date with the upper time; a missing time is the whole day, a partial time ("09")
     * covers its whole hour. {null, null} elements are open ends. Null when a key is malformed.
     */
    static LocalDateTime[] combinedRange(String dateKey, String timeKey) {
        String[] d = splitRange(dateKey);
        if (d == null) {
            return null;
        }
        LocalTime tLo = LocalTime.MIN;
        LocalTime tHi = LocalTime.of(23, 59, 59, 999_999_000);
        if (timeKey != null && !timeKey.isBlank()) {
            String[] t = splitRange(timeKey);
            if (t == null) {
                return null;
            }
            if (!t[0].isEmpty()) {
                tLo = DateTimes.parseTime(t[0], false);
            }
            if (!t[1].isEmpty()) {
                tHi = DateTimes.parseTime(t[1], true);
            }
            if (tLo == null || tHi == null) {
                return null;
            }
        }
        LocalDate dLo = d[0].isEmpty() ? null : DateTimes.parseDate(d[0]);
        LocalDate dHi = d[1].isEmpty() ? null : DateTimes.parseDate(d[1]);
        if ((!d[0].isEmpty() && dLo == null) || (!d[1].isEmpty() && dHi == null)) {
            return null;
        }
        return new LocalDateTime[] {dLo == null ? null : LocalDateTime.of(dLo, tLo),
                dHi == null ? null : LocalDateTime.of(dHi, tHi)};
    }
}
