package org.ofsep.mwl.dicom.mwl;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import org.ofsep.mwl.core.domain.PersonNames;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.DateTimes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.VR;

/**
 * C-FIND attribute matching (PS3.4 C.2.2.2) of an identifier against one candidate (a rendered worklist response):
 * single value, wildcard (* and ?), list of UIDs, range (DA, TM, DT, open-ended), the combined date-time range of
 * SPS Start Date and Time (C.2.2.2.5), universal matching, and sequence matching (any candidate item matching all
 * the keys of the identifier's item).
 *
 * <p>Only keys in {@code supportedKeys}, at the level where the gateway's datasets hold them ({@code structure}),
 * are matched: optional keys the gateway does not support, or a key put at the wrong level (e.g. Modality outside
 * the SPS sequence), are not matched, which is not an error. Every supported key is matched, including those the SQL query already filtered on, so an
 * approximate store (e.g. a case-insensitive LIKE) never yields a non-matching response.
 *
 * <p>One matcher per query, used by one thread.
 */
public final class WorklistMatcher {

    private final Attributes identifier;
    private final boolean fuzzyNames;
    private final Set<Integer> supportedKeys;
    private final Attributes structure;

    /**
     * @param identifier    the C-FIND identifier
     * @param fuzzyNames    person names match ignoring case and accents
     * @param supportedKeys the keys matched
     * @param structure     a dataset with every supported key at its level (sequences with one item), or null to
     *                      match supported keys at any level
     */
    public WorklistMatcher(Attributes identifier, boolean fuzzyNames, Set<Integer> supportedKeys,
                           Attributes structure) {
        this.identifier = identifier;
        this.fuzzyNames = fuzzyNames;
        this.supportedKeys = supportedKeys;
        this.structure = structure;
    }

    public WorklistMatcher(Attributes identifier, boolean fuzzyNames, Set<Integer> supportedKeys) {
        this(identifier, fuzzyNames, supportedKeys, null);
    }

    /** True when {@code candidate} matches every supported matching key of the identifier. */
    public boolean matches(Attributes candidate) {
        return matches(identifier, candidate, structure);
    }

    /** One matching key of an identifier level, resolved once (what the key asks does not change per item). */
    private record KeyMatch(int tag, VR vr, String[] values, boolean dateTime, boolean sequence, Attributes keyItem,
                            Attributes itemLevel) {
    }

    /** The matching keys of each identifier level met so far (by identity: the identifier is fixed). */
    private final java.util.Map<Attributes, List<KeyMatch>> compiled = new java.util.IdentityHashMap<>();

