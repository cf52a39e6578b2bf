package org.ofsep.mwl.dicom.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading multi-valued strings and telling which character set a dataset's values need, without regexes. */
class ValueSplitTest {

    @Test
    void valuesAreSplitOnBackslashAsStringSplitDoes() {
        for (String s : List.of("", "A", "A\\B", "\\", "\\A", "A\\", "A\\\\B", "\\\\", "ÉCOLE\\Ł\\ ")) {
            assertThat(DicomReader.splitValues(s)).as(s).containsExactly(s.split("\\\\", -1));
        }
    }

    @Test
    void characterBitsTellAsciiLatin1AndWider() {
        Attributes ascii = new Attributes();
        ascii.setString(Tag.PatientName, VR.PN, "DUPONT^JEAN");
        ascii.addItem(Tag.ScheduledProcedureStepSequence).setString(Tag.ScheduledStationName, VR.SH, "IRM1");
        assertThat(SpecificCharacterSet.bestFor(null, ascii.stringCharBits()).isDefault()).isTrue();

        Attributes latin1 = new Attributes(ascii);
        latin1.getItem(Tag.ScheduledProcedureStepSequence, 0).setString(Tag.ScheduledStationName, VR.SH, "IRM Hélène");
        assertThat(latin1.stringCharBits()).isGreaterThan(0x7F).isLessThanOrEqualTo(0xFF);
        assertThat(SpecificCharacterSet.bestFor(null, latin1.stringCharBits())).isSameAs(SpecificCharacterSet.ISO_IR_100);
        assertThat(SpecificCharacterSet.bestFor("ISO_IR 192", latin1.stringCharBits()))
                .isSameAs(SpecificCharacterSet.ISO_IR_192);

        Attributes wide = new Attributes(ascii);
        wide.setString(Tag.PatientName, VR.PN, "ŁUKASZ^Ł");
        assertThat(SpecificCharacterSet.bestFor(null, wide.stringCharBits())).isSameAs(SpecificCharacterSet.ISO_IR_192);
        // the same decisions as from the list of values
        assertThat(SpecificCharacterSet.bestFor(null, List.of("DUPONT^JEAN", "IRM Hélène")))
                .isSameAs(SpecificCharacterSet.ISO_IR_100);
    }
}
