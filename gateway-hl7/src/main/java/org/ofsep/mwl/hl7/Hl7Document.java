package org.ofsep.mwl.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.GenericModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.NoValidation;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An inbound message parsed by HAPI with its generic model: every segment in the order it arrived, Z-segments
 * included, whatever the HL7 version. Order parsing walks this list (an OBX belongs to the OBR before it), which
 * the version-specific structures would only give through four different group layouts.
 */
public final class Hl7Document {

    /** Versions whose messages the gateway reads. */
    public static final Set<String> SUPPORTED_VERSIONS = Set.of("2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6");

    private static final PipeParser PARSER = newParser();

    private final MshHeader header;
    private final List<Hl7Segment> segments;

    private Hl7Document(MshHeader header, List<Hl7Segment> segments) {
        this.header = header;
        this.segments = List.copyOf(segments);
    }

    private static PipeParser newParser() {
        HapiContext context = new DefaultHapiContext(new GenericModelClassFactory());
        context.setValidationContext(new NoValidation());
        return context.getPipeParser();
    }

    /**
     * Parses the text of a message (segments separated by CR; LF and CRLF are accepted too).
     *
     * @param charset the message's charset, used to decode \Xhh\ escapes
     * @throws Hl7MessageException AR when the text is not an HL7 message HAPI can read
     */
    public static Hl7Document parse(String text, Charset charset) {
        String normalized = normalize(text);
        MshHeader header = MshHeader.read(normalized);
        if (!header.present()) {
            throw Hl7MessageException.unparsable("it does not start with an MSH segment", null);
        }
        if (header.version() == null) {
            throw new Hl7MessageException("AR", Hl7MessageException.UNSUPPORTED_VERSION_ID, "MSH-12",
                    "MSH-12 (version) is missing");
        }
        if (!SUPPORTED_VERSIONS.contains(header.version())) {
            throw new Hl7MessageException("AR", Hl7MessageException.UNSUPPORTED_VERSION_ID, "MSH-12",
                    "HL7 version " + header.version() + " in MSH-12 is not supported (2.3, 2.3.1, 2.4, 2.5, 2.5.1, 2.6)");
        }
        String encoding = header.encodingCharacters();
        if (encoding.length() < 4 || encoding.chars().distinct().count() != encoding.length()
                || encoding.indexOf(header.fieldSeparator()) >= 0) {
            throw new Hl7MessageException("AR", Hl7MessageException.DATA_TYPE_ERROR, "MSH-2",
                    "MSH-2 must hold four distinct encoding characters (component, repetition, escape, subcomponent)"
                            + ", found '" + encoding + "'");
        }
        // before HAPI, which answers a missing type with its own words ("Can't determine message structure")
        if (header.messageCode() == null) {
            throw new Hl7MessageException("AR", Hl7MessageException.REQUIRED_FIELD_MISSING, "MSH-9",
                    "required field MSH-9 (message type) is missing");
        }
        if (header.triggerEvent() == null) {
            throw new Hl7MessageException("AR", Hl7MessageException.REQUIRED_FIELD_MISSING, "MSH-9",
                    "MSH-9 has no trigger event (MSH-9.2, e.g. ORM^O01)");
        }
        int second = normalized.indexOf("\rMSH" + header.fieldSeparator());
        if (second >= 0) {
            // HAPI would read the second MSH as one more segment of the first message and the gateway would apply
            // the first alone: the other message would be acknowledged by no one and silently lost
            throw new Hl7MessageException("AE", Hl7MessageException.SEGMENT_SEQUENCE_ERROR, "MSH",
                    "the frame holds more than one message (a second MSH segment, segment "
                            + (normalized.substring(0, second + 1).chars().filter(c -> c == '\r').count() + 1)
                            + "): send one message per MLLP frame; nothing was applied");
        }
        EncodingCharacters enc = new EncodingCharacters(header.fieldSeparator(), encoding.substring(0, 4));
        String rewritten = Hl7Escapes.rewrite(normalized, enc, charset);
        Message message;
        try {
            message = PARSER.parse(rewritten);
        } catch (HL7Exception | RuntimeException e) {
            throw Hl7MessageException.unparsable(e.getMessage() == null ? e.getClass().getSimpleName()
                    : firstLine(e.getMessage()), e);
        }
        List<Hl7Segment> segments = new ArrayList<>();
        Map<String, Integer> sequence = new HashMap<>();
        try {
            // The generic model appends each segment that does not continue the current one as a new structure,
            // so walking the structure names in order, repetitions included, gives the segments as they arrived.
            for (String name : message.getNames()) {
                for (Structure s : message.getAll(name)) {
                    if (s instanceof Segment seg) {
                        int seq = sequence.merge(seg.getName(), 1, Integer::sum);
                        segments.add(new Hl7Segment(seg, seq));
                    }
                }
            }
        } catch (HL7Exception e) {
            throw Hl7MessageException.unparsable(firstLine(String.valueOf(e.getMessage())), e);
        }
        return new Hl7Document(header, segments);
    }

    private static String normalize(String text) {
        String t = text.replace("\r\n", "\r").replace('\n', '\r');
        int end = t.length();
        while (end > 0 && (t.charAt(end - 1) == '\r' || Character.isWhitespace(t.charAt(end - 1)))) {
            end--;
        }
        int start = 0;
        while (start < end && Character.isWhitespace(t.charAt(start))) {
            start++;
        }
        return t.substring(start, end);
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    public MshHeader header() {
        return header;
    }

    /** All segments in message order, MSH first. */
    public List<Hl7Segment> segments() {
        return segments;
    }

    /** The first segment with this name. */
    public Optional<Hl7Segment> first(String name) {
        return segments.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public List<Hl7Segment> all(String name) {
        return segments.stream().filter(s -> s.name().equals(name)).toList();
    }
}
