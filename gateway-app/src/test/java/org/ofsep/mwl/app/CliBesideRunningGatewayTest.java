package org.ofsep.mwl.app;

import org.ofsep.mwl.app.support.MppsMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ofsep.mwl.app.support.MllpClient.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.CliProcess;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.MllpClient;
import org.ofsep.mwl.app.support.TestGateway;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.UID;
import org.ofsep.mwl.dicom.data.VR;
import org.ofsep.mwl.dicom.scu.DicomClient;

/**
 * Every store-reading CLI command (export, export --wl, report gd, messages, messages --show, audit, user list,
 * decide with the exam history, replay) run in its own process beside a gateway that serves on the embedded H2 store (H2's
 * automatic mixed mode), while the gateway keeps answering the RIS and the consoles; then the same commands with
 * the gateway stopped give the same answers.
 */
class CliBesideRunningGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void storeCommandsRunBesideTheServingGatewayWithTheSameResults(@TempDir Path work) throws Exception {
        TestGateway gw = new TestGateway(work);
        String config = gw.configDir.toString();
        String data = gw.dataDir.toString();
        Path mappingFile = gw.configDir.resolve("mapping.yaml");
        String goodMapping = Files.readString(mappingFile);
        Path canonOrder = work.resolve("canon.hl7");
        Files.writeString(canonOrder, OrderTemplate.fill(Files.readString(Path.of("../scripts/demo/04-new-dmt.hl7")),
                LocalDate.now(), 42));
        Map<String, String> stopped;
        Map<String, String> beside;
        String replayId;
        try {
            gw.start();
            // data: two accepted orders, one refused (no PID-3), an exam performed and completed (Gd report)
            gw.send("/e2e/orm-latin1-routine.hl7", StandardCharsets.ISO_8859_1);
            gw.send("/e2e/orm-utf8-diagnosis.hl7", StandardCharsets.UTF_8);
            gw.send("/e2e/orm-missing-pid3.hl7", StandardCharsets.US_ASCII);
            complete(gw, gw.gateway().worklist().findByAccession("ACC1002").get(0));
            // an order the mapping refuses (its station below 1.5 T); fixed afterwards, then replayed
            Files.writeString(mappingFile, goodMapping.replaceFirst(
                    "(aeTitle: MR_CANON[\\s\\S]*?fieldStrengthTesla: )1\\.5", "$11.0"));
            awaitMappingReload(gw, 1);
            try (MllpClient ris = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
                assertThat(field(ris.send(Files.readString(canonOrder), StandardCharsets.UTF_8), "MSA", 1))
                        .isEqualTo("AE");
            }

            // a second gateway on the same data directory is refused (the store is shared with commands only)
            TestGateway second = new TestGateway(work.resolve("second"));
            assertThatThrownBy(() -> Gateway.start(second.config, second.configDir, gw.dataDir))
                    .hasMessageContaining("another gateway serves the data directory")
                    .hasMessageContaining("process " + ProcessHandle.current().pid());

            // the store is served to the commands on loopback only, its key readable by the data directory's owner
            Path storeFile = gw.dataDir.resolve("gateway.store");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(storeFile))).isEqualTo("rw-------");
            Properties store = new Properties();
            store.load(new java.io.StringReader(Files.readString(storeFile)));
            int storePort = Integer.parseInt(store.getProperty("port"));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), storePort), 2000);
            }
            for (InetAddress address : nonLoopbackAddresses()) {
                try (Socket s = new Socket()) {
                    assertThatThrownBy(() -> s.connect(new InetSocketAddress(address, storePort), 2000))
                            .as("the store's port must not answer on " + address).isInstanceOf(java.io.IOException.class);
                }
            }

            // the refused order, as an admin finds it while the gateway serves
            String failed = ok(work, "messages", "--failed", "--config", config, "--data", data).out();
            assertThat(failed).contains("MSG-E2E-0005").contains("DEMO-0004-42").doesNotContain("MSG-E2E-0001");
            replayId = failed.lines().filter(l -> l.contains("DEMO-0004-42")).findFirst().orElseThrow()
                    .trim().split("\\s+")[0];

            // the fixed mapping: the running gateway reloads it, and replay (another process) applies the order
            Files.writeString(mappingFile, goodMapping);
            awaitMappingReload(gw, 0);
            CliProcess.Result replay = CliProcess.run(work, "replay", replayId, "--config", config, "--data", data);
            assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
            assertThat(replay.out()).contains("message " + replayId + " replayed: AA");
            // the answer the RIS first got, which the log's row no longer holds, is in the output and the audit trail
            assertThat(replay.out()).contains("(first answered AE");
            // the running gateway serves what the command wrote, and still takes orders
            assertThat(Dcmtk.worklist(work, "MR_CANON", "MWLGW", gw.config.dicom.port,
                    List.of("0008,0050=DA04-42", "0010,0010"))).extracting(r -> r.get("0010,0010"))
                    .containsExactly("PETIT^HUGO");
            Path knee = work.resolve("knee.hl7");
            Files.writeString(knee, TestGateway.message("/e2e/orm-knee.hl7"));
            try (MllpClient ris = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
                assertThat(field(ris.send(Files.readString(knee), StandardCharsets.UTF_8), "MSA", 1))
                        .isEqualTo("AA");
            }
            // every store-reading command, each in its own process, while the gateway serves
            beside = readCommands(work, config, data);
            // the active worklist: ACC1001, the replayed Canon order, the knee order sent meanwhile (ACC1002 is
            // completed: an exam of the history)
            JsonNode export = JSON.readTree(beside.get("export"));
            assertThat(export.get("worklist")).hasSize(3);
            assertThat(export.get("history").toString()).contains("ACC1002");
            assertThat(beside.get("wl")).startsWith("3 file(s)").contains("PETIT^HUGO");
            assertThat(JSON.readTree(beside.get("report")).get("exams").asInt()).isEqualTo(1);
            assertThat(beside.get("reportText")).contains("Gd injections given         1");
            assertThat(beside.get("messages")).contains("MSG-E2E-0001").contains("MSG-E2E-0005");
            assertThat(beside.get("failed")).contains("MSG-E2E-0005").doesNotContain("MSG-E2E-0001");
            assertThat(beside.get("show")).contains("DEMO-0004-42").contains("--- ACK AA");
            // the audit trail holds the two mapping reloads of the running gateway
            assertThat(beside.get("audit")).containsIgnoringCase("mapping");
            // decide reads the exam history: the completed FULL exam of ACC1002 is the patient's comparable prior
            assertThat(beside.get("decide")).contains("\"rule\" : \"ROUTINE_FOLLOW_UP\"");
        } finally {
            gw.stop();
        }
        assertThat(gw.dataDir.resolve("gateway.store")).doesNotExist();

        // gateway stopped: the same commands give the same answers
        stopped = readCommands(work, config, data);
        assertThat(stopped.keySet()).isEqualTo(beside.keySet());
        for (String command : beside.keySet()) {
            if (command.equals("export") || command.equals("report") || command.equals("audit")) {
                // JSON: the same document (the order of an object's fields, e.g. vendorCodes, may differ by JVM)
                assertThat(JSON.readTree(stopped.get(command))).as(command).isEqualTo(JSON.readTree(beside.get(command)));
            } else {
                assertThat(stopped.get(command)).as(command).isEqualTo(beside.get(command));
            }
        }
    }

    /** The outputs of every store-reading command, each run in its own process; export without its timestamp. */
    private static Map<String, String> readCommands(Path work, String config, String data) throws Exception {
        Map<String, String> outputs = new LinkedHashMap<>();
        CliProcess.Result export = ok(work, "export", "--config", config, "--data", data);
        ObjectNode exported = (ObjectNode) JSON.readTree(export.out());
        exported.remove("exportedAt");
        outputs.put("export", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(exported));
        Path wl = Files.createTempDirectory(work, "wl");
        ok(work, "export", "--wl", wl.toString(), "--config", config, "--data", data);
        try (Stream<Path> files = Files.list(wl.resolve("MWLGW"))) {
            List<Path> written = files.filter(p -> p.toString().endsWith(".wl")).sorted().toList();
            StringBuilder names = new StringBuilder(written.size() + " file(s)");
            for (Path f : written) {
                names.append('\n').append(f.getFileName()).append(' ').append(Dcmtk.dump(work, f).get("0010,0010"));
            }
            outputs.put("wl", names.toString());
        }
        outputs.put("report", ok(work, "report", "gd", "--json", "--reveal", "--config", config, "--data", data).out());
        outputs.put("reportText", ok(work, "report", "gd", "--config", config, "--data", data).out());
        outputs.put("messages", ok(work, "messages", "--config", config, "--data", data).out());
        outputs.put("audit", ok(work, "audit", "--json", "--config", config, "--data", data).out());
        outputs.put("users", ok(work, "user", "list", "--config", config, "--data", data).out());
        String failed = ok(work, "messages", "--failed", "--config", config, "--data", data).out();
        outputs.put("failed", failed);
        String canon = ok(work, "messages", "--limit", "100", "--config", config, "--data", data).out().lines()
                .filter(l -> l.contains("DEMO-0004-42")).findFirst().orElse(null);
        if (canon != null) {
            outputs.put("show", ok(work, "messages", "--show", canon.trim().split("\\s+")[0], "--config", config,
                    "--data", data).out());
        }
        Path followUp = work.resolve("follow-up.hl7");
        if (!Files.exists(followUp)) {
            // the patient of ACC1002 again, as a follow-up without a prior named in the order
            Files.writeString(followUp, TestGateway.message("/e2e/orm-followup-no-prior.hl7")
                    .replace("PAT2001", "PAT1002").replace("{{ID}}", "MSG-FU").replace("{{PLACER}}", "PLCFU")
                    .replace("{{ACC}}", "ACCFU"));
        }
        outputs.put("decide", ok(work, "decide", followUp.toString(), "--config", config, "--data", data).out());
        return outputs;
    }

    private static CliProcess.Result ok(Path work, String... args) throws Exception {
        CliProcess.Result r = CliProcess.run(work, args);
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.out() + r.err()).isZero();
        return r;
    }

    private static void awaitMappingReload(TestGateway gw, int errors) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            var mapping = gw.gateway().mapping().current();
            boolean lowCanon = mapping.station("MR_CANON").map(s -> s.fieldStrengthTesla() < 1.5).orElse(false);
            if (lowCanon == (errors == 1)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the gateway did not reload the mapping");
    }

    /** The console performs and completes the step (MPPS N-CREATE then N-SET COMPLETED). */
    private static void complete(TestGateway gw, WorklistItem item) throws Exception {
        String today = LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE);
        String mppsUid = "2.25.19" + System.nanoTime();
        try (DicomClient console = DicomClient.connect("127.0.0.1", gw.config.dicom.port, "MR_PHILIPS", "MWLGW",
                List.of(UID.MODALITY_PERFORMED_PROCEDURE_STEP), DicomClient.Options.defaults())) {
            Attributes a = MppsMessages.withFullGdProtocol(MppsMessages.inProgress(item, "MR_PHILIPS", LocalDate.now(),
                    "090000"));
            assertThat(console.nCreate(UID.MODALITY_PERFORMED_PROCEDURE_STEP, mppsUid, a).status()).isZero();
            Attributes done = new Attributes();
            done.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
            done.setString(Tag.PerformedProcedureStepEndDate, VR.DA, today);
            done.setString(Tag.PerformedProcedureStepEndTime, VR.TM, "093000");
            assertThat(console.nSet(UID.MODALITY_PERFORMED_PROCEDURE_STEP, mppsUid, done).status()).isZero();
            console.release();
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws Exception {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress())
                .toList();
    }
}
