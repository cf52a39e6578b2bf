package org.ofsep.mwl.dicom.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.DicomFile;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.TransferSyntax;
import org.ofsep.mwl.dicom.data.UID;
import org.ofsep.mwl.dicom.mwl.Items;

class WorklistFileWriterTest {

    @TempDir
    Path dir;

    private final WorklistFileWriter writer = new WorklistFileWriter();
    private final Station siemens = Items.station(Vendor.SIEMENS, "MR_SIEMENS", false);

    @Test
    void writesAPart10FileWithTheWorklistMeta() throws Exception {
        Path f = writer.write(Items.dupre("ISO_IR 100"), siemens, dir);
        assertThat(f.getFileName().toString()).isEqualTo("SPS1.wl");
        byte[] bytes = Files.readAllBytes(f);
        assertThat(new String(bytes, 128, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("DICM");
        for (int i = 0; i < 128; i++) {
            assertThat(bytes[i]).isZero();
        }
        DicomFile file = DicomFile.read(f);
        assertThat(file.fileMeta().getString(Tag.MediaStorageSOPClassUID)).isEqualTo(UID.MODALITY_WORKLIST_FIND);
        assertThat(file.fileMeta().getString(Tag.TransferSyntaxUID)).isEqualTo(UID.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(file.fileMeta().getString(Tag.MediaStorageSOPInstanceUID)).startsWith("2.25.")
                .isEqualTo(writer.toFile(Items.dupre("ISO_IR 100"), siemens).fileMeta()
                        .getString(Tag.MediaStorageSOPInstanceUID)); // stable on re-export
        assertThat(file.fileMeta().getInt(Tag.FileMetaInformationGroupLength, 0)).isPositive();
        assertThat(file.transferSyntax()).isEqualTo(TransferSyntax.EXPLICIT_VR_LE);
        Attributes ds = file.dataset();
        assertThat(ds.getString(Tag.SpecificCharacterSet)).isEqualTo("ISO_IR 100");
        assertThat(ds.getString(Tag.PatientName)).isEqualTo("DUPRÉ^HÉLÈNE");
        assertThat(ds.getItem(Tag.ScheduledProcedureStepSequence, 0).getSequence(Tag.ScheduledProtocolCodeSequence))
                .extracting(c -> c.getString(Tag.CodeValue)).containsExactly("SEP_FULL_GD", "OFSEP-FULL-GD");
    }

    @Test
    void exportAllMirrorsTheWorklist() throws Exception {
        Path out = WorklistFileWriter.wlmscpfsDirectory(dir, "MWLGW");
        Files.writeString(out.resolve("OLD.wl"), "stale");
        WorklistItem a = Items.dupre(null);
        WorklistItem b = Items.item("SPS7", "PAT7", "X^Y", LocalDateTime.of(2026, 11, 27, 8, 0), "MR_GE", null);
        java.util.Map<String, Station> stations = java.util.Map.of("MR_SIEMENS", siemens);
        assertThat(writer.exportAll(List.of(a, b), stations::get, out)).hasSize(2);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("SPS1.wl", "SPS7.wl", "lockfile");
        }
        // MR_GE is not in the station map: default codes only
        assertThat(DicomFile.read(out.resolve("SPS7.wl")).dataset().getItem(Tag.ScheduledProcedureStepSequence, 0)
                .getSequence(Tag.ScheduledProtocolCodeSequence)).extracting(c -> c.getString(Tag.CodeValue))
                .containsExactly("OFSEP-FULL-GD");
    }

    @Test
    void fileNamesAreSafe() {
        WorklistItem item = Items.item("A/B\\C D", "P", "X^Y", LocalDateTime.of(2026, 1, 1, 8, 0), "MR_GE", null);
        assertThat(WorklistFileWriter.fileName(item)).isEqualTo("A_B_C_D.wl");
    }

    /**
     * The real proof: dcmtk's worklist SCP (wlmscpfs) serves our exported files, and dcmtk's findscu gets the
     * items back with the matching keys and accents. The responses findscu extracts are read with our codec.
     */
    @Test
    void wlmscpfsServesTheExportedFilesToFindscu() throws Exception {
        Path db = Files.createDirectories(dir.resolve("wlistdb"));
        Path aeDir = WorklistFileWriter.wlmscpfsDirectory(db, "MWLGW");
        assertThat(aeDir.resolve("lockfile")).exists();
        writer.write(Items.dupre("ISO_IR 100"), siemens, aeDir);
        writer.write(Items.item("SPS2", "PAT2", "MARTIN^LOUIS", LocalDateTime.of(2026, 11, 26, 14, 0),
                "MR_SIEMENS", null), siemens, aeDir);
        writer.write(Items.item("SPS3", "PAT3", "DURAND^ANNE", LocalDateTime.of(2026, 11, 25, 11, 0),
                "MR_GE", null), Items.station(Vendor.GE, "MR_GE", false), aeDir);

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("wlmscpfs.log");
        Process scp = Dcmtk.start(dir, log, "wlmscpfs", "-csk", "-dfp", db.toString(), "--single-process",
                Integer.toString(port));
        try {
            awaitListening(port, scp, log);

            List<Attributes> siemensToday = findscu(port, "siemens",
                    "-k", "(0040,0100)[0].ScheduledStationAETitle=MR_SIEMENS",
                    "-k", "(0040,0100)[0].ScheduledProcedureStepStartDate=20261125",
                    "-k", "(0040,0100)[0].ScheduledProcedureStepID",
                    "-k", "(0040,0100)[0].ScheduledProtocolCodeSequence[0].CodeValue",
                    "-k", "PatientName", "-k", "PatientID", "-k", "SpecificCharacterSet");
            assertThat(siemensToday).hasSize(1);
            Attributes rsp = siemensToday.get(0);
            assertThat(rsp.getString(Tag.PatientName)).isEqualTo("DUPRÉ^HÉLÈNE");
            assertThat(rsp.getString(Tag.SpecificCharacterSet)).isEqualTo("ISO_IR 100");
            Attributes sps = rsp.getItem(Tag.ScheduledProcedureStepSequence, 0);
            assertThat(sps.getString(Tag.ScheduledProcedureStepID)).isEqualTo("SPS1");
            assertThat(sps.getSequence(Tag.ScheduledProtocolCodeSequence))
                    .extracting(c -> c.getString(Tag.CodeValue)).containsExactly("SEP_FULL_GD", "OFSEP-FULL-GD");

            List<Attributes> wildcard = findscu(port, "wildcard", "-k", "PatientName=DU*", "-k", "PatientID",
                    "-k", "(0040,0100)[0].Modality=MR");
            assertThat(wildcard).extracting(a -> a.getString(Tag.PatientID)).containsExactlyInAnyOrder("PAT1", "PAT3");

            List<Attributes> range = findscu(port, "range", "-k", "PatientID",
                    "-k", "(0040,0100)[0].ScheduledProcedureStepStartDate=20261126-");
            assertThat(range).extracting(a -> a.getString(Tag.PatientID)).containsExactly("PAT2");
        } finally {
            scp.destroy();
            if (!scp.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                scp.destroyForcibly();
            }
        }
    }

    private List<Attributes> findscu(int port, String name, String... keys) throws Exception {
        Path out = Files.createDirectories(dir.resolve("rsp-" + name));
        List<String> args = new ArrayList<>(List.of("-W", "-aet", "MR_SIEMENS", "-aec", "MWLGW", "-X",
                "-od", out.toString()));
        args.addAll(List.of(keys));
        args.add("127.0.0.1");
        args.add(Integer.toString(port));
        Dcmtk.Result r = Dcmtk.run(dir, "findscu", args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<Attributes> responses = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.sorted().toList()) {
                responses.add(DicomFile.read(f).dataset());
            }
        }
        return responses;
    }

    private static void awaitListening(int port, Process scp, Path log) throws Exception {
        for (int i = 0; i < 200; i++) {
            if (!scp.isAlive()) {
                throw new AssertionError("wlmscpfs exited: " + Files.readString(log));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("wlmscpfs not listening on " + port);
    }
}
