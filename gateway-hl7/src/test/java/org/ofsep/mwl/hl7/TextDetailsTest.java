package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.order.OrderMessage;

/** Issue 16 #12: \S\ inside a name component, HL7 formatting commands. */
class TextDetailsTest {

    private static OrderMessage parse(String pid5, String obr31) {
        String text = "MSH|^~\\&|RIS|CHU|MWLGW|CHU|20261204083000||ORM^O01|T-1|P|2.5\r"
                + "PID|1||P1^^^CHU^PI||" + pid5 + "||19800115|F\r"
                + "ORC|NW|PLC1|||SC\r"
                + "OBR|1|PLC1||IRM-SEP^IRM^L|||||||||||||ACC1|RP1||||||MR|||||||" + obr31 + "\r";
        Hl7Request r = new MessageParser().parse(text, StandardCharsets.UTF_8);
        return ((Hl7Request.Order) r).order();
    }

    @Test
    void anEscapedComponentSeparatorIsALiteralOfItsComponent() {
        assertThat(parse("DUPONT\\S\\MARIE^JEANNE", "").patient().name()).isEqualTo("DUPONT MARIE^JEANNE");
        assertThat(parse("DUPONT^JEANNE\\S\\MARIE", "").patient().name()).isEqualTo("DUPONT^JEANNE MARIE");
        // a repetition separator and an escape character, escaped, would also break DICOM PN
        assertThat(parse("A\\R\\B^C\\E\\D", "").patient().name()).isEqualTo("A~B^C D");
        assertThat(parse("DUPONT^MARIE", "").patient().name()).isEqualTo("DUPONT^MARIE");
        assertThat(PatientFields.component("X=Y")).isEqualTo("X Y");
    }

    @Test
    void lineBreakFormattingCommandsBecomeLineBreaksAndTheOthersAreDropped() {
        assertThat(Hl7Segment.formatting("Suivi\\.br\\annuel")).isEqualTo("Suivi\r\nannuel");
        assertThat(Hl7Segment.formatting("a\\.sp 2\\b\\.in+4\\c\\.fi\\d\\.ce\\")).isEqualTo("a\r\nbcd");
        assertThat(Hl7Segment.formatting("no command")).isEqualTo("no command");
        assertThat(parse("DUPONT^MARIE", "^Suivi\\.br\\annuel").procedures().get(0).reason())
                .isEqualTo("Suivi\r\nannuel");
        assertThat(parse("DUPONT\\.br\\X^MARIE", "").patient().name()).isEqualTo("DUPONT X^MARIE");
    }
}
