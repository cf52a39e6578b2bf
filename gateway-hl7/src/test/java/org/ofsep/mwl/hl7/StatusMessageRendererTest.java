package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.store.StatusEvent;

/** Status messages parsed back with HAPI's version-specific structures. */
class StatusMessageRendererTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T09:00:00Z"), ZoneId.of("Europe/Paris"));
    private final StatusEvent event = new StatusEvent(17, "PLC1", "FIL1", "ACC1", "SPS1", "PAT1", "CM",
            Instant.parse("2026-11-25T08:45:10Z"), 0);

    private Terser render(String type) throws Exception {
        return render(type, event);
    }

    private Terser render(String type, StatusEvent e) throws Exception {
        Hl7Settings settings = Hl7Settings.defaults().withRis(Hl7Settings.RisOutbound.to("ris", 2576, type));
        String text = new StatusMessageRenderer(settings, clock).render(e).text();
        Message message = new DefaultHapiContext().getPipeParser().parse(text);
        return new Terser(message);
    }

    @Test
    void ormO01InV231() throws Exception {
        Terser t = render("ORM^O01");
        assertThat(t.getSegment("/MSH").getMessage().getClass().getName()).endsWith("v231.message.ORM_O01");
        assertThat(t.get("/MSH-10")).isEqualTo("MWLST17");
        assertThat(t.get("/MSH-7")).isEqualTo("20261125100000");
        assertThat(t.get("/.PID-3")).isEqualTo("PAT1");
        assertThat(t.get("/.ORC-1")).isEqualTo("SC");
        assertThat(t.get("/.ORC-2")).isEqualTo("PLC1");
        assertThat(t.get("/.ORC-3")).isEqualTo("FIL1");
        assertThat(t.get("/.ORC-5")).isEqualTo("CM");
        assertThat(t.get("/.ORC-9")).isEqualTo("20261125094510");
        assertThat(t.get("/.OBR-18")).isEqualTo("ACC1");
        assertThat(t.get("/.OBR-20")).isEqualTo("SPS1");
    }

    /**
     * The fields a strict RIS requires besides the keys: PID-5 (the name, DICOM PN turned into XPN: prefix and
     * suffix swap places), PID-3.4, OBR-4, OBR-19, and OMI's IPC-2 and IPC-3. They were empty, and a RIS that
     * answered AE left the event FAILED for good (found by an independent review). SC: the step is scheduled again.
     */
    @Test
    void theMessageNamesThePatientTheProcedureAndTheStudy() throws Exception {
        StatusEvent detailed = new StatusEvent(18, "PLC1", "FIL1", "ACC1", "SPS1", "PAT1", "SC",
                Instant.parse("2026-11-25T08:45:10Z"), 0, new StatusEvent.Details("DUPRÉ^HÉLÈNE^MARIE^MME^", "HOSP",
                        "RP1", "1.2.250.1.59.7", new org.ofsep.mwl.core.domain.ProtocolCode("IRMSEP", "99RIS",
                        "IRM cérébrale SEP")));
        for (String type : new String[] {"ORM^O01", "OMI^O23"}) {
            Terser t = render(type, detailed);
            assertThat(t.get("/.PID-3-1")).as(type).isEqualTo("PAT1");
            assertThat(t.get("/.PID-3-4")).as(type).isEqualTo("HOSP");
            assertThat(t.get("/.PID-5-1")).as(type).isEqualTo("DUPRÉ");
            assertThat(t.get("/.PID-5-2")).as(type).isEqualTo("HÉLÈNE");
            assertThat(t.get("/.PID-5-3")).as(type).isEqualTo("MARIE");
            assertThat(t.get("/.PID-5-5")).as(type).isEqualTo("MME"); // XPN prefix is the 5th component
            assertThat(t.get("/.ORC-5")).as(type).isEqualTo("SC");
            assertThat(t.get("/.OBR-4-1")).as(type).isEqualTo("IRMSEP");
            assertThat(t.get("/.OBR-4-2")).as(type).isEqualTo("IRM cérébrale SEP");
            assertThat(t.get("/.OBR-4-3")).as(type).isEqualTo("99RIS");
            assertThat(t.get("/.OBR-19")).as(type).isEqualTo("RP1");
        }
        Terser omi = render("OMI^O23", detailed);
        assertThat(omi.get("/.IPC-2")).isEqualTo("RP1");
        assertThat(omi.get("/.IPC-3")).isEqualTo("1.2.250.1.59.7");
        assertThat(StatusMessageRenderer.xpn("O^BRIEN")).isEqualTo("O^BRIEN");
        assertThat(StatusMessageRenderer.xpn("A|B^C")).isEqualTo("A\\F\\B^C");
    }

    @Test
    void omgO19AndOmiO23InV251() throws Exception {
        Terser omg = render("OMG^O19");
        assertThat(omg.getSegment("/MSH").getMessage().getClass().getName()).endsWith("v251.message.OMG_O19");
        assertThat(omg.get("/.ORC-5")).isEqualTo("CM");
        assertThat(omg.get("/.OBR-18")).isEqualTo("ACC1");
        Terser omi = render("OMI^O23");
        assertThat(omi.getSegment("/MSH").getMessage().getClass().getName()).endsWith("v251.message.OMI_O23");
        assertThat(omi.get("/.ORC-1")).isEqualTo("SC");
        assertThat(omi.get("/.IPC-1")).isEqualTo("ACC1");
        assertThat(omi.get("/.IPC-4")).isEqualTo("SPS1");
    }
}
