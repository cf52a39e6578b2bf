package org.ofsep.mwl.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;
import java.util.ArrayList;
import java.util.List;

/**
 * Read access to one segment HAPI parsed, with HL7 positions as people write them ("OBR-4.2" = field 4,
 * component 2). Values are unescaped; empty values are null.
 */
public final class Hl7Segment {
    private final Segment segment;
    private final String name;
    private final int sequence;

    Hl7Segment(Segment segment, int sequence) {
        this.segment = segment;
        this.name = segment.getName();
        this.sequence = sequence;
    }

    /** Segment ID, e.g. "OBR". */
    public String name() {
        return name;
    }

    /** 1 for the first segment of this name in the message, 2 for the second... (for ERR locations). */
    public int sequence() {
        return sequence;
    }

    /** Number of fields present. */
    public int fieldCount() {
        return segment.numFields();
    }

    /** Component 1, subcomponent 1 of the first repetition. */
    public String value(int field) {
        return value(field, 1, 1);
    }

    public String value(int field, int component) {
        return value(field, component, 1);
    }

    public String value(int field, int component, int subcomponent) {
        Hl7Field f = field(field);
        return f == null ? null : f.value(component, subcomponent);
    }

    /** The first repetition of a field, or null when the field is absent. */
    public Hl7Field field(int field) {
        List<Hl7Field> reps = repetitions(field);
        return reps.isEmpty() ? null : reps.get(0);
    }

    /** Every repetition of a field (empty list when absent). */
    public List<Hl7Field> repetitions(int field) {
        if (field < 1 || field > segment.numFields()) {
            return List.of();
        }
        try {
            Type[] types = segment.getField(field);
            List<Hl7Field> out = new ArrayList<>(types.length);
            for (Type t : types) {
                out.add(new Hl7Field(t));
            }
            return out;
        } catch (HL7Exception e) {
            return List.of();
        }
    }

    /** First repetition as text: components joined by '^', subcomponents by '&', trailing empties dropped. */
    public String text(int field) {
        Hl7Field f = field(field);
        return f == null ? null : f.text();
    }

    /** One repetition of a field, wrapping HAPI's generic type. */
    public static final class Hl7Field {
        private final Type type;

        Hl7Field(Type type) {
            this.type = type;
        }

        public String value(int component) {
            return value(component, 1);
        }

        public String value(int component, int subcomponent) {
            Type c = child(type, component);
            Type s = c == null ? null : child(c, subcomponent);
            return s == null ? null : primitive(s);
        }

        /** Number of components present. */
        public int componentCount() {
            Type t = unwrap(type);
            return t instanceof Composite comp ? comp.getComponents().length : 1;
        }

        public String text() {
            Type t = unwrap(type);
            if (t instanceof Composite comp) {
                List<String> parts = new ArrayList<>();
                for (Type c : comp.getComponents()) {
                    Type u = unwrap(c);
                    if (u instanceof Composite sub) {
                        List<String> subs = new ArrayList<>();
                        for (Type s : sub.getComponents()) {
                            subs.add(nullToEmpty(primitive(s)));
                        }
                        parts.add(trimTrailing(String.join("&", subs), '&'));
                    } else {
                        parts.add(nullToEmpty(primitive(u)));
                    }
                }
                return emptyToNull(trimTrailing(String.join("^", parts), '^'));
            }
            return primitive(t);
        }

        private static Type unwrap(Type t) {
            return t instanceof Varies v ? v.getData() : t;
        }

        private static Type child(Type t, int index) {
            Type u = unwrap(t);
            if (u instanceof Composite comp) {
                Type[] parts = comp.getComponents();
                return index >= 1 && index <= parts.length ? parts[index - 1] : null;
            }
            return index == 1 ? u : null;
        }

        private static String primitive(Type t) {
            Type u = unwrap(t);
            while (u instanceof Composite comp) {
                Type[] parts = comp.getComponents();
                if (parts.length == 0) {
                    return null;
                }
                u = unwrap(parts[0]);
            }
            if (u instanceof Primitive p) {
                return emptyToNull(formatting(p.getValue()));
            }
            return null;
        }
    }

    /**
     * HL7 formatting commands (2.7 section 2.7.6), which HAPI leaves in the unescaped value: {@code \.br\} and
     * {@code \.sp\} (line breaks) become CR LF, the others ({@code \.fi\ \.nf\ \.in\ \.ti\ \.sk\ \.ce\})
     * are dropped. A line break stays where the DICOM VR allows it (LT, ST, UT) and becomes a space elsewhere
     * (gateway-dicom). HAPI has turned the escape character back to a backslash by then.
     */
    static String formatting(String value) {
        if (value == null || value.indexOf("\\.") < 0) {
            return value;
        }
        return FORMATTING.matcher(value).replaceAll(m -> {
            String command = m.group(1).toLowerCase(java.util.Locale.ROOT);
            return command.startsWith("br") || command.startsWith("sp") ? "\r\n" : "";
        });
    }

    private static final java.util.regex.Pattern FORMATTING =
            java.util.regex.Pattern.compile("\\\\\\.((?:br|sp|fi|nf|in|ti|sk|ce)[ +\\-]?[0-9]*)\\\\",
                    java.util.regex.Pattern.CASE_INSENSITIVE);

    static String trimTrailing(String s, char sep) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == sep) {
            end--;
        }
        return s.substring(0, end);
    }

    static String emptyToNull(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() || t.equals("\"\"") ? null : t;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
