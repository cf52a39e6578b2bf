package org.ofsep.mwl.hl7;

import java.nio.charset.Charset;

/**
 * An acknowledgement ready to send.
 *
 * @param code    MSA-1: AA, AE or AR
 * @param text    the ACK message, segments separated by CR
 * @param charset the charset it is written in (its MSH-18 says so)
 * @param error   what was wrong (ERR-8), null for AA
 */
public record Ack(String code, String text, Charset charset, String error) {

    public byte[] bytes() {
        return text.getBytes(charset);
    }

    public boolean accepted() {
        return "AA".equals(code) || "CA".equals(code);
    }
}
