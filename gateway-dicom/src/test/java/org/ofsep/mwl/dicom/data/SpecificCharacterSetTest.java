package org.ofsep.mwl.dicom.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecificCharacterSetTest {

    private static byte[] patientNameValue(String charset) {
        Attributes a = new Attributes();
        if (charset != null) {
            a.setString(Tag.SpecificCharacterSet, VR.CS, charset);
        }
        a.setString(Tag.PatientName, VR.PN, "DUPRÉ^HÉLÈNE");
        byte[] all = DicomWriter.write(a, TransferSyntax.IMPLICIT_VR_LE);
        // the PN element is last: skip its 8-byte header
        Attributes back;
        try {
            back = DicomReader.read(all, TransferSyntax.IMPLICIT_VR_LE);
        } catch (DicomCodecException e) {
            throw new AssertionError(e);
        }
        assertThat(back.getString(Tag.PatientName)).isEqualTo("DUPRÉ^HÉLÈNE");
        int pnHeader = charset == null ? 0 : 8 + ((charset.length() + 1) & ~1);
        int len = (all[pnHeader + 4] & 0xFF) | (all[pnHeader + 5] & 0xFF) << 8;
        return java.util.Arrays.copyOfRange(all, pnHeader + 8, pnHeader + 8 + len);
    }

    @Test
    void latin1BytesAreExact() {
        // D U P R É(C9) ^ H É(C9) L È(C8) N E, 12 bytes: even, no padding
        assertThat(HexFormat.of().formatHex(patientNameValue("ISO_IR 100")))
                .isEqualTo("445550" + "52c9" + "5e" + "48c9" + "4cc8" + "4e45");
    }

    @Test
    void utf8BytesAreExact() {
        // É = C3 89, È = C3 88; 15 bytes + one space of padding
        assertThat(HexFormat.of().formatHex(patientNameValue("ISO_IR 192")))
                .isEqualTo("445550" + "52c389" + "5e" + "48c389" + "4cc388" + "4e45" + "20");
    }

    @Test
    void supportedTermsAndRefusals() throws Exception {
        assertThat(SpecificCharacterSet.of()).isSameAs(SpecificCharacterSet.DEFAULT);
        assertThat(SpecificCharacterSet.of("ISO_IR 6")).isSameAs(SpecificCharacterSet.DEFAULT);
        assertThat(SpecificCharacterSet.of("ISO_IR 100")).isSameAs(SpecificCharacterSet.ISO_IR_100);
        assertThat(SpecificCharacterSet.of("ISO_IR 192")).isSameAs(SpecificCharacterSet.ISO_IR_192);
        assertThat(SpecificCharacterSet.of("ISO 2022 IR 100")).isSameAs(SpecificCharacterSet.ISO_IR_100);
        assertThat(SpecificCharacterSet.of("ISO_IR 101").decode(new byte[] {(byte) 0xA3}, 0, 1)).isEqualTo("Ł");
        assertThatThrownBy(() -> SpecificCharacterSet.of("", "ISO 2022 IR 87"))
                .isInstanceOf(UnsupportedCharacterSetException.class)
                .hasMessageContaining("ISO 2022 IR 87");
        assertThatThrownBy(() -> SpecificCharacterSet.of("ISO_IR 13"))
                .isInstanceOf(UnsupportedCharacterSetException.class);
    }

    @Test
    void aQueryInAnUnsupportedCharacterSetFailsDecodingWithADistinctException() {
        byte[] bytes = HexFormat.of().parseHex("08000500" + "1e000000" + "5c49534f2032303232204952203837"
                + "5c49534f203230323220495220313539"
                + "10001000" + "04000000" + "1b244221");
        assertThatThrownBy(() -> DicomReader.read(bytes, TransferSyntax.IMPLICIT_VR_LE))
                .isInstanceOf(UnsupportedCharacterSetException.class);
    }

    @Test
    void bestCharsetForValues() {
        assertThat(SpecificCharacterSet.bestFor(null, List.of("DUPONT^JEAN")).term()).isNull();
        assertThat(SpecificCharacterSet.bestFor("ISO_IR 100", List.of("DUPRÉ^HÉLÈNE")).term()).isEqualTo("ISO_IR 100");
        assertThat(SpecificCharacterSet.bestFor("ISO_IR 192", List.of("DUPRÉ^HÉLÈNE")).term()).isEqualTo("ISO_IR 192");
        assertThat(SpecificCharacterSet.bestFor("ISO_IR 100", List.of("ŁUKASZ")).term()).isEqualTo("ISO_IR 192");
        assertThat(SpecificCharacterSet.bestFor(null, List.of("É")).term()).isEqualTo("ISO_IR 100");
    }

    @Test
    void iso2022Latin1WithDesignationEscapes() throws Exception {
        SpecificCharacterSet cs = SpecificCharacterSet.of("", "ISO 2022 IR 100");
        // D U P R ESC - A É ^ ...: the escape designates Latin-1 in G1 and is not part of the text
        byte[] value = HexFormat.of().parseHex("44555052" + "1b2d41" + "c95e48c94cc84e45" + "1b2842");
        assertThat(cs.decode(value, 0, value.length)).isEqualTo("DUPRÉ^HÉLÈNE");
        assertThatThrownBy(() -> SpecificCharacterSet.of("", "ISO 2022 IR 100", "ISO 2022 IR 87"))
                .isInstanceOf(UnsupportedCharacterSetException.class);
    }
}
