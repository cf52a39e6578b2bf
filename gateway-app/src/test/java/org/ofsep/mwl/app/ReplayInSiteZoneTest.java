package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.app.support.MllpClient;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * {@code gateway replay} applies a kept message as serve does, in the site's time zone (gateway.yaml
 * {@code timeZone}), not in the time zone of the machine the command runs on: a scheduled time sent with an
 * offset becomes the same local time on the worklist either way.
 */
class ReplayInSiteZoneTest {

    @Test
    void aReplayedOrderGetsTheSiteLocalTimeOfAnOffsetTime(@TempDir Path work) throws Exception {
        // a site zone that is not this machine's (and without daylight saving time)
        ZoneId site = ZoneId.of(ZoneId.systemDefault().getRules().getOffset(java.time.Instant.now()).getTotalSeconds()
                == 9 * 3600 ? "America/Bogota" : "Asia/Tokyo");
        TestGateway gw = new TestGateway(work).siteTimeZone(site);
        // the mapping refuses the order's station at first (below 1.5 T): the message is kept for replay
        Path mappingFile = gw.configDir.resolve("mapping.yaml");
        String goodMapping = Files.readString(mappingFile);
        Files.writeString(mappingFile, goodMapping.replaceFirst(
                "(aeTitle: MR_CANON[\\s\\S]*?fieldStrengthTesla: )1\\.5", "$11.0"));

        LocalDate day = LocalDate.now(site).plusDays(1);
        String order = OrderTemplate.fill(Files.readString(Path.of("../scripts/demo/04-new-dmt.hl7")), day, 7)
                .replace(day.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE) + "0930",
                        day.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE) + "0930+0000");
        assertThat(order).contains("0930+0000");
        String id;
        try {
            gw.start();
            try (MllpClient ris = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
                assertThat(ris.send(order, StandardCharsets.UTF_8)).contains("MSA|AE");
            }
            id = String.valueOf(gw.gateway().messageLog.failed(10).stream()
                    .filter(m -> m.controlId().equals("DEMO-0004-7")).findFirst().orElseThrow().id());
        } finally {
            gw.stop();
        }

        Files.writeString(mappingFile, goodMapping);
        CliEndToEndTest.Result replay = CliEndToEndTest.run("replay", id, "--config", gw.configDir.toString(),
                "--data", gw.dataDir.toString());
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("replayed: AA");
        // the same message again: accepted already, it is not applied again, and the command says so (it printed
        // "replayed: AA" and an admin believed the steps decided again with the fixed mapping)
        CliEndToEndTest.Result again = CliEndToEndTest.run("replay", id, "--config", gw.configDir.toString(),
                "--data", gw.dataDir.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("not applied again: it was already accepted (AA)").doesNotContain("replayed");

        LocalDateTime expected = day.atTime(9, 30).atOffset(ZoneOffset.UTC).atZoneSameInstant(site).toLocalDateTime();
        try (Gateway gateway = Gateway.open(gw.config, gw.configDir, gw.dataDir)) {
            List<WorklistItem> items = gateway.worklist().findByAccession("DA04-7");
            assertThat(items).isNotEmpty();
            assertThat(items).allSatisfy(i -> assertThat(i.scheduledStart()).isEqualTo(expected));
        }
    }
}
