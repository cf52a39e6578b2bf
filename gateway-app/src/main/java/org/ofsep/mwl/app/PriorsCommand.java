package org.ofsep.mwl.app;

import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.priors.PriorAnswer;
import org.ofsep.mwl.core.priors.PriorClassifier;
import org.ofsep.mwl.core.decision.PriorFacts;
import org.ofsep.mwl.core.priors.PriorFindings;
import org.ofsep.mwl.core.priors.PriorQuery;
import org.ofsep.mwl.core.priors.PriorSeries;
import org.ofsep.mwl.core.priors.PriorSource;
import org.ofsep.mwl.core.priors.PriorSourceException;
import org.ofsep.mwl.core.priors.PriorStudy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Asks the configured PACS (gateway.yaml priors) for a patient's previous MRIs, as the gateway does after an
 * order's ACK, and prints what it returned and which study counts. Needs no database: runs beside a gateway.
 */
@Command(name = "priors", mixinStandardHelpOptions = true,
        description = "Ask the PACS (gateway.yaml priors) for a patient's previous MRIs: what it returned and which study counts.")
final class PriorsCommand extends GatewayCli.Base {

    @Parameters(paramLabel = "PATIENT_ID", description = "Patient ID (PID-3.1) as the PACS knows it.")
    String patientId;

    @Option(names = "--issuer", description = "Issuer of Patient ID (PID-3.4); studies of another issuer are dropped.")
    String issuer;

