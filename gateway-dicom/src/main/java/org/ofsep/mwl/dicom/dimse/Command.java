package org.ofsep.mwl.dicom.dimse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A DIMSE command set (group 0000, PS3.7 E.1). Always encoded in Implicit VR Little Endian with the Command
 * Group Length first, whatever the presentation context's transfer syntax (PS3.7 6.3.1). The command
 * dictionary is small and fixed, so its VRs are known here; unknown group-0000 elements are kept as raw bytes.
 */
public final class Command {

    public static final int COMMAND_GROUP_LENGTH = 0x00000000;
    public static final int AFFECTED_SOP_CLASS_UID = 0x00000002;
    public static final int REQUESTED_SOP_CLASS_UID = 0x00000003;
    public static final int COMMAND_FIELD = 0x00000100;
    public static final int MESSAGE_ID = 0x00000110;
    public static final int MESSAGE_ID_BEING_RESPONDED_TO = 0x00000120;
    public static final int MOVE_DESTINATION = 0x00000600;
    public static final int PRIORITY = 0x00000700;
    public static final int COMMAND_DATA_SET_TYPE = 0x00000800;
    public static final int STATUS = 0x00000900;
    public static final int OFFENDING_ELEMENT = 0x00000901;
    public static final int ERROR_COMMENT = 0x00000902;
    public static final int ERROR_ID = 0x00000903;
    public static final int AFFECTED_SOP_INSTANCE_UID = 0x00001000;
    public static final int REQUESTED_SOP_INSTANCE_UID = 0x00001001;
    public static final int EVENT_TYPE_ID = 0x00001002;
    public static final int ATTRIBUTE_IDENTIFIER_LIST = 0x00001005;
    public static final int ACTION_TYPE_ID = 0x00001008;

    /** Command Data Set Type value meaning "no data set" (PS3.7 E.1); any other value means one follows. */
    public static final int NO_DATA_SET = 0x0101;
    public static final int DATA_SET_PRESENT = 0x0001;

    private enum Kind { US, UL, UI, AE, LO, AT }

    private static final Map<Integer, Kind> KINDS = Map.ofEntries(
            Map.entry(COMMAND_GROUP_LENGTH, Kind.UL),
            Map.entry(AFFECTED_SOP_CLASS_UID, Kind.UI),
            Map.entry(REQUESTED_SOP_CLASS_UID, Kind.UI),
            Map.entry(COMMAND_FIELD, Kind.US),
            Map.entry(MESSAGE_ID, Kind.US),
            Map.entry(MESSAGE_ID_BEING_RESPONDED_TO, Kind.US),
            Map.entry(MOVE_DESTINATION, Kind.AE),
            Map.entry(PRIORITY, Kind.US),
            Map.entry(COMMAND_DATA_SET_TYPE, Kind.US),
            Map.entry(STATUS, Kind.US),
            Map.entry(OFFENDING_ELEMENT, Kind.AT),
            Map.entry(ERROR_COMMENT, Kind.LO),
            Map.entry(ERROR_ID, Kind.US),
            Map.entry(AFFECTED_SOP_INSTANCE_UID, Kind.UI),
            Map.entry(REQUESTED_SOP_INSTANCE_UID, Kind.UI),
            Map.entry(EVENT_TYPE_ID, Kind.US),
            Map.entry(ATTRIBUTE_IDENTIFIER_LIST, Kind.AT),
            Map.entry(ACTION_TYPE_ID, Kind.US),
            Map.entry(0x00001020, Kind.US), Map.entry(0x00001021, Kind.US),
            Map.entry(0x00001022, Kind.US), Map.entry(0x00001023, Kind.US),
            Map.entry(0x00001030, Kind.AE), Map.entry(0x00001031, Kind.US));

    /** Values: Integer (US, UL), String (UI, AE, LO), int[] (AT, as tags), byte[] (unknown elements). */
    private final TreeMap<Integer, Object> elements = new TreeMap<>(Integer::compareUnsigned);

