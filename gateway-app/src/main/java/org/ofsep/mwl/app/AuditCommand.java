package org.ofsep.mwl.app;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.ofsep.mwl.core.review.AuditEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the audit trail: who did what, when, from where, before and after, why. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Print the audit trail (reviews, logins, failed logins, user changes, mapping reloads, replays).")
final class AuditCommand extends GatewayCli.Base {

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "First day (default: 30 days before --to).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last day, inclusive (default: today).")
    LocalDate to;

    @Option(names = "--user", paramLabel = "NAME", description = "Only this user's events.")
    String user;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        GatewayConfig config = GatewayConfig.load(dirs.config());
        ZoneId zone = config.siteZone(); // the site's days (gateway.yaml timeZone)
        LocalDate end = to == null ? LocalDate.now(zone) : to;
        LocalDate start = from == null ? end.minusDays(30) : from;
        if (start.isAfter(end)) {
            System.err.println("--from " + start + " is after --to " + end);
            return 2;
        }
        List<AuditEvent> events;
        try (Gateway gateway = Gateway.open(config, dirs.config(), dirs.data())) {
            events = gateway.audit.list(start.atStartOfDay(zone).toInstant(),
                    end.plusDays(1).atStartOfDay(zone).toInstant(), user, null, Integer.MAX_VALUE);
        }
        if (json) {
            System.out.println(Json.write(events.stream().map(ReviewApi::event).toList()));
            return 0;
        }
        System.out.println("Audit trail " + start + " .. " + end + (user == null ? "" : " for " + user) + ": "
                + events.size() + " event(s)");
        for (AuditEvent e : events) {
            StringBuilder line = new StringBuilder();
            line.append(e.at().atZone(zone).toLocalDateTime().withNano(0)).append("  ")
                    .append(String.format("%-16s %-15s", e.action(), e.actor()));
            if (e.address() != null) {
                line.append(" from ").append(e.address());
            }
            if (e.accessionNumber() != null) {
                line.append(" accession ").append(e.accessionNumber());
            }
            System.out.println(line);
            if (e.before() != null || e.after() != null) {
                System.out.println("    before: " + e.before());
                System.out.println("    after:  " + e.after());
            }
            if (e.reason() != null) {
                System.out.println("    reason: " + e.reason());
            }
            if (e.detail() != null) {
                System.out.println("    " + e.detail());
            }
        }
        return 0;
    }
}
