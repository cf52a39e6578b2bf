package org.ofsep.mwl.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.DicomFile;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.net.Peers;
import org.ofsep.mwl.dicom.net.TestMapping;
import org.ofsep.mwl.dicom.service.InMemoryPerformedSteps;
import org.ofsep.mwl.dicom.service.InMemoryWorklist;

/**
 * dcmtk {@code findscu -W} (an independent Modality Worklist SCU) against the in-process server: query shapes,
 * return keys, character sets, PDU fragmentation. Responses are read back from the files {@code -X} writes.
 */
class FindscuInteropTest {

    private static final LocalDateTime DAY = LocalDateTime.of(2026, 11, 25, 0, 0);
    private static InMemoryWorklist worklist;
    private static DicomServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        worklist = new InMemoryWorklist();
        worklist.add(InMemoryWorklist.item("SPS1", "PAT1", "DUPRÉ^HÉLÈNE", "MR_SIEMENS", DAY.withHour(8), "ISO_IR 100"));
        worklist.add(InMemoryWorklist.item("SPS2", "PAT2", "MARTIN^JEAN", "MR_GE", DAY.withHour(9).withMinute(30), null));
        worklist.add(InMemoryWorklist.item("SPS3", "PAT3", "MARTYN^ANNE", "MR_GE", DAY.plusDays(1).withHour(14), null));
        worklist.add(InMemoryWorklist.item("SPS4", "PAT4", "LEFÈVRE^ZOÉ", "MR_PHILIPS", DAY.plusDays(3).withHour(10), "ISO_IR 192"));
        worklist.add(InMemoryWorklist.withCodes(
                InMemoryWorklist.item("SPS5", "PAT5", "GRAND^DATASET", "MR_CANON", DAY.plusDays(10).withHour(7), null), 120));
        TestMapping mapping = TestMapping.standard();
        server = new DicomServer(DicomSettings.defaults().withPort(0).withBindAddress("127.0.0.1")
                .withArtimTimeout(Duration.ofSeconds(2)), () -> mapping, worklist, new InMemoryPerformedSteps());
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    record Find(String output, List<Attributes> responses) {
    }

    private Path lastDir;

    private Find findscu(String callingAe, String... args) throws Exception {
        return findscu(callingAe, null, args);
    }

