package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.support.MllpClient.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.CliEndToEndTest.Result;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * {@code gateway compact} on a real gateway's data directory: refused while the gateway serves it, then, with the
 * gateway stopped, the store rewritten and checked; the gateway started again serves dcmtk's findscu the same
 * worklist, and the audit trail says who compacted.
 */
class CompactEndToEndTest {

    @TempDir
    Path work;

    private static List<String> worklist(Path work, TestGateway gw) throws Exception {
        String today = TestGateway.today();
        List<String> out = new ArrayList<>();
        for (Dcmtk.Response r : Dcmtk.worklist(work, "MR_GE", "MWLGW", gw.config.dicom.port, List.of("0008,0050",
                "0010,0010", "0010,0020", "(0040,0100)[0].0040,0002=" + today + "-" + today,
                "(0040,0100)[0].0040,0007", "(0040,0100)[0].(0040,0008)[0].0008,0100", "(0040,0100)[0].0032,1070",
                "0020,000D", "0010,2000"))) {
            // the dataset's lines, without findscu's own file meta information (a new instance UID per file)
            out.add(r.dump().lines().map(String::trim).filter(l -> l.startsWith("(") && !l.startsWith("(0002,"))
                    .sorted().reduce("", (a, b) -> a + b + "\n"));
        }
        out.sort(null);
        return out;
    }

    private static List<Path> kept(Path dataDir) throws Exception {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("gateway.mv.db.before-compact-")).toList();
        }
    }

    @Test
    void refusedWhileServedThenTheStoppedGatewaysStoreIsRewrittenAndServesTheSameWorklist() throws Exception {
        TestGateway gw = new TestGateway(work).start();
        try (gw) {
            assertThat(field(gw.send("/e2e/orm-latin1-routine.hl7", StandardCharsets.ISO_8859_1), "MSA", 1))
                    .isEqualTo("AA");
            assertThat(field(gw.send("/e2e/orm-utf8-diagnosis.hl7", StandardCharsets.UTF_8), "MSA", 1))
                    .isEqualTo("AA");
            assertThat(field(gw.send("/e2e/orm-knee.hl7", StandardCharsets.UTF_8), "MSA", 1)).isEqualTo("AA");
            List<String> before = worklist(work, gw);
            assertThat(before).hasSize(3);
            String[] dirs = {"--config", gw.configDir.toString(), "--data", gw.dataDir.toString()};

            // the gateway serves the store: compact refuses and touches nothing
            Result refused = CliEndToEndTest.run(Stream.concat(Stream.of("compact"), Stream.of(dirs))
                    .toArray(String[]::new));
            assertThat(refused.exit()).as(refused.out()).isEqualTo(1);
            assertThat(refused.err()).contains("another gateway serves the data directory").contains("stop it first");
            assertThat(kept(gw.dataDir)).isEmpty();

            gw.stop();
            Result done = CliEndToEndTest.run(Stream.concat(Stream.of("compact"), Stream.of(dirs))
                    .toArray(String[]::new));
            assertThat(done.exit()).as(done.err()).isZero();
            assertThat(done.out()).contains("gateway.mv.db rewritten: ").contains("checked against the original")
                    .contains("delete ");
            assertThat(kept(gw.dataDir)).hasSize(1);

            gw.start();
            assertThat(worklist(work, gw)).as("the same items, field for field").isEqualTo(before);
            // and it takes orders on the rewritten store
            assertThat(field(gw.send("/e2e/orm-review-egfr24.hl7", StandardCharsets.UTF_8), "MSA", 1))
                    .isEqualTo("AA");
            assertThat(worklist(work, gw)).hasSize(4);

            JsonNode trail = new ObjectMapper().readTree(CliEndToEndTest.run(Stream.concat(Stream.of("audit",
                    "--json"), Stream.of(dirs)).toArray(String[]::new)).out());
            List<JsonNode> compactions = new ArrayList<>();
            trail.forEach(e -> {
                if ("STORE_COMPACTED".equals(e.get("action").asText())) {
                    compactions.add(e);
                }
            });
            assertThat(compactions).hasSize(1);
            assertThat(compactions.get(0).get("user").asText()).startsWith("cli:");
            assertThat(compactions.get(0).get("detail").asText()).contains("rows in").contains("before-compact-");
        }
    }
}