    /** The last {@link #encode()} result, until the next change: one command can be sent many times. */
    private byte[] encoded;

    public Command set(int tag, Object value) {
        Object old = value == null ? elements.remove(tag) : elements.put(tag, value);
        if (!(old instanceof Integer || old instanceof String) || !old.equals(value)) {
            encoded = null; // arrays may have changed in place: always a change
        }
        return this;
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    public int getInt(int tag, int defaultValue) {
        return elements.get(tag) instanceof Integer i ? i : defaultValue;
    }

    public String getString(int tag) {
        return elements.get(tag) instanceof String s ? s : null;
    }

    public int[] getTags(int tag) {
        return elements.get(tag) instanceof int[] t ? t.clone() : null;
    }

    public int commandField() {
        return getInt(COMMAND_FIELD, -1);
    }

    public int messageId() {
        return getInt(MESSAGE_ID, -1);
    }

    public int messageIdBeingRespondedTo() {
        return getInt(MESSAGE_ID_BEING_RESPONDED_TO, -1);
    }

    public int status() {
        return getInt(STATUS, -1);
    }

    public boolean hasDataSet() {
        return getInt(COMMAND_DATA_SET_TYPE, NO_DATA_SET) != NO_DATA_SET;
    }

    /** The SOP Class UID the command is about: the affected one, else the requested one. */
    public String sopClassUid() {
        String a = getString(AFFECTED_SOP_CLASS_UID);
        return a != null ? a : getString(REQUESTED_SOP_CLASS_UID);
    }

    /** Encodes in Implicit VR Little Endian, Command Group Length computed. */
    public byte[] encode() {
        if (encoded == null) {
            encoded = encodeNow();
        }
        return encoded.clone();
    }

    private byte[] encodeNow() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<Integer, Object> e : elements.entrySet()) {
            if (e.getKey() != COMMAND_GROUP_LENGTH) {
                element(body, e.getKey(), valueBytes(e.getKey(), e.getValue()));
            }
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream(body.size() + 12);
        element(all, COMMAND_GROUP_LENGTH, le32(body.size()));
        all.writeBytes(body.toByteArray());
        return all.toByteArray();
    }

    public static Command decode(byte[] b) throws DimseFormatException {
        Command c = new Command();
        int pos = 0;
        while (pos < b.length) {
            if (b.length - pos < 8) {
                throw new DimseFormatException("truncated command element at offset " + pos);
            }
            int group = u16(b, pos);
            int elem = u16(b, pos + 2);
            long len = u32(b, pos + 4);
            pos += 8;
            if (group != 0x0000) {
                throw new DimseFormatException(String.format("element (%04X,%04X) outside group 0000 in a command set", group, elem));
            }
            if (len > b.length - pos) {
                throw new DimseFormatException(String.format("command element (0000,%04X) length %d exceeds the command set", elem, len));
            }
            int tag = elem;
            byte[] v = Arrays.copyOfRange(b, pos, pos + (int) len);
            pos += (int) len;
            Kind kind = KINDS.get(tag);
            if (kind == null) {
                c.elements.put(tag, v);
                continue;
            }
            switch (kind) {
                case US -> {
                    if (v.length != 2) {
                        throw new DimseFormatException(String.format("US element (0000,%04X) of length %d", elem, v.length));
                    }
                    c.elements.put(tag, u16(v, 0));
                }
                case UL -> {
                    if (v.length != 4) {
                        throw new DimseFormatException(String.format("UL element (0000,%04X) of length %d", elem, v.length));
                    }
                    c.elements.put(tag, (int) u32(v, 0));
                }
                case AT -> {
                    if (v.length % 4 != 0) {
                        throw new DimseFormatException(String.format("AT element (0000,%04X) of length %d", elem, v.length));
                    }
                    int[] tags = new int[v.length / 4];
                    for (int i = 0; i < tags.length; i++) {
                        tags[i] = (u16(v, i * 4) << 16) | u16(v, i * 4 + 2);
                    }
                    c.elements.put(tag, tags);
                }
                default -> c.elements.put(tag, trim(new String(v, StandardCharsets.US_ASCII)));
            }
        }
        if (!c.contains(COMMAND_FIELD)) {
            throw new DimseFormatException("command set without Command Field (0000,0100)");
        }
        return c;
    }

