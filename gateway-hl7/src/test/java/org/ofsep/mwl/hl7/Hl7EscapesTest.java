package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.order.OrderMessage;

/** Every escape sequence of HL7 v2 chapter 2 as it reaches the core. */
class Hl7EscapesTest {

    private static String clinicalInfo(String escaped, String msh18) {
        String msg = "MSH|^~\\&|RIS|H|GW|H|20261125||ORM^O01|C1|P|2.4||||||" + msh18 + "\rPID|1||P1||DOE^J\r"
                + "ORC|NW|PL1\rOBR|1|PL1||24590-2^MR Brain^LN|||||||||" + escaped + "\r";
        java.nio.charset.Charset cs = Hl7Charsets.forMsh18(msh18).orElseThrow();
        OrderMessage o = ((Hl7Request.Order) new MessageParser().parse(msg, cs)).order();
        return o.procedures().get(0).clinicalInfo();
    }

    @Test
    void delimiterEscapes() {
        assertThat(clinicalInfo("a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f", "")).isEqualTo("a|b^c&d~e\\f");
    }

    @Test
    void hexadecimalDataIsDecodedWithTheMessageCharset() {
        assertThat(clinicalInfo("Contr\\XF4\\le", "8859/1")).isEqualTo("Contrôle");
        assertThat(clinicalInfo("Contr\\XC3B4\\le", "UNICODE UTF-8")).isEqualTo("Contrôle");
        // hex data that encodes a delimiter stays data
        assertThat(clinicalInfo("a\\X7C\\b", "")).isEqualTo("a|b");
    }

    @Test
    void hexadecimalDataThatIsNotTextInTheMessageCharsetIsRefusedNotMangled() {
        // Latin-1 É in a message declared ASCII, or UTF-8; a C1 control in 8859/1: U+FFFD or a control on the
        // worklist before; now AR 102 naming the field, as bytes that do not match MSH-18 are
        for (String[] c : new String[][] {{"D\\XC9\\SIR", ""}, {"D\\XC9\\SIR", "UNICODE UTF-8"},
                {"D\\X80\\SIR", "8859/1"}}) {
            assertThatThrownBy(() -> clinicalInfo(c[0], c[1]))
                    .isInstanceOfSatisfying(Hl7MessageException.class, e -> {
                        assertThat(e.ackCode()).isEqualTo("AR");
                        assertThat(e.errorCode()).isEqualTo(Hl7MessageException.DATA_TYPE_ERROR);
                        assertThat(e.location()).isEqualTo("OBR-13");
                    })
                    .hasMessageContaining("\\X" + c[0].substring(3, 5) + "\\");
        }
        // a longer escape may spell a name (PID-5 "DUPR\X5A4F52474C5542E9\"): the message, which goes to the log
        // at WARN, gives its length and not its bytes (found by an independent review)
        assertThatThrownBy(() -> clinicalInfo("DUPR\\X5A4F52474C5542E9\\", ""))
                .isInstanceOf(Hl7MessageException.class).hasMessageContaining("of 8 bytes")
                .hasMessageNotContaining("5A4F");
        String msg = "MSH|^~\\&|RIS|H|GW|H|20261125||ORM^O01|C1|P|2.4\rPID|1||P1||D\\XC9\\SIR^ANA\r"
                + "ORC|NW|PL1\rOBR|1|PL1||24590-2^MR Brain^LN\r";
        assertThatThrownBy(() -> new MessageParser().parse(msg, StandardCharsets.US_ASCII))
                .isInstanceOfSatisfying(Hl7MessageException.class, e -> assertThat(e.location()).isEqualTo("PID-5"));
    }

    @Test
    void highlightingAndCharsetSwitchesAreDroppedNotLeftAsLetters() {
        assertThat(clinicalInfo("\\H\\urgent\\N\\ scan", "")).isEqualTo("urgent scan");
        assertThat(clinicalInfo("x\\C2842\\y", "")).isEqualTo("xy");
    }

    @Test
    void aSequenceRightAfterAnotherIsReadCorrectly() {
        // the closing escape of \F\ must not open a \X41\ sequence
        assertThat(clinicalInfo("\\F\\X41\\", "")).isEqualTo("|X41");
    }
}
