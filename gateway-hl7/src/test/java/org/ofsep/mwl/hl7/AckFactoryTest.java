package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** ACKs are checked by parsing them back with HAPI's version-specific structures. */
class AckFactoryTest {

    private final AckFactory acks = new AckFactory(Clock.fixed(Instant.parse("2026-11-25T08:30:00Z"),
            ZoneOffset.UTC), "MWLGW", "CHU");
    private final HapiContext hapi = new DefaultHapiContext();

    private static MshHeader header(String version, String type, String charset) {
        return MshHeader.read("MSH|^~\\&|RIS|CHU-RENNES|MWLGW|CHU|20261125||" + type + "|CTRL-42|P|" + version
                + "||||||" + (charset == null ? "" : charset));
    }

    private Terser parse(Ack ack) throws Exception {
        Message message = hapi.getPipeParser().parse(ack.text());
        return new Terser(message);
    }

    @Test
    void acceptInV231() throws Exception {
        Ack ack = acks.accept(header("2.3.1", "ORM^O01", null), StandardCharsets.US_ASCII);
        assertThat(ack.code()).isEqualTo("AA");
        Terser t = parse(ack);
        assertThat(t.getSegment("MSH").getMessage().getClass().getName()).contains("v231");
        assertThat(t.get("/MSH-3")).isEqualTo("MWLGW");
        assertThat(t.get("/MSH-4")).isEqualTo("CHU");
        assertThat(t.get("/MSH-5")).isEqualTo("RIS");
        assertThat(t.get("/MSH-6")).isEqualTo("CHU-RENNES");
        assertThat(t.get("/MSH-7")).isEqualTo("20261125083000");
        assertThat(t.get("/MSH-9-1")).isEqualTo("ACK");
        assertThat(t.get("/MSH-9-2")).isEqualTo("O01");
        assertThat(t.get("/MSH-12")).isEqualTo("2.3.1");
        assertThat(t.get("/MSA-1")).isEqualTo("AA");
        assertThat(t.get("/MSA-2")).isEqualTo("CTRL-42");
        assertThat(ack.text()).doesNotContain("ERR");
    }

    @Test
    void errorInV231UsesErr1() throws Exception {
        Ack ack = acks.error(header("2.3.1", "ORM^O01", "8859/1"), StandardCharsets.ISO_8859_1, "AE", 101, "PID-3",
                "required field PID-3 (patient identifier) is missing");
        Terser t = parse(ack);
        assertThat(t.get("/MSA-1")).isEqualTo("AE");
        assertThat(t.get("/MSA-3")).contains("PID-3");
        assertThat(t.get("/ERR-1-1")).isEqualTo("PID");
        assertThat(t.get("/ERR-1-2")).isEqualTo("1");
        assertThat(t.get("/ERR-1-3")).isEqualTo("3");
        assertThat(t.get("/ERR-1-4-1")).isEqualTo("101");
        assertThat(t.get("/ERR-1-4-2")).contains("PID-3");
        assertThat(t.get("/ERR-1-4-3")).isEqualTo("HL70357");
        assertThat(t.get("/MSH-18")).isEqualTo("8859/1");
    }

    @Test
    void errorInV25UsesErr2Err3Err8() throws Exception {
        Ack ack = acks.error(header("2.5", "ORM^O01", null), StandardCharsets.US_ASCII, "AE", 103, "ORC-1",
                "order control XO with status '' (XO_) is not mapped");
        Terser t = parse(ack);
        assertThat(t.get("/MSH-9-3")).isEqualTo("ACK");
        assertThat(t.get("/ERR-2-1")).isEqualTo("ORC");
        assertThat(t.get("/ERR-2-2")).isEqualTo("1");
        assertThat(t.get("/ERR-2-3")).isEqualTo("1");
        assertThat(t.get("/ERR-3-1")).isEqualTo("103");
        assertThat(t.get("/ERR-3-2")).isEqualTo("Table value not found");
        assertThat(t.get("/ERR-3-3")).isEqualTo("HL70357");
        assertThat(t.get("/ERR-4")).isEqualTo("E");
        assertThat(t.get("/ERR-8")).isEqualTo("order control XO with status '' (XO_) is not mapped");
    }

    /** Every table 0357 code the gateway answers with has its own text (202 said "Application error"). */
    @Test
    void everyCodeTheGatewayUsesHasItsTableText() throws Exception {
        Object[][] codes = {{100, "Segment sequence error"}, {101, "Required field missing"},
            {102, "Data type error"}, {103, "Table value not found"}, {200, "Unsupported message type"},
            {201, "Unsupported event code"}, {202, "Unsupported processing id"}, {203, "Unsupported version id"},
            {204, "Unknown key identifier"}, {205, "Duplicate key identifier"}, {207, "Application internal error"}};
        for (Object[] c : codes) {
            Ack ack = acks.error(header("2.5", "ORM^O01", null), StandardCharsets.US_ASCII, "AR", (Integer) c[0],
                    "MSH-11", "x");
            assertThat(parse(ack).get("/ERR-3-2")).as(String.valueOf(c[0])).isEqualTo(c[1]);
        }
    }

    @Test
    void delimitersInTheTextAreEscapedAndTheCharsetIsKept() throws Exception {
        Ack ack = acks.error(header("2.5.1", "OMI^O23", "UNICODE UTF-8"), StandardCharsets.UTF_8, "AR", 207, null,
                "station « IRM | 3 » refusée ^ & ~");
        Terser t = parse(ack);
        assertThat(t.get("/ERR-8")).isEqualTo("station « IRM | 3 » refusée ^ & ~");
        assertThat(t.get("/MSH-18")).isEqualTo("UNICODE UTF-8");
        assertThat(new String(ack.bytes(), StandardCharsets.UTF_8)).isEqualTo(ack.text());
    }

    /** MSH-10 is echoed as the RIS sent it: read as sent (escapes included), it was escaped a second time. */
    @Test
    void msa2EchoesAControlIdHoldingAnEscapeAsItWasSent() throws Exception {
        MshHeader in = MshHeader.read("MSH|^~\\&|RIS\\T\\CO|CHU|MWLGW|CHU|20261125||ORM^O01|A\\T\\B-42|P|2.5\rPID|1\r");
        Ack ack = acks.accept(in, StandardCharsets.US_ASCII);
        assertThat(ack.text()).contains("\rMSA|AA|A\\T\\B-42").contains("|RIS\\T\\CO|CHU|");
        Terser t = parse(ack);
        assertThat(t.get("/MSA-2")).isEqualTo("A&B-42");
        // another escape character in the message: the ACK uses its own (\)
        MshHeader hash = MshHeader.read("MSH|^~#&|RIS|CHU|MWLGW|CHU|20261125||ORM^O01|A#T#B|P|2.5\r");
        assertThat(acks.accept(hash, StandardCharsets.US_ASCII).text()).contains("\rMSA|AA|A\\T\\B");
    }

    @Test
    void anUnreadableMessageStillGetsAnAck() throws Exception {
        Ack ack = acks.error(MshHeader.none(), StandardCharsets.US_ASCII, "AR", 100, null,
                "message cannot be parsed: it does not start with an MSH segment");
        Terser t = parse(ack);
        assertThat(t.get("/MSA-1")).isEqualTo("AR");
        assertThat(t.get("/MSH-12")).isEqualTo("2.5");
        assertThat(t.get("/ERR-3-1")).isEqualTo("100");
    }
}