    private static String trim(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        return s.substring(start, end);
    }

    private static byte[] valueBytes(int tag, Object value) {
        if (value instanceof byte[] raw) {
            return raw;
        }
        Kind kind = KINDS.getOrDefault(tag, Kind.LO);
        return switch (kind) {
            case US -> new byte[] {(byte) (int) (Integer) value, (byte) (((Integer) value) >>> 8)};
            case UL -> le32((Integer) value);
            case AT -> {
                int[] tags = (int[]) value;
                byte[] out = new byte[tags.length * 4];
                for (int i = 0; i < tags.length; i++) {
                    int g = tags[i] >>> 16;
                    int e = tags[i] & 0xFFFF;
                    out[i * 4] = (byte) g;
                    out[i * 4 + 1] = (byte) (g >>> 8);
                    out[i * 4 + 2] = (byte) e;
                    out[i * 4 + 3] = (byte) (e >>> 8);
                }
                yield out;
            }
            case UI -> pad(((String) value).getBytes(StandardCharsets.US_ASCII), (byte) 0);
            default -> pad(((String) value).getBytes(StandardCharsets.US_ASCII), (byte) ' ');
        };
    }

    private static byte[] pad(byte[] v, byte with) {
        if (v.length % 2 == 0) {
            return v;
        }
        byte[] out = Arrays.copyOf(v, v.length + 1);
        out[v.length] = with;
        return out;
    }

    private static void element(ByteArrayOutputStream out, int tag, byte[] value) {
        out.write(0);
        out.write(0);
        out.write(tag & 0xFF);
        out.write((tag >>> 8) & 0xFF);
        out.writeBytes(le32(value.length));
        out.writeBytes(value);
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xFFL) | ((b[p + 1] & 0xFFL) << 8) | ((b[p + 2] & 0xFFL) << 16) | ((b[p + 3] & 0xFFL) << 24);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(CommandField.name(commandField())).append('{');
        elements.forEach((tag, v) -> {
            if (tag != COMMAND_FIELD && tag != COMMAND_GROUP_LENGTH) {
                sb.append(String.format(" (0000,%04X)=", tag));
                if (v instanceof int[] t) {
                    sb.append(Arrays.toString(t));
                } else if (v instanceof byte[] r) {
                    sb.append(r.length).append(" bytes");
                } else if (v instanceof Integer i) {
                    sb.append(String.format("0x%04X", i));
                } else {
                    sb.append(v);
                }
            }
        });
        return sb.append(" }").toString();
    }

    // ---- builders for the messages this gateway sends --------------------------------------------------------

    /** A response to {@code request}: same SOP class, Message ID Being Responded To, status, data set flag. */
    public static Command response(Command request, int status, boolean withDataSet) {
        Command c = new Command();
        String sopClass = request.sopClassUid();
        c.set(AFFECTED_SOP_CLASS_UID, sopClass);
        c.set(COMMAND_FIELD, CommandField.responseOf(request.commandField()));
        c.set(MESSAGE_ID_BEING_RESPONDED_TO, request.messageId());
        c.set(COMMAND_DATA_SET_TYPE, withDataSet ? DATA_SET_PRESENT : NO_DATA_SET);
        c.set(STATUS, status);
        return c;
    }

    public static Command request(int commandField, String sopClassUid, int messageId, boolean withDataSet) {
        Command c = new Command();
        c.set(commandField == CommandField.N_SET_RQ ? REQUESTED_SOP_CLASS_UID : AFFECTED_SOP_CLASS_UID, sopClassUid);
        c.set(COMMAND_FIELD, commandField);
        c.set(MESSAGE_ID, messageId);
        c.set(COMMAND_DATA_SET_TYPE, withDataSet ? DATA_SET_PRESENT : NO_DATA_SET);
        return c;
    }
}
