package org.ofsep.mwl.app;

import java.util.List;
import org.ofsep.mwl.core.store.LoggedMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists the HL7 message log (failed messages by default are what an integration engineer looks for). */
@Command(name = "messages", mixinStandardHelpOptions = true,
        description = "List received HL7 messages with their ACK; --failed for AE/AR only; --show ID for one in full.")
final class MessagesCommand extends GatewayCli.Base {

    @Option(names = "--failed", description = "Only messages answered AE or AR.")
    boolean failed;

    @Option(names = "--limit", defaultValue = "50", description = "How many, newest first (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--show", paramLabel = "ID", description = "Print one message and its ACK in full (contains patient data).")
    Long show;

    @Override
    public Integer call() throws Exception {
        if (limit < 1) {
            System.err.println("error: --limit: " + limit + " is not a number of messages (1 or more)");
            return 2;
        }
        GatewayConfig config = GatewayConfig.load(dirs.config());
        try (Gateway gateway = Gateway.open(config, dirs.config(), dirs.data())) {
            if (show != null) {
                LoggedMessage m = gateway.messageLog.get(show).orElse(null);
                if (m == null) {
                    System.err.println("no message " + show);
                    return 1;
                }
                System.out.println(printable(m.raw()));
                System.out.println("--- ACK " + m.ackCode() + (m.error() == null ? "" : ": " + printable(m.error())));
                System.out.println(m.ack() == null ? "" : printable(m.ack()));
                return 0;
            }
            List<LoggedMessage> messages = failed ? gateway.messageLog.failed(limit) : gateway.messageLog.recent(limit);
            System.out.printf("%-6s %-24s %-20s %-10s %-4s %s%n", "ID", "RECEIVED", "CONTROL ID", "TYPE", "ACK", "ERROR");
            for (LoggedMessage m : messages) {
                // a frame too broken to read MSH has no control ID nor type: "-", not "null"
                System.out.printf("%-6d %-24s %-20s %-10s %-4s %s%n", m.id(), m.receivedAt(),
                        m.controlId() == null ? "-" : printable(m.controlId()),
                        m.messageType() == null ? "-" : printable(m.messageType()), m.ackCode(),
                        m.error() == null ? "" : printable(m.error()));
            }
            return 0;
        }
    }

    /**
     * A message as a terminal may print it: segments (CR) on their own lines, every other control or format
     * character (ESC, BEL, backspace, C1 controls, bidirectional overrides...) shown as {@code <0x1B>}, so a message
     * can never drive the terminal (move the cursor, rewrite the screen, change the title).
     */
    static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\r' || cp == '\n') {
                out.append('\n');
            } else if (cp == '\t') {
                out.append('\t');
            } else if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                    || cp == 0x2028 || cp == 0x2029) {
                out.append(String.format("<0x%02X>", cp));
            } else {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }
}