    @Option(names = "--date", description = "Exam date the priors are for (YYYY-MM-DD; default today).")
    LocalDate date;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        GatewayConfig config = GatewayConfig.load(dirs.config());
        PriorSource source = PriorSources.fromConfig(config, dirs.config());
        if (source == null) {
            System.err.println("priors.source is none in " + dirs.config().resolve("gateway.yaml")
                    + ": set it to dimse or dicomweb to ask a PACS");
            return 1;
        }
        MappingSnapshot m = MappingLoader.load(config.mappingFile(dirs.config()));
        java.time.ZoneId site = config.siteZone(); // the site's day, as the gateway's own lookups
        LocalDate day = date == null ? LocalDate.now(site) : date;
        String orderIssuer = issuer == null || issuer.isBlank() ? config.priors.defaultIssuer : issuer;
        PriorQuery q = new PriorQuery(patientId.trim(), orderIssuer, day.minusYears(config.priors.lookbackYears), day);
        String checkedAt = ZonedDateTime.now(site).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z"));
        PriorFindings f;
        PriorAnswer answer;
        try {
            // as a lookup does: without an issuer, the studies of several issuers are not merged
            answer = source.answer(q).unambiguous(q);
            f = PriorClassifier.classify(m.priorRules(), answer.studies(), day, null);
        } catch (PriorSourceException e) {
            String why = PriorFacts.unavailableReason(checkedAt, source.describe(), e.getMessage());
            System.err.println(why);
            if (json) { // a script reading stdout gets an answer it can parse, beside the exit code
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("source", source.describe());
                out.put("error", e.getMessage());
                out.put("reason", why);
                System.out.println(Json.write(out));
            }
            return 2;
        }
        // a study kept but undated or dated after the exam is not a prior either
        java.util.Set<PriorStudy> classified = new java.util.HashSet<>();
        f.studies().forEach(c -> classified.add(c.study()));
        List<PriorStudy> notDated = answer.studies().stream().filter(st -> !classified.contains(st)).toList();
        // the reason a lookup gives the decision, word for word
        String reason = PriorFacts.reason(f, config.priors.lookbackYears, checkedAt, source.describe(),
                answer.count(PriorAnswer.Reason.SEVERAL_ISSUERS));
        String issuerSaid = orderIssuer == null || orderIssuer.isBlank() ? "none"
                : orderIssuer.trim() + (issuer == null || issuer.isBlank() ? " (priors.defaultIssuer)" : " (--issuer)");
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("source", source.describe());
            out.put("from", q.from().toString());
            out.put("to", q.to().toString());
            out.put("issuer", orderIssuer == null || orderIssuer.isBlank() ? null : orderIssuer.trim());
            out.put("returned", answer.returned());
            out.put("used", f.studies().size());
            List<Object> aside = new ArrayList<>();
            for (PriorAnswer.SetAside a : answer.setAside()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("reason", a.reason().name());
                x.put("why", a.reason().why());
                if (a.reason() != PriorAnswer.Reason.OTHER_PATIENT_ID) { // another patient's study: not shown
                    x.put("studyInstanceUid", a.study().studyInstanceUid());
                    x.put("date", String.valueOf(a.study().effectiveDate()));
                    x.put("description", a.study().description());
                    x.put("issuer", a.study().issuerOfPatientId());
                    x.put("modalities", a.study().modalities());
                }
                aside.add(x);
            }
            for (PriorStudy st : notDated) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("reason", "NOT_BEFORE_EXAM");
                x.put("why", notDatedWhy(day));
                x.put("studyInstanceUid", st.studyInstanceUid());
                x.put("date", String.valueOf(st.effectiveDate()));
                x.put("description", st.description());
                aside.add(x);
            }
            out.put("setAside", aside);
            List<Object> studies = new ArrayList<>();
            for (PriorFindings.Classified c : f.studies()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("studyInstanceUid", c.study().studyInstanceUid());
                s.put("date", String.valueOf(c.date()));
                s.put("description", c.study().description());
                s.put("brain", c.brain());
                s.put("brainWhy", c.brainWhy());
                s.put("spine", c.spine());
                s.put("spineWhy", c.spineWhy());
                s.put("flair3dSeries", c.flair3d() == null ? null : c.flair3d().label());
                s.put("flair3dWhy", c.flairWhy());
                List<Object> series = new ArrayList<>();
                for (PriorSeries se : c.study().series()) {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("seriesInstanceUid", se.seriesInstanceUid());
                    x.put("description", se.description());
                    x.put("protocolName", se.protocolName());
                    x.put("mrAcquisitionType", se.mrAcquisitionType());
                    x.put("bodyPart", se.bodyPart());
                    x.put("manufacturer", se.manufacturer());
                    series.add(x);
                }
                s.put("series", series);
                studies.add(s);
            }
            out.put("studies", studies);
            out.put("lastComparableBrainMri", uid(f.lastComparable()));
            out.put("lastBrainMri", uid(f.lastBrain()));
            out.put("lastSpineMri", uid(f.lastSpine()));
            out.put("deciding", uid(f.deciding()));
            out.put("reason", reason);
            System.out.println(Json.write(out));
            return 0;
        }
        int setAside = answer.setAside().size() + notDated.size();
        System.out.println("PACS " + source.describe() + ": " + studies(answer.returned()) + " returned from "
                + q.from() + " to " + q.to() + ", " + f.studies().size() + " MR stud"
                + (f.studies().size() == 1 ? "y" : "ies") + " used"
                + (setAside == 0 ? "" : ", " + setAside + " set aside (order's issuer: " + issuerSaid + ")"));
        for (PriorAnswer.Reason r : PriorAnswer.Reason.values()) {
            List<PriorAnswer.SetAside> these = answer.setAside().stream().filter(a -> a.reason() == r).toList();
            if (these.isEmpty()) {
                continue;
            }
            List<String> issuers = answer.issuers(r);
            System.out.println("Set aside: " + studies(these.size()) + ": " + r.why()
                    + (issuers.isEmpty() ? "" : "; their issuer" + (issuers.size() == 1 ? "" : "s") + ": "
                    + String.join(", ", issuers)));
            if (r == PriorAnswer.Reason.OTHER_PATIENT_ID) {
                continue; // another patient's studies: counted, not shown
            }
            for (PriorAnswer.SetAside a : these) {
                System.out.println("  " + a.study().effectiveDate() + " " + (a.study().description() == null
                        ? "no description" : "'" + a.study().description().trim() + "'") + " (Study Instance UID "
                        + a.study().studyInstanceUid() + (a.study().issuerOfPatientId() == null ? ""
                        : ", issuer " + a.study().issuerOfPatientId()) + (a.study().modalities().isEmpty() ? ""
                        : ", " + String.join("\\", a.study().modalities())) + ")");
            }
        }
        if (!notDated.isEmpty()) {
            System.out.println("Set aside: " + studies(notDated.size()) + ": " + notDatedWhy(day));
            notDated.forEach(st -> System.out.println("  " + st.effectiveDate() + " (Study Instance UID "
                    + st.studyInstanceUid() + ")"));
        }
        for (PriorFindings.Classified c : f.studies()) {
            String kind = c.brain() && c.spine() ? "brain+spine" : c.brain() ? "brain" : c.spine() ? "spine" : "other";
            System.out.println();
            System.out.println(c.describe() + "  [" + kind + "]");
            if (c.brainWhy() != null) {
                System.out.println("  brain: " + c.brainWhy());
            }
            if (c.spineWhy() != null) {
                System.out.println("  spine: " + c.spineWhy());
            }
            for (PriorSeries se : c.study().series()) {
                System.out.println("  series " + se.label() + (se.protocolName() == null ? "" : " | protocol " + se.protocolName())
                        + (se.mrAcquisitionType() == null ? "" : " | " + se.mrAcquisitionType())
                        + (se.bodyPart() == null ? "" : " | " + se.bodyPart())
                        + (se == c.flair3d() ? "  <- 3D FLAIR" : ""));
            }
            if (c.flairWhy() != null) {
                System.out.println("  3D FLAIR: " + c.flairWhy());
            }
        }
        System.out.println();
        System.out.println("Reason given to the decision: " + reason);
        return 0;
    }

    private static String studies(int n) {
        return n + " stud" + (n == 1 ? "y" : "ies");
    }

    private static String notDatedWhy(LocalDate day) {
        return "no study date, or dated after " + day + " (not a prior of an exam that day)";
    }

    private static String uid(PriorFindings.Classified c) {
        return c == null ? null : c.study().studyInstanceUid();
    }
}