    private boolean matches(Attributes keys, Attributes candidate, Attributes level) {
        for (KeyMatch k : compiled.computeIfAbsent(keys, x -> compile(x, level))) {
            boolean ok;
            if (k.sequence()) {
                ok = matchSequence(k.keyItem(), candidate.getSequence(k.tag()), k.itemLevel());
            } else if (k.dateTime()) {
                ok = matchDateTime(keys, candidate);
            } else {
                ok = matchValue(k.tag(), k.vr(), k.values(), candidate.getStrings(k.tag()));
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The keys of one identifier level that are matched, and how; a level is always met at the same place. */
    private List<KeyMatch> compile(Attributes keys, Attributes level) {
        // PS3.4 C.2.2.2.5.1: when both SPS Start Date and Time are given, they form one date-time range
        boolean combinedDateTime = supportedKeys.contains(Tag.ScheduledProcedureStepStartDate)
                && keys.containsValue(Tag.ScheduledProcedureStepStartDate)
                && keys.containsValue(Tag.ScheduledProcedureStepStartTime);
        List<KeyMatch> out = new java.util.ArrayList<>();
        for (int tag : keys.tags()) {
            if (!supportedKeys.contains(tag) || !keys.containsValue(tag) || tag == Tag.SpecificCharacterSet
                    || (level != null && !level.contains(tag))) {
                continue; // universal matching, unsupported optional key (at this level), or not a matching key
            }
            if (combinedDateTime && tag == Tag.ScheduledProcedureStepStartTime) {
                continue; // matched with the date
            }
            VR vr = keys.getVR(tag);
            if (vr == VR.SQ) {
                Attributes itemLevel = level == null ? null : level.getItem(tag, 0);
                if (level != null && itemLevel == null) {
                    continue; // a sequence whose items the gateway never fills: nothing inside is supported
                }
                out.add(new KeyMatch(tag, vr, null, false, true, keys.getItem(tag, 0), itemLevel));
            } else if (combinedDateTime && tag == Tag.ScheduledProcedureStepStartDate) {
                out.add(new KeyMatch(tag, vr, null, true, false, null, null));
            } else {
                String[] values = keys.getStrings(tag);
                if (isUniversal(vr, values)) {
                    continue; // "*" alone: universal matching, empty and absent values included (C.2.2.2.4)
                }
                out.add(new KeyMatch(tag, vr, values, false, false, null, null));
            }
        }
        return List.copyOf(out);
    }

    /**
     * PS3.4 C.2.2.2.4: a value that is a single "*" is universal matching, which matches every item, also one whose
     * value is empty (a pattern such as "A*" still needs a value). "**" is read the same way. For a list of values,
     * one "*" makes the whole key universal, as the SQL side reads it.
     */
    static boolean isUniversal(VR vr, String[] values) {
        if (values == null || values.length == 0 || vr == VR.DA || vr == VR.TM || vr == VR.DT || vr == VR.UI) {
            return false;
        }
        for (String v : values) {
            if (v != null && !v.isEmpty() && v.chars().allMatch(c -> c == '*')) {
                return true;
            }
        }
        return false;
    }

    private boolean matchSequence(Attributes keyItem, List<Attributes> candidateItems, Attributes level) {
        if (keyItem == null || keyItem.isEmpty()) {
            return true; // universal
        }
        if (candidateItems == null) {
            return false;
        }
        for (Attributes item : candidateItems) {
            if (matches(keyItem, item, level)) {
                return true;
            }
        }
        return false;
    }

    private boolean matchValue(int tag, VR vr, String[] keyValues, String[] candidateValues) {
        if (candidateValues == null || candidateValues.length == 0) {
            return false; // a non-universal key never matches an absent or empty value
        }
        if (vr == VR.UI) {
            // list of UID matching: any of the key's UIDs equals any of the candidate's values
            for (String key : keyValues) {
                for (String c : candidateValues) {
                    if (key.equals(c)) {
                        return true;
                    }
                }
            }
            return false;
        }
        // several key values (e.g. two Scheduled Station AE Titles) are treated as a list: any may match, as the
        // SQL side does with its IN (...)
        for (String key : keyValues) {
            for (String c : candidateValues) {
                if (matchOne(vr, key, c)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean matchOne(VR vr, String key, String value) {
        switch (vr) {
            case DA:
                return matchDateRange(key, value);
            case TM:
                return matchTimeRange(key, value);
            case DT:
                return matchDateTimeRange(key, value);
            case PN: {
                String k = normalizeName(key);
                String v = normalizeName(value);
                if (wildcardCached(k, v)) {
                    return true;
                }
                // "DUPONT^JEAN^*" also matches "DUPONT^JEAN", stored without its empty trailing components
                String padded = PersonNames.padded(v, k);
                return !padded.equals(v) && wildcardCached(k, padded);
            }
            case AE, CS, LO, LT, SH, ST, UC, UT:
                return wildcardCached(key, value);
            default:
                return key.equals(value);
        }
    }

    private String normalizeName(String pn) {
        // the stored normal form: trailing empty components are insignificant ("DOE^JOHN^^^" equals "DOE^JOHN")
        String s = PersonNames.normalForm(pn);
        s = s == null ? "" : s;
        return fuzzyNames ? PersonNames.fold(s) : s;
    }

    /** Wildcard patterns of this query as code points: one per key, reused for every candidate item. */
    private final java.util.Map<String, int[]> patterns = new java.util.HashMap<>();

    private boolean wildcardCached(String pattern, String value) {
        if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
            return pattern.equals(value);
        }
        return glob(patterns.computeIfAbsent(pattern, p -> p.codePoints().toArray()), value.codePoints().toArray());
    }

    /** DICOM wildcard matching: '*' any sequence (also empty), '?' one character; case-sensitive. */
    static boolean wildcard(String pattern, String value) {
        if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
            return pattern.equals(value);
        }
        return glob(pattern.codePoints().toArray(), value.codePoints().toArray());
    }

    /**
     * Glob matching in O(pattern x value) steps at worst: after a mismatch it only goes back to the last '*'
     * seen, never further (a regular expression, or SQL LIKE in H2, backtracks over every earlier '*' and takes
     * exponential time on patterns like *A*A*A*A*A*B against long names).
     */
    private static boolean glob(int[] p, int[] v) {
        int pi = 0;
        int vi = 0;
        int star = -1;
        int mark = 0;
        while (vi < v.length) {
            if (pi < p.length && p[pi] == '*') {
                star = pi++;
                mark = vi;
            } else if (pi < p.length && (p[pi] == '?' || p[pi] == v[vi])) {
                pi++;
                vi++;
            } else if (star >= 0) {
                pi = star + 1;
                vi = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length && p[pi] == '*') {
            pi++;
        }
        return pi == p.length;
    }

    // ---------------------------------------------------------------- ranges

    /** Parsed dates of this query (candidates of one day share theirs); bounded, as a query may see many. */
    private final java.util.Map<String, java.util.Optional<LocalDate>> dates = new java.util.HashMap<>();
    private static final int MAX_REMEMBERED_DATES = 4096;

    private LocalDate date(String da) {
        java.util.Optional<LocalDate> d = dates.get(da);
        if (d == null) {
            d = java.util.Optional.ofNullable(DateTimes.parseDate(da));
            if (dates.size() < MAX_REMEMBERED_DATES) {
                dates.put(da, d);
            }
        }
        return d.orElse(null);
    }

    private boolean matchDateRange(String key, String value) {
        LocalDate v = date(value);
        if (v == null) {
            return false;
        }
        int dash = key.indexOf('-');
        if (dash < 0) {
            return v.equals(date(key));
        }
        LocalDate from = dash == 0 ? null : date(key.substring(0, dash));
        LocalDate to = dash == key.length() - 1 ? null : date(key.substring(dash + 1));
        return (from == null || !v.isBefore(from)) && (to == null || !v.isAfter(to));
    }

    private static boolean matchTimeRange(String key, String value) {
        LocalTime v = DateTimes.parseTime(value);
        if (v == null) {
            return false;
        }
        int dash = key.indexOf('-');
        String lo = dash < 0 ? key : key.substring(0, dash);
        String hi = dash < 0 ? key : key.substring(dash + 1);
        LocalTime from = lo.isEmpty() ? null : DateTimes.parseTime(lo, false);
        LocalTime to = hi.isEmpty() ? null : DateTimes.parseTime(hi, true);
        return (from == null || !v.isBefore(from)) && (to == null || !v.isAfter(to));
    }

    private static boolean matchDateTimeRange(String key, String value) {
        LocalDateTime v = DateTimes.parseDateTime(value);
        if (v == null) {
            return false;
        }
        int dash = key.indexOf('-', 1);
        if (key.startsWith("-")) {
            dash = 0;
        }
        String lo = dash < 0 ? key : key.substring(0, dash);
        String hi = dash < 0 ? key : key.substring(dash + 1);
        LocalDateTime from = lo.isEmpty() ? null : DateTimes.parseDateTime(lo);
        LocalDateTime to = hi.isEmpty() ? null : DateTimes.parseDateTime(hi);
        return (from == null || !v.isBefore(from)) && (to == null || !v.isAfter(to));
    }

    /** SPS Start Date and Time matched as one date-time range (PS3.4 C.2.2.2.5.1). */
    private static boolean matchDateTime(Attributes keys, Attributes candidate) {
        LocalDate date = DateTimes.parseDate(candidate.getString(Tag.ScheduledProcedureStepStartDate));
        LocalTime time = DateTimes.parseTime(candidate.getString(Tag.ScheduledProcedureStepStartTime));
        if (date == null) {
            return false;
        }
        LocalDateTime v = LocalDateTime.of(date, time == null ? LocalTime.MIDNIGHT : time);
        LocalDateTime[] range = WorklistQueryTranslator.combinedRange(
                keys.getString(Tag.ScheduledProcedureStepStartDate),
                keys.getString(Tag.ScheduledProcedureStepStartTime));
        if (range == null) {
            return false;
        }
        return (range[0] == null || !v.isBefore(range[0])) && (range[1] == null || !v.isAfter(range[1]));
    }
}
