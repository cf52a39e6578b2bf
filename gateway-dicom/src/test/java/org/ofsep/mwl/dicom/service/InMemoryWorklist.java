package org.ofsep.mwl.dicom.service;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.RuleId;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.store.WorklistQuery;
import org.ofsep.mwl.core.store.WorklistStore;

/**
 * A worklist in memory for DICOM tests, applying the indexed part of {@link WorklistQuery} as the JDBC store
 * does (the SCP's residual matcher does the rest). Records the queries it got.
 */
public final class InMemoryWorklist implements WorklistStore {

    public final List<WorklistItem> items = new CopyOnWriteArrayList<>();
    public final List<WorklistQuery> queries = new CopyOnWriteArrayList<>();
    /** Items handed to the sink by the last query. */
    public volatile int lastHandedOut;

    public InMemoryWorklist add(WorklistItem item) {
        items.add(item.withId(items.size() + 1));
        return this;
    }

    @Override
    public int query(WorklistQuery q, Predicate<WorklistItem> sink) {
        queries.add(q);
        Set<SpsStatus> statuses = q.statuses().isEmpty() ? Set.of(SpsStatus.SCHEDULED) : q.statuses();
        List<WorklistItem> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparing(WorklistItem::scheduledStart));
        int n = 0;
        for (WorklistItem i : sorted) {
            if (!statuses.contains(i.status())) {
                continue;
            }
            if (!q.stationAeTitles().isEmpty() && q.stationAeTitles().stream().noneMatch(s -> like(s, i.stationAeTitle(), false))) {
                continue;
            }
            if (q.modality() != null && !like(q.modality(), i.modality(), false)) {
                continue;
            }
            if (q.startFrom() != null && i.scheduledStart().isBefore(q.startFrom())) {
                continue;
            }
            if (q.startTo() != null && i.scheduledStart().isAfter(q.startTo())) {
                continue;
            }
            if (q.patientId() != null && !like(q.patientId(), i.patient().id(), false)) {
                continue;
            }
            if (q.patientName() != null && !(q.fuzzyNames()
                    ? like(fold(q.patientName()), fold(i.patient().name()), true)
                    : like(q.patientName(), i.patient().name(), false))) {
                continue;
            }
            if (q.accessionNumber() != null && !like(q.accessionNumber(), i.accessionNumber(), false)) {
                continue;
            }
            if (q.spsId() != null && !like(q.spsId(), i.spsId(), false)) {
                continue;
            }
            if (!q.studyInstanceUids().isEmpty() && !q.studyInstanceUids().contains(i.studyInstanceUid())) {
                continue;
            }
            if (q.limit() > 0 && n >= q.limit()) {
                break;
            }
            n++;
            lastHandedOut = n;
            if (!sink.test(i)) {
                break;
            }
        }
        return n;
    }

    /** DICOM wildcards as a regular expression. */
    static boolean like(String pattern, String value, boolean ignoreCase) {
        if (value == null) {
            return false;
        }
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0).matcher(value).matches();
    }

    /** Accents removed, as the store's accent-insensitive matching does. */
    static String fold(String s) {
        return s == null ? null : java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    }

    @Override
    public Optional<WorklistItem> findBySpsId(String spsId) {
        return items.stream().filter(i -> i.spsId().equals(spsId)).findFirst();
    }

    @Override
    public List<WorklistItem> findByAccession(String accessionNumber) {
        return items.stream().filter(i -> accessionNumber.equals(i.accessionNumber())).toList();
    }

    @Override
    public List<PriorExam> history(String patientId) {
        return List.of();
    }

    @Override
    public Map<SpsStatus, Long> countByStatus() {
        return Map.of();
    }

    // ---- test items ----------------------------------------------------------------------------------------

    /** An OFSEP ROUTINE item; vendor codes for Siemens and GE. */
    public static WorklistItem item(String spsId, String patientId, String name, String station, LocalDateTime start,
                                    String charset) {
        Decision d = new Decision(true, ExamCard.ROUTINE, false, false, false, false, RuleId.ROUTINE_FOLLOW_UP,
                List.of("Suivi annuel sans gadolinium"), List.of(), null, 12, List.of(),
                List.of(new ProtocolCode("OFSEP_ROUTINE", "99OFSEP", "OFSEP routine follow-up")),
                Map.of(Vendor.SIEMENS, List.of(new ProtocolCode("SIE_MS_ROUTINE", "99SIEMENS", "MS routine")),
                        Vendor.GE, List.of(new ProtocolCode("GE_MS_ROUTINE", "99GE", "MS routine"))));
        return new WorklistItem(0, spsId, "RP" + spsId, "ACC" + spsId, "1.2.826.0.1.3680043.99." + spsId.hashCode() % 100000 + "." + spsId.length(),
                "PL" + spsId, "FI" + spsId, new Patient(patientId, "HOSP", name, java.time.LocalDate.of(1980, 5, 17), "F"),
                64.5, new ProtocolCode("IRMCER", "99RIS", "IRM cerebrale"), "IRM cerebrale SEP", start, "MR", station,
                "IRM", "OFSEP ROUTINE - sans gadolinium", "Suivi SEP", "MARTIN^PAUL", SpsStatus.SCHEDULED, d, null,
                null, "Suivi annuel", charset, null);
    }

    /** The item with this Requested Procedure Priority. */
    public static WorklistItem withPriority(WorklistItem i, org.ofsep.mwl.core.domain.RequestedPriority priority) {
        return new WorklistItem(i.id(), i.spsId(), i.requestedProcedureId(), i.accessionNumber(), i.studyInstanceUid(),
                i.placerOrderNumber(), i.fillerOrderNumber(), i.patient(), i.weightKg(), i.requestedProcedureCode(),
                i.requestedProcedureDescription(), i.scheduledStart(), i.modality(), i.stationAeTitle(), i.stationName(),
                i.spsDescription(), i.reason(), i.referringPhysician(), i.status(), i.decision(), i.medicalAlerts(),
                i.requestedContrastAgent(), i.procedureComments(), i.specificCharacterSet(), priority);
    }

    public static WorklistItem withCodes(WorklistItem i, int count) {
        List<ProtocolCode> codes = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            codes.add(new ProtocolCode("CODE" + k, "99OFSEP", "Protocol code number " + k + " with a long meaning text"));
        }
        Decision d = new Decision(true, ExamCard.FULL, true, false, false, false, RuleId.DIAGNOSIS, List.of(), List.of(), null, null,
                List.of(), codes, Map.of());
        return new WorklistItem(i.id(), i.spsId(), i.requestedProcedureId(), i.accessionNumber(), i.studyInstanceUid(),
                i.placerOrderNumber(), i.fillerOrderNumber(), i.patient(), i.weightKg(), i.requestedProcedureCode(),
                i.requestedProcedureDescription(), i.scheduledStart(), i.modality(), i.stationAeTitle(), i.stationName(),
                i.spsDescription(), i.reason(), i.referringPhysician(), i.status(), d, i.medicalAlerts(),
                i.requestedContrastAgent(), i.procedureComments(), i.specificCharacterSet(), i.priority());
    }
}
