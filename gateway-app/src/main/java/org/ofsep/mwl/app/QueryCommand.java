package org.ofsep.mwl.app;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.VR;
import org.ofsep.mwl.dicom.scu.DicomClient;
import org.ofsep.mwl.dicom.scu.FindScu;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Shows what a station sees: a Modality Worklist C-FIND to a running gateway with that station's calling AE
 * title, the query a console sends (its own station, a day, a modality).
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Query a running gateway's worklist as a station would (DICOM C-FIND).")
final class QueryCommand extends GatewayCli.Base {

    @Option(names = "--as", required = true, paramLabel = "AE_TITLE", description = "Calling AE title (the station).")
    String callingAe;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Gateway host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", description = "Gateway DICOM port (default: dicom.port of gateway.yaml).")
    Integer port;

    @Option(names = "--called", description = "Called AE title (default: dicom.aeTitle of gateway.yaml).")
    String calledAe;

    @Option(names = "--date", paramLabel = "YYYYMMDD[-YYYYMMDD]",
            description = "SPS start date or range (default: today; '*' for any).")
    String date;

    @Option(names = "--station", description = "Scheduled Station AE Title to match (default: the --as title; '*' for any).")
    String station;

    @Option(names = "--modality", defaultValue = "MR", description = "Modality (default: ${DEFAULT-VALUE}; '*' for any).")
    String modality;

    @Option(names = "--name", description = "Patient's Name, * and ? wildcards.")
    String name;

    @Option(names = "--patient-id", description = "Patient ID.")
    String patientId;

    @Option(names = "--accession", description = "Accession Number.")
    String accession;

    @Option(names = "--json", description = "Print the matches as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (date != null && !date.trim().matches("\\*|\\d{8}|\\d{8}-|-\\d{8}|\\d{8}-\\d{8}")) {
            // sent as it is, the console's query would only come back refused (A900)
            System.err.println("--date: '" + date + "' is not YYYYMMDD, a range YYYYMMDD-YYYYMMDD (either end may be"
                    + " left out) or '*'");
            return 2;
        }
        GatewayConfig config = GatewayConfig.load(dirs.config());
        Attributes keys = keys(LocalDate.now(config.siteZone())); // a console asks for its site's day
        FindScu.Result result = FindScu.worklist(host, port == null ? config.dicom.port : port, callingAe,
                calledAe == null ? config.dicom.aeTitle : calledAe, keys, DicomClient.Options.defaults());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Attributes match : result.matches()) {
            rows.add(row(match));
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", String.format("%04X", result.status()));
            out.put("matches", rows);
            System.out.println(Json.write(out));
        } else {
            String format = "%-5s %-18s %-10s %-10s %-11s %-40s %-30s %s%n";
            System.out.printf(format, "TIME", "PATIENT", "ID", "ACCESSION", "STATION", "STEP", "CONTRAST",
                    "PROTOCOL CODES");
            for (Map<String, Object> r : rows) {
                System.out.printf(format, r.get("time"), r.get("patientName"), r.get("patientId"),
                        r.get("accessionNumber"), r.get("station"), r.get("stepDescription"), r.get("contrastAgent"),
                        r.get("protocolCodes"));
            }
            System.out.printf("%d item(s), final status %04X%n", rows.size(), result.status());
        }
        return result.status() == 0 ? 0 : 1;
    }

    private Attributes keys(LocalDate today) {
        Attributes keys = new Attributes();
        keys.setString(Tag.PatientName, VR.PN, name);
        keys.setString(Tag.PatientID, VR.LO, patientId);
        keys.setEmpty(Tag.PatientBirthDate, VR.DA);
        keys.setEmpty(Tag.PatientSex, VR.CS);
        keys.setEmpty(Tag.MedicalAlerts, VR.LO);
        keys.setString(Tag.AccessionNumber, VR.SH, accession);
        keys.setEmpty(Tag.RequestedProcedureID, VR.SH);
        keys.setEmpty(Tag.RequestedProcedureDescription, VR.LO);
        keys.setEmpty(Tag.StudyInstanceUID, VR.UI);
        Attributes sps = keys.addItem(Tag.ScheduledProcedureStepSequence);
        String stationKey = station == null ? callingAe : station;
        sps.setString(Tag.ScheduledStationAETitle, VR.AE, "*".equals(stationKey) ? null : stationKey);
        sps.setString(Tag.Modality, VR.CS, "*".equals(modality) ? null : modality);
        String dateKey = date == null ? today.format(DateTimeFormatter.BASIC_ISO_DATE) : date.trim();
        sps.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "*".equals(dateKey) ? null : dateKey);
        sps.setEmpty(Tag.ScheduledProcedureStepStartTime, VR.TM);
        sps.setEmpty(Tag.ScheduledProcedureStepDescription, VR.LO);
        sps.setEmpty(Tag.ScheduledProcedureStepID, VR.SH);
        sps.setEmpty(Tag.RequestedContrastAgent, VR.LO);
        Attributes code = sps.addItem(Tag.ScheduledProtocolCodeSequence);
        code.setEmpty(Tag.CodeValue, VR.SH);
        code.setEmpty(Tag.CodingSchemeDesignator, VR.SH);
        code.setEmpty(Tag.CodeMeaning, VR.LO);
        return keys;
    }

    private static Map<String, Object> row(Attributes match) {
        Map<String, Object> r = new LinkedHashMap<>();
        Attributes sps = match.getItem(Tag.ScheduledProcedureStepSequence, 0);
        String time = sps == null ? null : sps.getString(Tag.ScheduledProcedureStepStartTime);
        r.put("time", time == null || time.length() < 4 ? "" : time.substring(0, 2) + ":" + time.substring(2, 4));
        r.put("patientName", nz(match.getString(Tag.PatientName)));
        r.put("patientId", nz(match.getString(Tag.PatientID)));
        r.put("accessionNumber", nz(match.getString(Tag.AccessionNumber)));
        r.put("station", sps == null ? "" : nz(sps.getString(Tag.ScheduledStationAETitle)));
        r.put("date", sps == null ? "" : nz(sps.getString(Tag.ScheduledProcedureStepStartDate)));
        r.put("stepDescription", sps == null ? "" : nz(sps.getString(Tag.ScheduledProcedureStepDescription)));
        r.put("contrastAgent", sps == null ? "" : nz(sps.getString(Tag.RequestedContrastAgent)));
        List<String> codes = new ArrayList<>();
        List<Attributes> seq = sps == null ? null : sps.getSequence(Tag.ScheduledProtocolCodeSequence);
        if (seq != null) {
            for (Attributes c : seq) {
                codes.add(c.getString(Tag.CodeValue) + "^" + c.getString(Tag.CodingSchemeDesignator));
            }
        }
        r.put("protocolCodes", String.join(", ", codes));
        r.put("medicalAlerts", match.getStrings(Tag.MedicalAlerts) == null ? List.of()
                : List.of(match.getStrings(Tag.MedicalAlerts)));
        return r;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
