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
        GatewayConfig config = GatewayConfig.load(dirs.config());
        try (Gateway gateway = Gateway.open(config, dirs.config(), dirs.data())) {
            if (show != null) {
                LoggedMessage m = gateway.messageLog.get(show).orElse(null);
                if (m == null) {
                    System.err.println("no message " + show);
                    return 1;
                }
                System.out.println(m.raw().replace('\r', '\n'));
                System.out.println("--- ACK " + m.ackCode() + (m.error() == null ? "" : ": " + m.error()));
                System.out.println(m.ack() == null ? "" : m.ack().replace('\r', '\n'));
                return 0;
            }
            List<LoggedMessage> messages = failed ? gateway.messageLog.failed(limit) : gateway.messageLog.recent(limit);
            System.out.printf("%-6s %-24s %-20s %-10s %-4s %s%n", "ID", "RECEIVED", "CONTROL ID", "TYPE", "ACK", "ERROR");
            for (LoggedMessage m : messages) {
                System.out.printf("%-6d %-24s %-20s %-10s %-4s %s%n", m.id(), m.receivedAt(), m.controlId(),
                        m.messageType(), m.ackCode(), m.error() == null ? "" : m.error());
            }
            return 0;
        }
    }
}
