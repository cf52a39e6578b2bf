package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class Hl7CharsetsTest {

    @Test
    void msh18ValuesMapToJavaCharsets() {
        assertThat(Hl7Charsets.forMsh18(null)).contains(StandardCharsets.US_ASCII);
        assertThat(Hl7Charsets.forMsh18("")).contains(StandardCharsets.US_ASCII);
        assertThat(Hl7Charsets.forMsh18("ASCII")).contains(StandardCharsets.US_ASCII);
        assertThat(Hl7Charsets.forMsh18("8859/1")).contains(StandardCharsets.ISO_8859_1);
        assertThat(Hl7Charsets.forMsh18("8859/15").orElseThrow().name()).isEqualTo("ISO-8859-15");
        assertThat(Hl7Charsets.forMsh18("UNICODE UTF-8")).contains(StandardCharsets.UTF_8);
        assertThat(Hl7Charsets.forMsh18("UNICODE")).isEmpty();
        assertThat(Hl7Charsets.forMsh18("ISO IR87")).isEmpty();
        assertThat(Hl7Charsets.msh18For(StandardCharsets.ISO_8859_1)).isEqualTo("8859/1");
        assertThat(Hl7Charsets.dicomCharacterSet(StandardCharsets.ISO_8859_1)).isEqualTo("ISO_IR 100");
        assertThat(Hl7Charsets.dicomCharacterSet(StandardCharsets.UTF_8)).isEqualTo("ISO_IR 192");
    }

    @Test
    void strictDecodingRefusesBytesOfAnotherCharset() {
        byte[] latin = "DUPRÉ".getBytes(StandardCharsets.ISO_8859_1);
        byte[] utf8 = "DUPRÉ".getBytes(StandardCharsets.UTF_8);
        assertThat(Hl7Charsets.decodeStrict(latin, StandardCharsets.ISO_8859_1)).contains("DUPRÉ");
        assertThat(Hl7Charsets.decodeStrict(utf8, StandardCharsets.UTF_8)).contains("DUPRÉ");
        assertThat(Hl7Charsets.decodeStrict(latin, StandardCharsets.UTF_8)).isEmpty();
        assertThat(Hl7Charsets.firstMismatch(latin, StandardCharsets.UTF_8)).isEqualTo(4);
        // É in UTF-8 is C3 89; 0x89 is a C1 control code that never appears in 8859-1 text
        assertThat(Hl7Charsets.decodeStrict(utf8, StandardCharsets.ISO_8859_1)).isEmpty();
        assertThat(Hl7Charsets.decodeStrict(latin, StandardCharsets.US_ASCII)).isEmpty();
    }

    @Test
    void utf8LowerCaseAccentsDeclaredAsLatin1AreRefused() {
        // é is C3 A9 in UTF-8: both bytes are Latin-1 letters ("Ã©"), no C1 control; the mislabelled text was read
        // as it came and a written Gd allergy ("éruption cutanée ...") was missed
        byte[] utf8 = "éruption cutanée après injection".getBytes(StandardCharsets.UTF_8);
        assertThat(Hl7Charsets.firstMismatch(utf8, StandardCharsets.ISO_8859_1)).isEqualTo(0);
        assertThat(Hl7Charsets.decodeStrict(utf8, StandardCharsets.ISO_8859_1)).isEmpty();
        // real Latin-1 text passes: accented letters, capitals, symbols, Portuguese "JOÃO"
        for (String text : List.of("éruption cutanée après injection, poussée", "HÉLÈNE DUPRÉ", "JOÃO 37,5 °C ©",
                "« ÇA VA »", "N° 12, 1½",
                // an accented capital before a no-break space (French typing before ":" and inside « »), or
                // before a symbol in a text that has other accents (no UTF-8 then): found refused by a verification
                "GADOLINIUM CONTRE-INDIQUÉ\u00a0: ALLERGIE", "Motif\u00a0: «\u00a0SEP CONFIRMÉ\u00a0»",
                "GROß\u00a0", "dose ×½ prévue")) {
            assertThat(Hl7Charsets.firstMismatch(text.getBytes(StandardCharsets.ISO_8859_1),
                    StandardCharsets.ISO_8859_1)).as(text).isEqualTo(-1);
        }
    }

    @Test
    void aUtf8ByteOrderMarkBeforeMshIsNotPartOfTheMessage() {
        String msg = "MSH|^~\\&|RIS|H|GW|H|20261125||ADT^A08|C1|P|2.5||||||UNICODE UTF-8\rPID|1||P1||DUPRÉ^HÉLÈNE";
        byte[] body = msg.getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[body.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bom, 3, body.length);
        InboundFrame frame = InboundFrame.decode(bom);
        assertThat(frame.charsetError()).isNull();
        assertThat(frame.text()).isEqualTo(msg);
        assertThat(frame.header().controlId()).isEqualTo("C1");
    }

    @Test
    void refusedBytesAreKeptAsAsciiWithHexEscapes() {
        byte[] latin = "DUPRÉ^HÉLÈNE".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Hl7Charsets.bestEffort(latin)).isEqualTo("DUPR\\XC9\\^H\\XC9\\L\\XC8\\NE");
    }

    @Test
    void aFrameIsDecodedWithTheCharsetItsMshDeclares() {
        String msg = "MSH|^~\\&|RIS|H|GW|H|20261125||ADT^A08|C1|P|2.5||||||UNICODE UTF-8\rPID|1||P1||DUPRÉ^HÉLÈNE";
        InboundFrame frame = InboundFrame.decode(msg.getBytes(StandardCharsets.UTF_8));
        assertThat(frame.charsetError()).isNull();
        assertThat(frame.charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(frame.text()).isEqualTo(msg);
        assertThat(frame.header().controlId()).isEqualTo("C1");

        InboundFrame wrong = InboundFrame.decode(msg.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(wrong.charsetError()).contains("UNICODE UTF-8").contains("0xC9");
        assertThat(wrong.header().controlId()).isEqualTo("C1");
        assertThat(wrong.ackCharset()).isEqualTo(StandardCharsets.US_ASCII);
    }

    @org.junit.jupiter.api.Test
    void msh18GivesTheWorklistItemsCharacterSetAtTheHl7Edge() {
        assertThat(Hl7Charsets.itemCharacterSet("8859/1")).isEqualTo("ISO_IR 100");
        assertThat(Hl7Charsets.itemCharacterSet(" unicode utf-8 ")).isEqualTo("ISO_IR 192");
        assertThat(Hl7Charsets.itemCharacterSet("ASCII")).isNull();
        assertThat(Hl7Charsets.itemCharacterSet(null)).isNull();
        assertThat(Hl7Charsets.itemCharacterSet("")).isNull();
    }
}
