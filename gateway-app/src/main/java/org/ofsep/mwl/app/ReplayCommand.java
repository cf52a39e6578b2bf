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
            MessageReplayer.Result result = new Hl7Gateway(gateway.hl7Settings(), gateway.orders, gateway.messageLog,
                    gateway.database, gateway.outbound, () -> true, gateway.siteClock()).replayer().replay(id);
            // a person applied an order again: who, when, which message and how it went (README, "Audit trail")
            gateway.audit.record(org.ofsep.mwl.core.review.AuditEvent.of(java.time.Instant.now(),
                    UserCommand.cliActor(), null, "MESSAGE_REPLAYED", "HL7 message #" + id + " replayed: "
                            + result.ackCode() + (result.error() == null ? "" : " - " + result.error())));
            System.out.println("message " + id + " replayed: " + result.ackCode()
                    + (result.error() == null ? "" : " - " + result.error()));
            return "AA".equals(result.ackCode()) ? 0 : 1;
        }
    }
}
