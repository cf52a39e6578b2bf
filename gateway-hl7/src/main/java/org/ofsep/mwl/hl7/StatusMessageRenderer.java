package org.ofsep.mwl.hl7;

import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.Escape;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.ofsep.mwl.core.store.StatusEvent;

/**
 * Renders a status change from the modality (MPPS IN PROGRESS / COMPLETED / DISCONTINUED) as the order status
 * message the RIS expects: ORM^O01 with ORC-1 = SC and ORC-5 = IP, CM or DC (IHE RAD "procedure status update"
 * practice), or the v2.5 equivalents OMG^O19 and OMI^O23 (with TQ1 and IPC, which OMI requires).
 *
 * <p>The control ID is derived from the queue id, so a message resent after a lost ACK carries the same MSH-10 and
 * the RIS can recognise the duplicate.
 */
public final class StatusMessageRenderer {

    private static final EncodingCharacters ENCODING = new EncodingCharacters('|', "^~\\&");
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final Hl7Settings settings;
    private final Clock clock;

    public StatusMessageRenderer(Hl7Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** A message ready to send. */
    public record Rendered(String controlId, String text, Charset charset) {
        public byte[] bytes() {
            return text.getBytes(charset);
        }
    }

    public static String controlId(StatusEvent event) {
        return "MWLST" + event.id();
    }

    public Rendered render(StatusEvent event) {
        Hl7Settings.RisOutbound ris = settings.ris();
        String type = ris.messageType();
        String version = ris.version();
        boolean v23 = version.equals("2.3") || version.equals("2.3.1");
        String structure = type.replace('^', '_');
        String msh9 = v23 ? type : type + "^" + structure;
        String controlId = controlId(event);
        String occurred = LocalDateTime.ofInstant(event.occurredAt(), zone()).format(TS);

        StatusEvent.Details d = event.details();
        StringBuilder body = new StringBuilder(256);
        // PID-3 with its assigning authority (PID-3.4), PID-5 the name (HL7 marks it required; events queued before
        // V16 have no details and are sent as before)
        String pid3 = esc(event.patientId()) + (d == null || d.issuerOfPatientId() == null ? ""
                : "^^^" + esc(d.issuerOfPatientId()));
        body.append(segment("PID", 1, "1", 3, pid3, 5, d == null ? "" : xpn(d.patientName())));
        body.append(segment("ORC", 1, "SC", 2, esc(event.placerOrderNumber()), 3, esc(event.fillerOrderNumber()),
                5, esc(event.status()), 9, occurred));
        if (type.equals("OMI^O23")) {
            body.append(segment("TQ1", 1, "1"));
        }
        // OBR-4 the procedure, OBR-18 accession, OBR-19 Requested Procedure ID, OBR-20 scheduled procedure step ID
        // (IHE positions)
        body.append(segment("OBR", 1, "1", 2, esc(event.placerOrderNumber()), 3, esc(event.fillerOrderNumber()),
                4, d == null ? "" : code(d.procedureCode()), 18, esc(event.accessionNumber()),
                19, d == null ? "" : esc(d.requestedProcedureId()), 20, esc(event.spsId())));
        if (type.equals("OMI^O23")) {
            // IPC-1 accession, IPC-2 Requested Procedure ID, IPC-3 Study Instance UID, IPC-4 SPS ID (all required)
            body.append(segment("IPC", 1, esc(event.accessionNumber()), 2,
                    d == null ? "" : esc(d.requestedProcedureId()), 3, d == null ? "" : esc(d.studyInstanceUid()),
                    4, esc(event.spsId())));
        }
        String content = body.toString();
        boolean ascii = StandardCharsets.US_ASCII.newEncoder().canEncode(content);
        Charset charset = ascii ? StandardCharsets.US_ASCII : StandardCharsets.UTF_8;

        StringBuilder msg = new StringBuilder(content.length() + 128);
        msg.append("MSH|^~\\&|").append(esc(settings.application())).append('|').append(esc(settings.facility()))
                .append('|').append(esc(ris.receivingApplication())).append('|').append(esc(ris.receivingFacility()))
                .append('|').append(LocalDateTime.now(clock).format(TS)).append("||").append(msh9).append('|')
                .append(controlId).append("|P|").append(version);
        if (!ascii) {
            msg.append("||||||").append(Hl7Charsets.msh18For(charset));
        }
        msg.append('\r').append(content);
        return new Rendered(controlId, msg.toString(), charset);
    }

    /** A segment from (position, value) pairs, e.g. segment("ORC", 1, "SC", 5, "CM"); ends with CR. */
    static String segment(String name, Object... positionsAndValues) {
        java.util.TreeMap<Integer, String> fields = new java.util.TreeMap<>();
        for (int i = 0; i < positionsAndValues.length; i += 2) {
            fields.put((Integer) positionsAndValues[i], (String) positionsAndValues[i + 1]);
        }
        StringBuilder seg = new StringBuilder(name);
        int last = fields.isEmpty() ? 0 : fields.lastKey();
        for (int n = 1; n <= last; n++) {
            seg.append('|').append(fields.getOrDefault(n, ""));
        }
        return seg.append('\r').toString();
    }

    /**
     * A DICOM person name (family^given^middle^prefix^suffix, as the worklist holds it) as an HL7 XPN
     * (family^given^middle^suffix^prefix), each component escaped.
     */
    static String xpn(String pn) {
        if (pn == null || pn.isBlank()) {
            return "";
        }
        String[] c = pn.split("=", 2)[0].split("\\^", -1);
        String[] x = new String[5];
        for (int i = 0; i < 5; i++) {
            x[i] = i < c.length ? c[i] : "";
        }
        String out = String.join("^", esc(x[0]), esc(x[1]), esc(x[2]), esc(x[4]), esc(x[3]));
        return out.replaceAll("\\^+$", "");
    }

    /** A code as OBR-4 (identifier^text^coding system). */
    private static String code(org.ofsep.mwl.core.domain.ProtocolCode c) {
        if (c == null || c.value() == null) {
            return "";
        }
        return (esc(c.value()) + "^" + esc(c.meaning()) + "^" + esc(c.scheme())).replaceAll("\\^+$", "");
    }

    private ZoneId zone() {
        return clock.getZone();
    }

    private static String esc(String value) {
        return value == null ? "" : Escape.escape(value, ENCODING);
    }
}
