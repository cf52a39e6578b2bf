package org.ofsep.mwl.app;

import java.time.LocalDate;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The gadolinium report over the exams the gateway has seen completed (MPPS). */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Reports. 'report gd': exams by card, Gd injections given and avoided, patients with most Gd.")
final class ReportCommand extends GatewayCli.Base {

    @Parameters(paramLabel = "KIND", description = "Report to print: gd")
    String kind;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "First day (default: one year before --to).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last day (default: today).")
    LocalDate to;

    @Option(names = "--top", defaultValue = "10", description = "Patients listed (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--reveal", description = "Show patient IDs unmasked.")
    boolean reveal;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!"gd".equals(kind)) {
            System.err.println("unknown report '" + kind + "' (available: gd)");
            return 2;
        }
        GatewayConfig config = GatewayConfig.load(dirs.config());
        LocalDate end = to == null ? LocalDate.now(config.siteZone()) : to; // the site's day (gateway.yaml timeZone)
        LocalDate start = from == null ? end.minusYears(1).plusDays(1) : from;
        GdReport report;
        try (Gateway gateway = Gateway.open(config, dirs.config(), dirs.data())) {
            report = GdReport.of(start, end, gateway.worklist.exams(start, end), top, reveal)
                    .withOverrides(gateway.reviewEvents(start, end));
        }
        if (json) {
            System.out.println(Json.write(report.toJson()));
            return 0;
        }
        System.out.println("Gadolinium report " + start + " .. " + end);
        System.out.println("  OFSEP exams                 " + report.exams());
        for (Map.Entry<?, Integer> card : report.byCard().entrySet()) {
            System.out.printf("    %-25s %d%n", card.getKey(), card.getValue());
        }
        System.out.println("  Gd injections given         " + report.injectionsGiven() + " ("
                + report.totalGdMmol() + " mmol)");
        System.out.println("  Former practice (annual Gd) " + report.formerPracticeInjections());
        System.out.println("  Gd injections avoided       " + report.injectionsAvoided());
        System.out.println("  Gd given after override     " + report.gdGivenAfterOverride());
        System.out.println("  Gd avoided after override   " + report.gdAvoidedAfterOverride());
        if (!report.topPatients().isEmpty()) {
            System.out.println("  Patients with the most injections:");
            for (GdReport.PatientGd p : report.topPatients()) {
                System.out.printf("    %-20s %3d injection(s) %8.1f mmol%n", p.patient(), p.injections(), p.mmol());
            }
        }
        return 0;
    }
}
