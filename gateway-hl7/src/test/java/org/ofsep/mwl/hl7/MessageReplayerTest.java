package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.store.LoggedMessage;
import org.ofsep.mwl.hl7.support.FakeMessageLog;
import org.ofsep.mwl.hl7.support.FakeOrderService;
import org.ofsep.mwl.hl7.support.Hl7Files;

/** Replaying logged messages, as `gateway replay ID` does, through the same steps as the MLLP route. */
class MessageReplayerTest {

    private final FakeOrderService orders = new FakeOrderService();
    private final FakeMessageLog log = new FakeMessageLog();
    private final InboundMessageHandler handler = new InboundMessageHandler(orders, log, new AckFactory(
            Clock.systemUTC(), "MWLGW", null));
    private final MessageReplayer replayer = new MessageReplayer(log, handler);

    /** Runs a frame through the handler like the route does and returns its log id. */
    private long receive(byte[] bytes) {
        InboundFrame frame = InboundFrame.decode(bytes);
        ReceivedMessage m = handler.receive(frame);
        try {
            handler.applyAndAccept(m, handler.parse(m));
        } catch (RuntimeException e) {
            handler.failed(m, frame, e);
        }
        List<LoggedMessage> all = log.all();
        return all.get(all.size() - 1).id();
    }

    @Test
    void aMessageRefusedForAMissingMappingIsAppliedOnReplay() {
        orders.onApply(o -> {
            throw new OrderRejectedException("no station rule matches and no default station", "OBR-21");
        });
        long id = receive(Hl7Files.bytes("orm-o01-v231-latin1.hl7"));
        assertThat(log.failed(10)).extracting(LoggedMessage::id).containsExactly(id);

        orders.onApply(o -> { });
        MessageReplayer.Result result = replayer.replay(id);
        assertThat(result.ackCode()).isEqualTo("AA");
        assertThat(result.applied()).isTrue();
        assertThat(orders.applied).hasSize(1);
        // the accent survived the round trip through the log
        assertThat(orders.applied.get(0).patient().name()).isEqualTo("DUPRÉ^HÉLÈNE^MARIE^MME");
        assertThat(log.get(id).orElseThrow().ackCode()).isEqualTo("AA");
        assertThat(log.failed(10)).isEmpty();

        // replaying again applies nothing twice
        MessageReplayer.Result again = replayer.replay(id);
        assertThat(again.applied()).isFalse();
        assertThat(orders.applied).hasSize(1);
    }

    @Test
    void aMessageStillWrongStaysFailed() {
        long id = receive(Hl7Files.bytes("orm-missing-pid3.hl7"));
        MessageReplayer.Result result = replayer.replay(id);
        assertThat(result.ackCode()).isEqualTo("AE");
        assertThat(result.error()).contains("PID-3");
        assertThat(result.applied()).isFalse();
        assertThat(log.failed(10)).hasSize(1);
    }

    @Test
    void aMessageResentAndAcceptedMeanwhileIsNotAppliedAgain() {
        orders.onApply(o -> {
            throw new OrderRejectedException("database locked", null);
        });
        long failed = receive(Hl7Files.bytes("orm-o01-v25-utf8.hl7"));
        orders.onApply(o -> { });
        receive(Hl7Files.bytes("orm-o01-v25-utf8.hl7"));
        assertThat(orders.applied).hasSize(1);
        MessageReplayer.Result result = replayer.replay(failed);
        assertThat(result.applied()).isFalse();
        assertThat(result.ackCode()).isEqualTo("AA");
        assertThat(orders.applied).hasSize(1);
    }

    @Test
    void aMessageRefusedForItsBytesIsNotGuessed() {
        byte[] latin = Hl7Files.bytes("orm-o01-v231-latin1.hl7");
        byte[] declaredUtf8 = new String(latin, StandardCharsets.ISO_8859_1).replace("|8859/1", "|UNICODE UTF-8")
                .getBytes(StandardCharsets.ISO_8859_1);
        long id = receive(declaredUtf8);
        MessageReplayer.Result result = replayer.replay(id);
        assertThat(result.applied()).isFalse();
        assertThat(result.error()).contains("resend");
        assertThat(orders.applied).isEmpty();

        byte[] unknownCharset = new String(latin, StandardCharsets.ISO_8859_1).replace("|8859/1", "|ISO IR87")
                .getBytes(StandardCharsets.ISO_8859_1);
        long other = receive(unknownCharset);
        assertThat(replayer.replay(other).applied()).isFalse();
        assertThat(orders.applied).isEmpty();
    }

    @Test
    void anUnknownIdIsAClearError() {
        assertThatThrownBy(() -> replayer.replay(999)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("#999");
    }
}
