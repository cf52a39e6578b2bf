package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.hl7.support.Hl7Files;

/**
 * Damaged messages (seeded, reproducible mutations of the test files) must end as a parsed request or an
 * {@link Hl7MessageException} that the ACK can explain, never as a NullPointerException or the like that would
 * only be reported as an internal error.
 */
class ParserRobustnessTest {

    private static final List<String> FILES = List.of("orm-o01-v231-latin1.hl7", "orm-o01-v24-escapes.hl7",
            "orm-o01-v25-utf8.hl7", "omi-o23-v251-ihe.hl7", "adt-a08-v231.hl7", "adt-a31-v25.hl7",
            "adt-a40-v231.hl7", "orm-ca-v231.hl7");
    private static final char[] INTERESTING = {'|', '^', '~', '\\', '&', '\r', '\n', 'X', '0', '9', ' ', 'É'};

    /**
     * HL7 table 0357: 200 for a message type the gateway does not read, 201 for an event of a type it reads
     * (ORM^O02, an order response, got 200 "unsupported message type" though ORM is read).
     */
    @Test
    void anUnsupportedEventOfASupportedTypeIs201AnUnsupportedTypeIs200() {
        MessageParser parser = new MessageParser();
        for (String[] c : new String[][] {{"ORM^O02", "201"}, {"OMI^O24", "201"}, {"OMG^O20", "201"},
                {"ADT^A01", "201"}, {"ORU^R01", "200"}, {"SIU^S12", "200"}}) {
            String msg = "MSH|^~\\&|RIS|H|GW|H|20261125||" + c[0] + "|C1|P|2.5\rPID|1||P1||DOE^J\r";
            try {
                parser.parse(msg, StandardCharsets.US_ASCII);
                fail(c[0] + " was accepted");
            } catch (Hl7MessageException e) {
                assertThat(e.ackCode()).as(c[0]).isEqualTo("AR");
                assertThat(e.errorCode()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
                assertThat(e.location()).isEqualTo("MSH-9");
            }
        }
    }

    /**
     * MSH-11 (HL7 table 0103): a message a RIS test environment marks T (training) or D (debugging) must not reach
     * a console's worklist; before, every processing ID was applied. AR 202 on MSH-11 unless the site applies it
     * (hl7.processingIds, a test gateway); a message without MSH-11 is taken as production.
     */
    @Test
    void aTrainingOrDebuggingMessageIsRefusedWith202UnlessTheSiteAppliesIt() {
        String a08 = "MSH|^~\\&|RIS|H|GW|H|20261125||ADT^A08|C1|%s|2.5\rPID|1||P1||DOE^JANE\r";
        MessageParser production = new MessageParser();
        for (String id : new String[] {"T", "D", "t", "T^A"}) {
            Hl7MessageException e = catchThrowableOfType(Hl7MessageException.class,
                    () -> production.parse(a08.formatted(id), StandardCharsets.US_ASCII));
            assertThat(e).as(id).isNotNull();
            assertThat(e.ackCode()).as(id).isEqualTo("AR");
            assertThat(e.errorCode()).as(id).isEqualTo(202);
            assertThat(e.location()).as(id).isEqualTo("MSH-11");
            assertThat(e.getMessage()).as(id).contains("hl7.processingIds: P");
        }
        assertThat(production.parse(a08.formatted("P"), StandardCharsets.US_ASCII))
                .isInstanceOf(Hl7Request.PatientUpdate.class);
        assertThat(production.parse(a08.formatted(""), StandardCharsets.US_ASCII))
                .isInstanceOf(Hl7Request.PatientUpdate.class);
        MessageParser testGateway = new MessageParser(null, java.util.Set.of("T"));
        assertThat(testGateway.parse(a08.formatted("T"), StandardCharsets.US_ASCII))
                .isInstanceOf(Hl7Request.PatientUpdate.class);
        assertThat(catchThrowableOfType(Hl7MessageException.class,
                () -> testGateway.parse(a08.formatted("P"), StandardCharsets.US_ASCII)).errorCode()).isEqualTo(202);
    }

    @Test
    void mutatedMessagesNeverFailUnexplained() {
        Random random = new Random(Long.getLong("mutationSeed", 20261125L));
        MessageParser parser = new MessageParser();
        int parsed = 0;
        int refused = 0;
        for (String file : FILES) {
            String original = Hl7Files.text(file, StandardCharsets.ISO_8859_1);
            for (int i = 0; i < Integer.getInteger("mutations", 400); i++) {
                String mutated = mutate(original, random);
                try {
                    InboundFrame frame = InboundFrame.decode(mutated.getBytes(StandardCharsets.ISO_8859_1));
                    if (frame.charsetError() != null) {
                        refused++;
                        continue;
                    }
                    parser.parse(frame.text(), frame.charset());
                    parsed++;
                } catch (Hl7MessageException e) {
                    assertThat(e.ackCode()).isIn("AE", "AR");
                    assertThat(e.getMessage()).isNotBlank();
                    refused++;
                } catch (RuntimeException e) {
                    fail("mutation " + i + " of " + file + " failed with " + e + "\n"
                            + mutated.replace('\r', '\n'), e);
                }
            }
        }
        assertThat(parsed).isPositive();
        assertThat(refused).isPositive();
    }

    private static String mutate(String message, Random random) {
        StringBuilder s = new StringBuilder(message);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && s.length() > 10; e++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(6)) {
                case 0 -> s.setCharAt(at, INTERESTING[random.nextInt(INTERESTING.length)]);
                case 1 -> s.deleteCharAt(at);
                case 2 -> s.insert(at, INTERESTING[random.nextInt(INTERESTING.length)]);
                case 3 -> s.setLength(Math.max(10, at));
                case 4 -> {
                    // drop a whole segment
                    List<String> segments = new ArrayList<>(Arrays.asList(s.toString().split("\r")));
                    if (segments.size() > 1) {
                        segments.remove(1 + random.nextInt(segments.size() - 1));
                    }
                    s = new StringBuilder(String.join("\r", segments));
                }
                default -> {
                    // duplicate a segment elsewhere
                    List<String> segments = new ArrayList<>(Arrays.asList(s.toString().split("\r")));
                    String copy = segments.get(random.nextInt(segments.size()));
                    segments.add(1 + random.nextInt(segments.size()), copy);
                    s = new StringBuilder(String.join("\r", segments));
                }
            }
        }
        return s.toString();
    }
}
