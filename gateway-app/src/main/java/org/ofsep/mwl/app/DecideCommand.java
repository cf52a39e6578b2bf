package org.ofsep.mwl.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.ofsep.mwl.core.decision.DecisionJson;
import org.ofsep.mwl.core.decision.ReviewPolicy;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.planning.OrderPlanner;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.JdbcWorklistStore;
import org.ofsep.mwl.hl7.Hl7MessageException;
import org.ofsep.mwl.hl7.Hl7Request;
import org.ofsep.mwl.hl7.InboundFrame;
import org.ofsep.mwl.hl7.MessageParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints the OFSEP decision for an HL7 order file as JSON, without a server: what the gateway would put on the
 * worklist, and why. The patient's history comes from the data directory's store when there is one.
 */
@Command(name = "decide", mixinStandardHelpOptions = true,
        description = "Print the protocol decision for an order (ORM^O01 / OMI^O23 file) as JSON.")
final class DecideCommand extends GatewayCli.Base {

    @Parameters(paramLabel = "FILE.hl7", description = "The HL7 message (segments separated by CR or LF).")
    Path file;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD",
            description = "Reference date when the order has no scheduled date (default: today).")
    LocalDate date;

    @Option(names = "--no-history", description = "Ignore the store's exam history even when there is one.")
    boolean noHistory;

    @Override
    public Integer call() throws Exception {
        GatewayConfig config = GatewayConfig.load(dirs.config());
        MappingSnapshot mapping = MappingLoader.load(config.mappingFile(dirs.config()));
        byte[] bytes = Files.readAllBytes(file);
        // test files are usually written with LF line ends; HL7 separates segments with CR
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                bytes[i] = '\r';
            }
        }
        InboundFrame frame = InboundFrame.decode(bytes);
        if (frame.charsetError() != null) {
            System.err.println(file + ": " + frame.charsetError());
            return 1;
        }
        OrderMessage order;
        try {
            Hl7Request request = new MessageParser(config.siteZone(), java.util.Set.copyOf(config.hl7.processingIds)).parse(frame.text().replaceAll("\r+", "\r"), frame.charset());
            if (!(request instanceof Hl7Request.Order o)) {
                System.err.println(file + ": not an order (ORM^O01, OMI^O23)");
                return 1;
            }
            order = o.order();
        } catch (Hl7MessageException e) {
            System.err.println(file + ": " + e.getMessage());
            return 1;
        }
        List<PriorExam> history = noHistory ? List.of() : history(config, order.patient().id());
        // the planner serve uses, against a store that holds this patient's history and none of the order's
        // steps; without a scheduled date in the order the reference date is --date (or today)
        // in the site's time zone, as serve's planner (gateway.yaml timeZone)
        ZoneId site = config.siteZone();
        Clock clock = date == null ? Clock.system(site) : Clock.fixed(date.atStartOfDay(site).toInstant(), site);
        OrderPlanner planner = Gateway.orderPlanner(() -> mapping, config.uidRoot, clock);
        ArrayNode decisions = JsonNodeFactory.instance.arrayNode();
        try {
            OrderPlanner.Plan plan = planner.plan(planner.acceptAsNew(order), new HistoryOnly(history));
            for (OrderPlanner.Change change : plan.changes()) {
                WorklistItem item = change.item();
                Decision decision = item.decision();
                ObjectNode json = DecisionJson.toTree(decision);
                // the rules' decision as decided, and whether a radiologist must confirm it (issue #14)
                ReviewPolicy.Assessment review = ReviewPolicy.assess(mapping, decision);
                ObjectNode r = json.putObject("review");
                r.put("state", review.state().name());
                ArrayNode why = r.putArray("why");
                review.why().forEach(why::add);
                if (ReviewPolicy.held(review.state(), decision)) {
                    r.put("console", "the card without Gd until a radiologist confirms: " + ReviewPolicy
                            .awaitingDescription(mapping, ReviewPolicy.published(mapping, decision, review.state())));
                }
                json.put("station", item.stationAeTitle());
                json.put("accessionNumber", item.accessionNumber());
                // Requested Procedure Priority (0040,1003) as the console will receive it: null when none
                json.put("priority", item.priority() == null ? null : item.priority().name());
                decisions.add(json);
            }
        } catch (OrderRejectedException e) {
            System.err.println(file + ": order refused" + (e.field() == null ? "" : " (" + e.field() + ")") + ": "
                    + e.getMessage());
            return 1;
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        System.out.println(json.writeValueAsString(decisions.size() == 1 ? decisions.get(0) : decisions));
        return 0;
    }

    /** What decide plans against: the patient's history, no stored step, IDs that are never stored. */
    private record HistoryOnly(List<PriorExam> history) implements OrderPlanner.StoreView {
        @Override
        public List<OrderPlanner.Step> stepsOfOrder(String placerOrderNumber) {
            return List.of();
        }

        @Override
        public List<PriorExam> history(String patientId) {
            return history;
        }

        @Override
        public long nextGeneratedId() {
            return 0;
        }
    }

    /** The patient's completed exams from the store, when the data directory (or PostgreSQL) has one. */
    private List<PriorExam> history(GatewayConfig config, String patientId) {
        DatabaseSettings settings = Gateway.commandDatabaseSettings(config, dirs.data(), 2);
        // no store yet: nothing to read, and opening one would create it
        if (settings.embeddedH2() && !Files.exists(dirs.data().resolve("gateway.mv.db"))) {
            return List.of();
        }
        try (Database db = Database.open(settings)) {
            return new JdbcWorklistStore(db).history(patientId);
        } catch (RuntimeException e) {
            System.err.println("note: exam history not available (" + e.getMessage() + "); deciding without it.");
            return List.of();
        }
    }
}