    /** findscu with options {@code args} and, after host and port, an optional query file. */
    private Find findscu(String callingAe, Path queryFile, String... args) throws Exception {
        Path out = Files.createTempDirectory(dir, "find");
        lastDir = out;
        List<String> cmd = Peers.cmd("findscu", "-v", "-W", "-X", "-od", out.toString(), "-aet", callingAe, "-aec", "MWLGW");
        cmd.addAll(List.of(args));
        cmd.add("127.0.0.1");
        cmd.add(Integer.toString(server.port()));
        if (queryFile != null) {
            cmd.add(queryFile.toString());
        }
        Peers.Result r = Peers.run(out, cmd);
        assertThat(r.exitCode()).as(r.output()).isZero();
        List<Attributes> responses = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("rsp")).sorted().toList()) {
                responses.add(DicomFile.read(p).dataset());
            }
        }
        return new Find(r.output(), responses);
    }

    private static Attributes sps(Attributes rsp) {
        return rsp.getItem(Tag.ScheduledProcedureStepSequence, 0);
    }

    private static List<String> spsIds(Find f) {
        return f.responses().stream().map(a -> sps(a).getString(Tag.ScheduledProcedureStepID)).toList();
    }

    private static final String[] SPS_KEYS = {"-k", "ScheduledProcedureStepSequence[0].ScheduledProcedureStepID",
            "-k", "ScheduledProcedureStepSequence[0].ScheduledStationAETitle"};

    private static String[] keys(String... extra) {
        String[] all = new String[SPS_KEYS.length + extra.length];
        System.arraycopy(SPS_KEYS, 0, all, 0, SPS_KEYS.length);
        System.arraycopy(extra, 0, all, SPS_KEYS.length, extra.length);
        return all;
    }

    @Test
    void byScheduledStationAeTitle() throws Exception {
        Find f = findscu("MR_GE", "-k", "ScheduledProcedureStepSequence[0].ScheduledStationAETitle=MR_GE",
                "-k", "ScheduledProcedureStepSequence[0].ScheduledProcedureStepID", "-k", "PatientID");
        assertThat(spsIds(f)).containsExactly("SPS2", "SPS3");
        assertThat(f.responses()).allSatisfy(a -> assertThat(sps(a).getString(Tag.ScheduledStationAETitle)).isEqualTo("MR_GE"));
        assertThat(f.output()).contains("Received Final Find Response (Success)");
    }

    @Test
    void byDateSingleAndRange() throws Exception {
        Find single = findscu("MR_GE", keys("-k", "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=20261125"));
        assertThat(spsIds(single)).containsExactly("SPS1", "SPS2");
        Find range = findscu("MR_GE", keys("-k", "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=20261126-20261128"));
        assertThat(spsIds(range)).containsExactly("SPS3", "SPS4");
        Find open = findscu("MR_GE", keys("-k", "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=20261128-"));
        assertThat(spsIds(open)).containsExactly("SPS4", "SPS5");
        Find dateTime = findscu("MR_GE", keys("-k", "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=20261125",
                "-k", "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartTime=0900-1200"));
        assertThat(spsIds(dateTime)).containsExactly("SPS2");
    }

    @Test
    void wildcardPatientNameAndModality() throws Exception {
        Find f = findscu("MR_GE", keys("-k", "PatientName=MART?N^J*", "-k", "ScheduledProcedureStepSequence[0].Modality=MR"));
        assertThat(spsIds(f)).containsExactly("SPS2");
        assertThat(f.responses().get(0).getString(Tag.PatientName)).isEqualTo("MARTIN^JEAN");
        Find star = findscu("MR_GE", keys("-k", "PatientName=MART*"));
        assertThat(spsIds(star)).containsExactly("SPS2", "SPS3");
        Find ct = findscu("MR_GE", keys("-k", "ScheduledProcedureStepSequence[0].Modality=CT"));
        assertThat(ct.responses()).isEmpty();
    }

    @Test
    void patientIdAndAccessionNumber() throws Exception {
        Find f = findscu("MR_GE", keys("-k", "PatientID=PAT3", "-k", "AccessionNumber"));
        assertThat(spsIds(f)).containsExactly("SPS3");
        assertThat(f.responses().get(0).getString(Tag.AccessionNumber)).isEqualTo("ACCSPS3");
        Find acc = findscu("MR_GE", keys("-k", "AccessionNumber=ACCSPS4"));
        assertThat(spsIds(acc)).containsExactly("SPS4");
    }

    @Test
    void returnKeysOnlyReturnsExactlyWhatWasAsked() throws Exception {
        Find f = findscu("MR_SIEMENS", "-k", "PatientName", "-k", "PatientID", "-k", "StudyInstanceUID",
                "-k", "ScheduledProcedureStepSequence[0].ScheduledProcedureStepID",
                "-k", "ScheduledProcedureStepSequence[0].ScheduledProtocolCodeSequence[0].CodeValue",
                "-k", "ScheduledProcedureStepSequence[0].ScheduledProtocolCodeSequence[0].CodingSchemeDesignator");
        assertThat(f.responses()).hasSize(5);
        Attributes first = f.responses().get(0);
        assertThat(first.getString(Tag.PatientID)).isEqualTo("PAT1");
        assertThat(first.contains(Tag.PatientBirthDate)).isFalse();
        assertThat(first.contains(Tag.AccessionNumber)).isFalse();
        assertThat(first.getString(Tag.StudyInstanceUID)).isNotBlank();
        Attributes item = sps(first);
        assertThat(item.contains(Tag.Modality)).isFalse();
        // sequence key: the protocol codes for the calling station's vendor (Siemens) first, then OFSEP's
        List<Attributes> codes = item.getSequence(Tag.ScheduledProtocolCodeSequence);
        assertThat(codes).extracting(c -> c.getString(Tag.CodeValue)).containsExactly("SIE_MS_ROUTINE", "OFSEP_ROUTINE");
        assertThat(codes.get(0).contains(Tag.CodeMeaning)).isFalse();
    }

    @Test
    void sequenceMatchingOnProtocolCode() throws Exception {
        Find f = findscu("MR_GE", keys("-k", "ScheduledProcedureStepSequence[0].ScheduledProtocolCodeSequence[0].CodeValue=CODE7"));
        assertThat(spsIds(f)).containsExactly("SPS5");
        // Long Code Value (codes over 16 characters) is a key of the code items too: no code has this one
        Find longCode = findscu("MR_GE", keys("-k",
                "ScheduledProcedureStepSequence[0].ScheduledProtocolCodeSequence[0].LongCodeValue=NO-SUCH-LONG-PROTOCOL-CODE"));
        assertThat(longCode.responses()).isEmpty();
    }

    @Test
    void keysNotSupportedAsAskedGivePendingWarning() throws Exception {
        // only supported keys: 0xFF00
        Find plain = findscu("MR_GE", keys("-k", "PatientID=PAT2", "-k", "Allergies"));
        assertThat(plain.output()).contains("Received Find Response 1 (Pending)");
        // a value on a key returned but not matched (Allergies), or Modality outside its sequence: 0xFF01 (PS3.4
        // C.4.1.1.4), the item still returned since the key is not matched
        Find allergies = findscu("MR_GE", keys("-k", "PatientID=PAT2", "-k", "Allergies=IODE"));
        assertThat(spsIds(allergies)).containsExactly("SPS2");
        assertThat(allergies.output()).contains("(Pending: WarningUnsupportedOptionalKeys)");
        Find modality = findscu("MR_GE", keys("-k", "PatientID=PAT2", "-k", "Modality=CT"));
        assertThat(spsIds(modality)).containsExactly("SPS2");
        assertThat(modality.output()).contains("(Pending: WarningUnsupportedOptionalKeys)");
    }

    @Test
    void aMalformedBirthDateKeyIsAnInvalidIdentifierNotAnEmptyWorklist() throws Exception {
        Find f = findscu("MR_GE", keys("-d", "-k", "PatientBirthDate=1980-05-17"));
        assertThat(f.responses()).isEmpty();
        assertThat(f.output()).contains("DIMSE Status                  : 0xa900").contains("OffendingElement").contains("(0010,0030)")
                .contains("Bad date or range in PatientBirthDate");
        Find range = findscu("MR_GE", keys("-k", "PatientID=PAT2", "-k", "PatientBirthDate=19800101-19801231"));
        assertThat(spsIds(range)).containsExactly("SPS2");
    }

    @Test
    void scheduledPerformingPhysiciansNameIsMatched() throws Exception {
        // a required matching key (Table K.6-1): no step of the gateway has one, so a name matches nothing
        Find f = findscu("MR_GE", keys("-k", "ScheduledProcedureStepSequence[0].ScheduledPerformingPhysicianName=SMITH*"));
        assertThat(f.responses()).isEmpty();
        Find empty = findscu("MR_GE", keys("-k", "PatientID=PAT2",
                "-k", "ScheduledProcedureStepSequence[0].ScheduledPerformingPhysicianName"));
        assertThat(spsIds(empty)).containsExactly("SPS2");
        assertThat(empty.output()).contains("Received Find Response 1 (Pending)");
    }

    @Test
    void nonMatchingQueryEndsWithSuccessAndNoMatch() throws Exception {
        Find f = findscu("MR_GE", keys("-k", "PatientID=NOBODY"));
        assertThat(f.responses()).isEmpty();
        assertThat(f.output()).contains("Received Final Find Response (Success)");
    }

    @Test
    void accentsArriveInTheItemsCharacterSet() throws Exception {
        Find latin1 = findscu("MR_GE", keys("-k", "PatientID=PAT1", "-k", "PatientName", "-k", "SpecificCharacterSet"));
        assertThat(latin1.responses().get(0).getString(Tag.SpecificCharacterSet)).isEqualTo("ISO_IR 100");
        assertThat(latin1.responses().get(0).getString(Tag.PatientName)).isEqualTo("DUPRÉ^HÉLÈNE");
        Find utf8 = findscu("MR_GE", keys("-k", "PatientID=PAT4", "-k", "PatientName"));
        assertThat(utf8.responses().get(0).getString(Tag.SpecificCharacterSet)).isEqualTo("ISO_IR 192");
        assertThat(utf8.responses().get(0).getString(Tag.PatientName)).isEqualTo("LEFÈVRE^ZOÉ");
        byte[] raw = Files.readAllBytes(lastDir.resolve("rsp0001.dcm"));
        assertThat(new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains(new String("LEFÈVRE^ZOÉ".getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void queryInAnUnsupportedCharacterSetFailsClearly() throws Exception {
        Find f = findscu("MR_GE", keys("-k", "SpecificCharacterSet=ISO 2022 IR 87", "-k", "PatientName"));
        assertThat(f.responses()).isEmpty();
        assertThat(f.output()).contains("Received Final Find Response (Failed: UnableToProcess)");
    }

    @Test
    void smallPeerPduForcesFragmentationOfALargeResponse() throws Exception {
        Find f = findscu("MR_CANON", "-pdu", "4096", "-k", "PatientID=PAT5", "-k", "ScheduledProcedureStepSequence[0].ScheduledProcedureStepID",
                "-k", "ScheduledProcedureStepSequence[0].ScheduledProtocolCodeSequence");
        assertThat(f.responses()).hasSize(1);
        List<Attributes> codes = sps(f.responses().get(0)).getSequence(Tag.ScheduledProtocolCodeSequence);
        assertThat(codes).hasSize(120);
        assertThat(codes.get(119).getString(Tag.CodeMeaning)).isEqualTo("Protocol code number 119 with a long meaning text");
        // the whole response is far larger than one 4096-byte PDU
        assertThat(Files.size(lastDir.resolve("rsp0001.dcm"))).isGreaterThan(3 * 4096);
    }

    @Test
    void unknownCallingAeTitleCannotReadTheWorklist() throws Exception {
        List<String> cmd = Peers.cmd("findscu", "-W", "-aet", "NOT_A_STATION", "-aec", "MWLGW", "-k", "PatientID",
                "127.0.0.1", Integer.toString(server.port()));
        Peers.Result r = Peers.run(dir, cmd);
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("Association Rejected");
    }

    @Test
    void implicitVrLittleEndianOnlyIsAccepted() throws Exception {
        Find f = findscu("MR_GE", keys("-d", "-xi", "-k", "PatientID=PAT2", "-k", "PatientName"));
        assertThat(f.output()).contains("Accepted Transfer Syntax: =LittleEndianImplicit");
        assertThat(spsIds(f)).containsExactly("SPS2");
        assertThat(f.responses().get(0).getString(Tag.PatientName)).isEqualTo("MARTIN^JEAN");
    }

    @Test
    void bigEndianProposedFirstIsPassedOverForLittleEndian() throws Exception {
        Find f = findscu("MR_GE", keys("-d", "-xb", "-k", "PatientID=PAT2"));
        assertThat(f.output()).contains("=BigEndianExplicit").contains("Accepted Transfer Syntax: =LittleEndianExplicit");
        assertThat(spsIds(f)).containsExactly("SPS2");
    }

    /** A query file with accented matching keys in a given character set (command-line bytes depend on the locale). */
    private Path queryFile(String charset, String patientName) throws Exception {
        Attributes q = new Attributes();
        q.setString(Tag.SpecificCharacterSet, charset);
        q.setString(Tag.PatientName, patientName);
        q.setEmpty(Tag.PatientID);
        q.addItem(Tag.ScheduledProcedureStepSequence).setEmpty(Tag.ScheduledProcedureStepID);
        Path f = Files.createTempFile(dir, "query", ".dcm");
        new DicomFile(DicomFile.createFileMeta(org.ofsep.mwl.dicom.data.UID.MODALITY_WORKLIST_FIND, "2.25.1",
                org.ofsep.mwl.dicom.data.TransferSyntax.EXPLICIT_VR_LE), q).write(f);
        return f;
    }

    @Test
    void accentedQueriesAreDecodedInTheirCharacterSet() throws Exception {
        // UTF-8 query for an item stored from an ISO 8859-1 order, and the reverse
        Find utf8 = findscu("MR_GE", queryFile("ISO_IR 192", "DUPRÉ*"));
        assertThat(spsIds(utf8)).containsExactly("SPS1");
        Find latin1 = findscu("MR_GE", queryFile("ISO_IR 100", "LEFÈVRE^ZOÉ"));
        assertThat(spsIds(latin1)).containsExactly("SPS4");
        Find exact = findscu("MR_SIEMENS", queryFile("ISO_IR 100", "DUPRE*"));
        assertThat(exact.responses()).isEmpty(); // MR_SIEMENS matches names exactly
        Find fuzzy = findscu("MR_GE", queryFile("ISO_IR 100", "dupre*"));
        assertThat(spsIds(fuzzy)).containsExactly("SPS1"); // MR_GE is configured with fuzzy names
    }
}
