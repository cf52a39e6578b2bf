package org.ofsep.mwl.app;

import org.ofsep.mwl.hl7.Hl7Gateway;
import org.ofsep.mwl.hl7.MessageReplayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Runs a logged message through the order pipeline again (after the mapping or the RIS data was fixed). With the
 * embedded database, stop the gateway first: the running gateway holds the database file.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Process a logged HL7 message again by its ID (see 'messages --failed').")
final class ReplayCommand extends GatewayCli.Base {

    @Parameters(paramLabel = "ID", description = "Message ID from 'gateway messages'.")
    long id;

    @Override
    public Integer call() throws Exception {
        GatewayConfig config = GatewayConfig.load(dirs.config());
        try (Gateway gateway = Gateway.open(config, dirs.config(), dirs.data())) {
            MessageReplayer.Result result = new Hl7Gateway(gateway.hl7Settings(), gateway.ordersWithLookups(), gateway.messageLog,
                    gateway.database, gateway.outbound, () -> true, gateway.siteClock()).replayer().replay(id);
            // what happened, in the words the admin reads and the audit keeps: a message already accepted is never
            // applied again (it said "replayed: AA" while nothing changed, and an admin believed the steps re-decided)
            String detail = !result.applied() && "AA".equals(result.ackCode())
                    ? "not applied again: it was already accepted (AA); its steps are as that message left them "
                            + "(a change, XO, from the RIS decides them again)"
                    : "replayed: " + result.ackCode() + (result.error() == null ? "" : " - " + result.error())
                            // the first answer: the log's row now holds the replay's
                            + (result.was() == null ? "" : " (first answered " + result.was() + ")");
            // a person applied an order again, or tried to: who, when, which message and how it went
            gateway.audit.record(org.ofsep.mwl.core.review.AuditEvent.of(java.time.Instant.now(),
                    UserCommand.cliActor(), null, "MESSAGE_REPLAYED", "HL7 message #" + id + " " + detail));
            System.out.println("message " + id + " " + detail);
            return "AA".equals(result.ackCode()) ? 0 : 1;
        }
    }
}
