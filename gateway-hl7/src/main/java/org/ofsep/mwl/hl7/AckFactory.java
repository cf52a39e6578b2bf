package org.ofsep.mwl.hl7;

import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.Escape;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds original-mode ACKs (MSA-1 AA/AE/AR, MSA-2 = the message's MSH-10) in the message's HL7 version and
 * character set, with an ERR segment that says what is wrong:
 * <ul>
 * <li>v2.3.1 and v2.4: ERR-1 (ELD) = segment^sequence^field^code&amp;text&amp;HL70357;</li>
 * <li>v2.5 and later: ERR-2 (ERL) location, ERR-3 (CWE) HL7 error code from table 0357, ERR-4 severity E, ERR-8
 * user message.</li>
 * </ul>
 * MSA-3 carries the same text for RIS consoles that show only MSA.
 */
public final class AckFactory {

    private static final EncodingCharacters ENCODING = new EncodingCharacters('|', "^~\\&");
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final Pattern LOCATION = Pattern.compile("([A-Z][A-Z0-9]{2})(?:\\[(\\d+)])?-(\\d+)(?:\\.(\\d+))?");
    private static final Map<Integer, String> ERROR_TEXT = Map.ofEntries(
            Map.entry(0, "Message accepted"),
            Map.entry(100, "Segment sequence error"),
            Map.entry(101, "Required field missing"),
            Map.entry(102, "Data type error"),
            Map.entry(103, "Table value not found"),
            Map.entry(200, "Unsupported message type"),
            Map.entry(201, "Unsupported event code"),
            Map.entry(202, "Unsupported processing id"),
            Map.entry(203, "Unsupported version id"),
            Map.entry(204, "Unknown key identifier"),
            Map.entry(205, "Duplicate key identifier"),
            Map.entry(207, "Application internal error"));

    private final Clock clock;
    private final String application;
    private final String facility;
    private final AtomicLong sequence;

    /**
     * @param application MSH-3 of the ACKs (the gateway's application name)
     * @param facility    MSH-4, may be null
     */
    public AckFactory(Clock clock, String application, String facility) {
        this.clock = clock;
        this.application = application;
        this.facility = facility;
        this.sequence = new AtomicLong(clock.millis() % 1_000_000_000L * 1000);
    }

    public AckFactory() {
        this(Clock.systemDefaultZone(), "MWLGW", null);
    }

    /** AA for a message applied (durably). */
    public Ack accept(MshHeader inbound, Charset charset) {
        return build(inbound, charset, "AA", null, 0, null);
    }

    /** AE or AR with an ERR segment. */
    public Ack error(MshHeader inbound, Charset charset, String ackCode, int errorCode, String location,
                     String message) {
        return build(inbound, charset, ackCode, message, errorCode, location);
    }

    private Ack build(MshHeader in, Charset requested, String code, String message, int errorCode, String location) {
        Charset charset = requested == null ? StandardCharsets.US_ASCII : requested;
        String version = in.version() != null && Hl7Document.SUPPORTED_VERSIONS.contains(in.version())
                ? in.version() : "2.5";
        boolean v25 = atLeast25(version);
        String trigger = in.triggerEvent();
        String type = trigger == null ? "ACK" : "ACK^" + echo(in, trigger) + (version.equals("2.3") || version.equals(
                "2.3.1") ? "" : "^ACK");
        String msh18 = Hl7Charsets.msh18For(charset);

        StringBuilder ack = new StringBuilder(256);
        ack.append("MSH|^~\\&|").append(esc(application)).append('|').append(esc(facility)).append('|')
                .append(echo(in, in.sendingApplication())).append('|').append(echo(in, in.sendingFacility()))
                .append('|')
                .append(LocalDateTime.now(clock).format(TS)).append("||").append(type).append('|')
                .append("ACK").append(sequence.incrementAndGet()).append('|')
                .append(in.processingId() == null ? "P" : echo(in, in.processingId())).append('|').append(version);
        if (msh18 != null) {
            ack.append("||||||").append(msh18);
        }
        ack.append('\r');
        ack.append("MSA|").append(code).append('|').append(echo(in, in.controlId()));
        if (message != null) {
            ack.append('|').append(esc(truncate(message, 200)));
        }
        ack.append('\r');
        if (message != null) {
            ack.append(err(v25, errorCode, location, message)).append('\r');
        }
        return new Ack(code, ack.toString(), charset, message);
    }

    private static String err(boolean v25, int errorCode, String location, String message) {
        String codeText = ERROR_TEXT.getOrDefault(errorCode, "Application error");
        String seg = "";
        String seq = "";
        String field = "";
        String component = "";
        if (location != null) {
            Matcher m = LOCATION.matcher(location);
            if (m.matches()) {
                seg = m.group(1);
                seq = m.group(2) == null ? "1" : m.group(2);
                field = m.group(3);
                component = m.group(4) == null ? "" : m.group(4);
            }
        }
        if (!v25) {
            // ELD: segment ID ^ sequence ^ field position ^ code identifying error, a CE whose text says what is
            // wrong (v2.3.1/2.4 have no user message field)
            return "ERR|" + seg + "^" + seq + "^" + field + "^" + errorCode + "&" + esc(message) + "&HL70357";
        }
        String erl = seg.isEmpty() ? "" : seg + "^" + seq + "^" + field + (component.isEmpty() ? "" : "^^" + component);
        return "ERR||" + erl + "|" + errorCode + "^" + esc(codeText) + "^HL70357|E||||" + esc(message);
    }

    private static boolean atLeast25(String version) {
        return !(version.equals("2.3") || version.equals("2.3.1") || version.equals("2.4"));
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static String esc(String value) {
        return value == null ? "" : Escape.escape(value, ENCODING);
    }

    /**
     * A value of the inbound MSH, echoed: it is read as sent, escapes included, in the message's own encoding
     * characters, so it is unescaped with those before it is escaped for the ACK (MSH-10 "A\T\B" came back as
     * "A\E\T\E\B", which no RIS matches with its message).
     */
    private static String echo(MshHeader in, String raw) {
        if (raw == null) {
            return "";
        }
        String enc = in.encodingCharacters();
        if (enc == null || enc.length() < 4 || raw.indexOf(enc.charAt(2)) < 0) {
            return esc(raw);
        }
        return esc(Escape.unescape(raw, new EncodingCharacters(in.fieldSeparator(), enc.substring(0, 4))));
    }
}
