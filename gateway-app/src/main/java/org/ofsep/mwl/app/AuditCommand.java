package org.ofsep.mwl.app;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.ofsep.mwl.core.review.AuditEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the audit trail: who did what, when, from where, before and after, why. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Print the audit trail (reviews, logins, failed logins, user changes, mapping reloads and upgrades, replays).")
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
                    .append(String.format("%-16s %-15s", oneLine(e.action()), oneLine(e.actor())));
            if (e.address() != null) {
                line.append(" from ").append(oneLine(e.address()));
            }
            if (e.accessionNumber() != null) {
                line.append(" accession ").append(oneLine(e.accessionNumber()));
            }
            System.out.println(line);
            if (e.before() != null || e.after() != null) {
                System.out.println("    before: " + oneLine(e.before()));
                System.out.println("    after:  " + oneLine(e.after()));
            }
            if (e.reason() != null) {
                System.out.println("    reason: " + oneLine(e.reason()));
            }
            if (e.detail() != null) {
                System.out.println("    " + oneLine(e.detail()));
            }
        }
        return 0;
    }

    /**
     * A value of the trail as one line a terminal may print: every control or format character (line breaks,
     * ESC, BEL, bidirectional overrides...) shown as {@code <0x1B>}. The trail holds text from outside: the user
     * name a failed login typed (anyone who reaches the admin port), a reviewer's reason, an ACK's error. Such text
     * must neither drive the admin's terminal nor print a line that looks like another event.
     */
    static String oneLine(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT || cp == 0x2028
                    || cp == 0x2029) {
                out.append(String.format("<0x%02X>", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
