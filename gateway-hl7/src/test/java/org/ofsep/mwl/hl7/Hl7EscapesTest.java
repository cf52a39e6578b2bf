package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;

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
