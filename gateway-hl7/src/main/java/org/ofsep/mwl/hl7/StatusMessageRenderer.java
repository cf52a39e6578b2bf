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

        StringBuilder body = new StringBuilder(256);
        body.append(segment("PID", 1, "1", 3, esc(event.patientId())));
        body.append(segment("ORC", 1, "SC", 2, esc(event.placerOrderNumber()), 3, esc(event.fillerOrderNumber()),
                5, esc(event.status()), 9, occurred));
        if (type.equals("OMI^O23")) {
            body.append(segment("TQ1", 1, "1"));
        }
        // OBR-18 accession, OBR-20 scheduled procedure step ID (IHE positions); OBR-4 is not known here
        body.append(segment("OBR", 1, "1", 2, esc(event.placerOrderNumber()), 3, esc(event.fillerOrderNumber()),
                18, esc(event.accessionNumber()), 20, esc(event.spsId())));
        if (type.equals("OMI^O23")) {
            body.append(segment("IPC", 1, esc(event.accessionNumber()), 4, esc(event.spsId())));
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

    private ZoneId zone() {
        return clock.getZone();
    }

    private static String esc(String value) {
        return value == null ? "" : Escape.escape(value, ENCODING);
    }
}
