package org.ofsep.mwl.hl7;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MshHeaderTest {

    /** The split without a regex gives what String.split(Pattern.quote(sep), -1) gave, empty parts included. */
    @Test
    void splitIsStringSplitWithTheSeparatorQuoted() {
        for (String value : List.of("", "a", "|", "||", "a|b", "|a|", "a||b|", "MSH|^~\\&|RIS|CHU||", "^^^x^",
                "a^b~c", "..", "x.y.")) {
            for (char sep : new char[] {'|', '^', '~', '.', '*'}) {
                assertArrayEquals(value.split(Pattern.quote(String.valueOf(sep)), -1), MshHeader.split(value, sep),
                        () -> "'" + value + "' split at '" + sep + "'");
            }
        }
    }

    @Test
    void readsTheHeaderFieldsWithAnyFieldSeparator() {
        MshHeader h = MshHeader.read("MSH*^~\\&* RIS ^x*CHU*MWLGW*CHU*20261204**ORM^O01^ORM_O01*C42*P^T*2.5.1"
                + "******UNICODE UTF-8~8859/1\rPID*1");
        assertEquals('*', h.fieldSeparator());
        assertEquals("RIS", h.sendingApplication());
        assertEquals("CHU", h.sendingFacility());
        assertEquals("ORM^O01", h.messageType());
        assertEquals("C42", h.controlId());
        assertEquals("P", h.processingId());
        assertEquals("2.5.1", h.version());
        assertEquals("UNICODE UTF-8", h.characterSet());
        assertEquals("RIS^CHU", h.sender());
        MshHeader bare = MshHeader.read("MSH|^~\\&|||||||||");
        assertNull(bare.sendingApplication());
        assertNull(bare.messageCode());
        assertNull(bare.characterSet());
    }
}
