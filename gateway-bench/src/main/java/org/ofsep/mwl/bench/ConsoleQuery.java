package org.ofsep.mwl.bench;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The typical console query, written once as findscu {@code -k} expressions so that the in-process SCU (through
 * {@link org.ofsep.mwl.dicom.scu.QueryKeys}) and every {@code findscu -W} run send the same identifier: the
 * console's own station, today, MR, and the patient, order and step attributes a console displays as return keys.
 */
public final class ConsoleQuery {
    private ConsoleQuery() {
    }

    public static List<String> keys(String stationAeTitle, LocalDate day) {
        String sps = "ScheduledProcedureStepSequence[0].";
        List<String> k = new ArrayList<>(List.of("PatientName", "PatientID", "IssuerOfPatientID", "PatientBirthDate",
                "PatientSex", "PatientWeight", "MedicalAlerts", "AccessionNumber", "ReferringPhysicianName",
                "StudyInstanceUID", "RequestedProcedureID", "RequestedProcedureDescription",
                "RequestedProcedureCodeSequence[0].CodeValue",
                sps + "ScheduledStationAETitle=" + stationAeTitle,
                sps + "ScheduledProcedureStepStartDate=" + day.format(DateTimeFormatter.BASIC_ISO_DATE),
                sps + "ScheduledProcedureStepStartTime",
                sps + "Modality=MR",
                sps + "ScheduledProcedureStepID",
                sps + "ScheduledProcedureStepDescription",
                sps + "ScheduledProtocolCodeSequence[0].CodeValue",
                sps + "ScheduledProtocolCodeSequence[0].CodingSchemeDesignator",
                sps + "ScheduledProtocolCodeSequence[0].CodeMeaning"));
        return k;
    }

    /**
     * A selective query with a result of constant size whatever the store holds: one order by its Accession
     * Number (any date, own station), with the same return keys. It shows what the indexes give when the console
     * query's answer grows with the number of items per station and day.
     */
    public static List<String> byAccession(String stationAeTitle, String accessionNumber) {
        List<String> k = new ArrayList<>();
        for (String key : keys(stationAeTitle, LocalDate.now())) {
            if (key.startsWith("AccessionNumber")) {
                k.add("AccessionNumber=" + accessionNumber);
            } else if (key.contains("ScheduledProcedureStepStartDate=")) {
                k.add(key.substring(0, key.indexOf('=')));
            } else {
                k.add(key);
            }
        }
        return k;
    }

    /** The same keys as findscu arguments ({@code -k expr} pairs). */
    public static List<String> findscuArgs(String stationAeTitle, LocalDate day) {
        List<String> args = new ArrayList<>();
        for (String k : keys(stationAeTitle, day)) {
            args.add("-k");
            args.add(k);
        }
        return args;
    }
}
