package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.store.LoggedMessage;
import org.ofsep.mwl.core.store.Transactions;
import org.ofsep.mwl.hl7.support.FakeMessageLog;
import org.ofsep.mwl.hl7.support.FakeOrderService;
import org.ofsep.mwl.hl7.support.Hl7Files;

/**
 * The durable PACS lookup names the order's message in the log instead of copying the order (issue 13, V14): the
 * order is applied knowing its log row's id, and the logged text (stored decoded) parses back, through
 * {@link InboundMessageHandler#loggedOrder}, into exactly the order applied at intake: accents in 8859/1 and UTF-8,
 * {@code \Xhh\} escapes read in the message's declared charset, times with an offset converted to the site's zone.
 */
class LoggedOrderTest {

    /** A zone no test machine runs in: a re-parse in the system's zone would move the offset times. */
    private static final ZoneId SITE = ZoneId.of("Pacific/Kiritimati");

    private final FakeOrderService orders = new FakeOrderService();
    private final FakeMessageLog log = new FakeMessageLog();
    /** The order and its log row in one transaction, as the gateway's database gives them (here: run as is). */
    private final Transactions shared = new Transactions() {
        @Override
        public <T> T inOneTransaction(Supplier<T> work) {
            return work.get();
        }
    };
    private final InboundMessageHandler handler = new InboundMessageHandler(orders, log, shared,
            new AckFactory(Clock.systemUTC(), "MWLGW", null), null, SITE);

    @ParameterizedTest
    @ValueSource(strings = {"orm-o01-v231-latin1.hl7", "orm-o01-v24-escapes.hl7", "orm-o01-v25-utf8.hl7",
            "omi-o23-v251-ihe.hl7", "orm-xo-sc-v231.hl7"})
    void theLoggedMessageParsesBackIntoTheOrderAppliedAtIntake(String file) {
        accepted(Hl7Files.bytes(file));
    }

    @Test
    void utf8EscapesAndOffsetTimesReadBackAsAtIntake() {
        String text = Hl7Files.text("orm-o01-v25-utf8.hl7", StandardCharsets.UTF_8)
                .replace("|202611271400|202611271430|", "|202611271400+0100|202611271430+0100|")
                .replace("Bilan initial, névrite optique", "N\\XC3A9\\vrite optique \\XE282AC\\ (r\\XC3A9\\cidive)");
        OrderMessage applied = accepted(text.getBytes(StandardCharsets.UTF_8));
        // what the intake read: the escapes in UTF-8 and the time in the site's zone (10:00 UTC is 23:00 there)
        assertThat(applied.procedures().get(0).scheduledStart().getHour()).isEqualTo(3);
    }

    @Test
    void aLoggedMessageThatIsNotAnOrderIsRefused() {
        String adt = Hl7Files.text("adt-a08-v231.hl7", StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> handler.loggedOrder(adt)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an order").hasMessageNotContaining("PID");
        assertThatThrownBy(() -> handler.loggedOrder("garbage")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void storesWithoutSharedTransactionsGetNoMessageId() {
        InboundMessageHandler separate = new InboundMessageHandler(orders, log, Transactions.SEPARATE,
                new AckFactory(Clock.systemUTC(), "MWLGW", null), null, SITE);
        ReceivedMessage m = separate.receive(InboundFrame.decode(Hl7Files.bytes("orm-o01-v25-utf8.hl7")));
        assertThat(separate.applyAndAccept(m, separate.parse(m)).code()).isEqualTo("AA");
        assertThat(orders.applied).hasSize(1);
        assertThat(orders.messageIds).as("each call commits on its own: the order before its log row").isEmpty();
    }

    /** Accepts the frame as the route does; checks the id the order came with and the log row's re-parse. */
    private OrderMessage accepted(byte[] bytes) {
        ReceivedMessage m = handler.receive(InboundFrame.decode(bytes));
        Ack ack = handler.applyAndAccept(m, handler.parse(m));
        assertThat(ack.code()).isEqualTo("AA");
        assertThat(orders.applied).hasSize(1);
        assertThat(orders.messageIds).hasSize(1);
        OrderMessage applied = orders.applied.get(0);
        LoggedMessage logged = log.get(orders.messageIds.get(0)).orElseThrow();
        assertThat(logged.ackCode()).as("the row the order named is its message's, with the AA").isEqualTo("AA");
        assertThat(logged.controlId()).isEqualTo(m.header().controlId());
        assertThat(handler.loggedOrder(logged.raw())).isEqualTo(applied);
        return applied;
    }
}
