package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.support.MllpClient.field;

import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.MllpClient;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * Issue 16, the defects found with independent clients, seen where a peer sees them: orders in over a real MLLP
 * socket, the worklist out through dcmtk's findscu. One gateway (site time zone UTC, query limit 3) for the class;
 * each test uses its own patients and placer numbers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Issue16EndToEndTest {
    @TempDir
    static Path work;
    TestGateway gw;

    static final String TODAY = TestGateway.today();
    static final String TOMORROW = LocalDate.now().plusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE);

    @BeforeAll
    void start() throws Exception {
        gw = new TestGateway(work);
        gw.config.timeZone = "UTC";
        gw.config.dicom.queryLimit = 3;
        gw.start();
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    // ------------------------------------------------------------------ helpers

    /** An ORM^O01 v2.3.1 new order; {@code segments} after OBR (OBX...). Null fields are left empty. */
    static String order(String controlId, String pid3, String pid5, String placer, String accession, String rpId,
                        String start, String referrer, String... extra) {
        StringBuilder m = new StringBuilder();
        m.append("MSH|^~\\&|RIS|CHU|MWLGW|CHU|20261204083000||ORM^O01|").append(controlId).append("|P|2.3.1\r");
        m.append("PID|1||").append(pid3).append("^^^CHU^PI||").append(nz(pid5)).append("||19800115|F\r");
        m.append("PV1|1|O|IRM1\r");
        m.append("ORC|NW|").append(placer).append("|||SC||^^^").append(start).append("|||||")
                .append(referrer == null ? "" : "^" + referrer).append('\r');
        m.append("OBR|1|").append(placer).append("||IRM-SEP^IRM cerebrale SEP^L||||||||||||||").append(nz(accession))
                .append('|').append(nz(rpId)).append("||IRM1|||MR|||^^^").append(start).append("||||SEP suivi\r");
        m.append("OBX|1|NM|29463-7^Body weight^LN||70|kg\r");
        for (String s : extra) {
            m.append(s).append('\r');
        }
        return m.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    String send(String message) throws Exception {
        return send(message, StandardCharsets.UTF_8);
    }

    String send(String message, Charset charset) throws Exception {
        try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
            return client.send(message, charset);
        }
    }

    /** findscu's responses (dumped) and its own output (which names the final status). */
    record Find(List<Dcmtk.Response> responses, String output) {
    }

    Find find(String callingAe, String... keys) throws Exception {
        Path out = Files.createTempDirectory(work, "findscu");
        List<String> command = new ArrayList<>(List.of("/usr/bin/findscu", "-v", "-W", "-X", "-od", out.toString(),
                "-aet", callingAe, "-aec", "MWLGW"));
        for (String key : keys) {
            command.add("-k");
            command.add(key);
        }
        command.add("127.0.0.1");
        command.add(String.valueOf(gw.config.dicom.port));
        Dcmtk.Run run = Dcmtk.run(work, command);
        assertThat(run.exitCode()).as(run.output()).isZero();
        List<Dcmtk.Response> responses = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path file : files.sorted().toList()) {
                responses.add(Dcmtk.dump(work, file));
            }
        }
        return new Find(responses, run.output());
    }

    static List<String> values(Find f, String path) {
        return f.responses().stream().map(r -> r.get(path)).toList();
    }

    static Integer usValue(String dump, String tag) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(" + tag + "\\) US (\\d+)").matcher(dump);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    void accepted(String ack) {
        assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
    }

    // ------------------------------------------------------------------ 6: universal matching and the limit

    @Test
    void starIsUniversalMatchingAndMatchesEmptyValues() throws Exception {
        // no referring physician, no accession number
        accepted(send(order("D6-1", "STAR1", "STAR^EMPTY", "PLC-D6-1", null, "RP-D6-1", TODAY + "0800", null)));
        accepted(send(order("D6-2", "STAR2", "STAR^FULL", "PLC-D6-2", "ACC-D6-2", "RP-D6-2", TODAY + "0805",
                "REFERRER^JEAN")));
        for (String key : List.of("0008,0090=*", "0008,0050=*", "0010,0010=*")) {
            Find f = find("MR_SIEMENS", "0010,0020=STAR*", key, "0010,0010", "0008,0090", "0008,0050");
            assertThat(values(f, "0010,0020")).as(key).containsExactly("STAR1", "STAR2");
            assertThat(f.output()).contains("Success");
        }
        // a pattern is not universal: it needs a value
        Find ref = find("MR_SIEMENS", "0010,0020=STAR*", "0008,0090=REF*");
        assertThat(values(ref, "0010,0020")).containsExactly("STAR2");
    }

    @Test
    void theQueryLimitCountsMatchesNotRowsTheStoreReturned() throws Exception {
        // LIM1 and LIM3 have no referring physician; the limit is 3
        for (int i = 1; i <= 5; i++) {
            String referrer = i == 1 || i == 3 ? null : "REFERRER^JEAN";
            accepted(send(order("D6-L" + i, "LIM" + i, "LIMIT^N" + i, "PLC-D6-L" + i, "ACC-D6-L" + i,
                    "RP-D6-L" + i, TODAY + "090" + i, referrer)));
        }
        // three matches out of five rows: all three, and Success (not "first 1", not A700)
        Find three = find("MR_SIEMENS", "0010,0020=LIM*", "0008,0090=REF*");
        assertThat(values(three, "0010,0020")).containsExactly("LIM2", "LIM4", "LIM5");
        assertThat(three.output()).contains("Final Find Response (Success)").doesNotContain("OutOfResources");

        // five matches: the first three, then A700 saying three were returned
        Find all = find("MR_SIEMENS", "0010,0020=LIM*", "0008,0090=*");
        assertThat(values(all, "0010,0020")).containsExactly("LIM1", "LIM2", "LIM3");
        assertThat(all.output()).contains("Refused: OutOfResources");
    }

    // ------------------------------------------------------------------ 7: Pregnancy Status

    @Test
    void pregnancyStatusSaysWhatTheOrderSays() throws Exception {
        accepted(send(order("D7-1", "PREG1", "PREG^YES", "PLC-D7-1", "ACC-D7-1", "RP-D7-1", TODAY + "1000",
                null, "OBX|2|ST|PREGNANT^Pregnant^99OFSEP||Y")));
        accepted(send(order("D7-2", "PREG2", "PREG^NO", "PLC-D7-2", "ACC-D7-2", "RP-D7-2", TODAY + "1001",
                null, "OBX|2|ST|PREGNANT^Pregnant^99OFSEP||N")));
        accepted(send(order("D7-3", "PREG3", "PREG^UNKNOWN", "PLC-D7-3", "ACC-D7-3", "RP-D7-3", TODAY + "1002",
                null)));
        // not an MS order (a knee MRI), pregnancy sent as LOINC 82810-3: the worklist says so all the same
        accepted(send(order("D7-4", "PREG4", "PREG^KNEE", "PLC-D7-4", "ACC-D7-4", "RP-D7-4", TODAY + "1003", null,
                "OBX|2|CWE|82810-3^Pregnancy status^LN||LA15173-0^Pregnant^LN")
                .replace("IRM-SEP^IRM cerebrale SEP^L", "24857-5^MR Knee^LN").replace("||||SEP suivi", "||||Genou")));
        Find f = find("MR_SIEMENS", "0010,0020=PREG?", "0010,21C0", "0010,2000");
        // (the class's query limit is 3)
        assertThat(values(f, "0010,0020")).containsExactly("PREG1", "PREG2", "PREG3");
        // dcmdump prints a US value unbracketed: "(0010,21c0) US 3"
        assertThat(f.responses()).extracting(r -> usValue(r.dump(), "0010,21c0")).containsExactly(3, 1, 4);
        Find knee = find("MR_SIEMENS", "0010,0020=PREG4", "0010,21C0");
        assertThat(knee.responses()).extracting(r -> usValue(r.dump(), "0010,21c0")).containsExactly(3);
    }

    // ------------------------------------------------------------------ 10: UUID-derived Study Instance UIDs

    @Test
    void generatedStudyInstanceUidsAreOneIntegerFromAUuid() throws Exception {
        accepted(send(order("D10-1", "UID1", "UID^ONE", "PLC-D10-1", "ACC-D10-1", "RP-D10-1", TODAY + "1100",
                null)));
        Find f = find("MR_SIEMENS", "0010,0020=UID1", "0020,000D");
        String uid = f.responses().get(0).get("0020,000D");
        assertThat(uid).matches("2\\.25\\.[1-9][0-9]*");
        assertThat(new BigInteger(uid.substring(5))).isLessThan(BigInteger.ONE.shiftLeft(128));
    }

    // ------------------------------------------------------------------ 11: time-zone offsets

    @Test
    void timesWithAnOffsetAreConvertedToTheSiteTimeZone() throws Exception {
        // the site is UTC: 13:00+01:00 is 12:00; 23:30-05:00 is 04:30 the next day
        accepted(send(order("D11-1", "TZ1", "ZONE^PLUS", "PLC-D11-1", "ACC-D11-1", "RP-D11-1",
                TODAY + "1300+0100", null)));
        accepted(send(order("D11-2", "TZ2", "ZONE^MINUS", "PLC-D11-2", "ACC-D11-2", "RP-D11-2",
                TODAY + "2330-0500", null)));
        accepted(send(order("D11-3", "TZ3", "ZONE^NONE", "PLC-D11-3", "ACC-D11-3", "RP-D11-3",
                TODAY + "1300", null)));
        Find f = find("MR_SIEMENS", "0010,0020=TZ*", "(0040,0100)[0].0040,0002", "(0040,0100)[0].0040,0003");
        assertThat(values(f, "0010,0020")).containsExactly("TZ1", "TZ3", "TZ2");
        assertThat(values(f, "0040,0100/0040,0002")).containsExactly(TODAY, TODAY, TOMORROW);
        assertThat(values(f, "0040,0100/0040,0003")).containsExactly("120000", "130000", "043000");
    }

    // ------------------------------------------------------------------ 12: text details

    @Test
    void anEscapedComponentSeparatorStaysInItsNameComponent() throws Exception {
        accepted(send(order("D12-1", "TXT1", "DUPONT\\S\\MARIE^JEANNE", "PLC-D12-1", "ACC-D12-1", "RP-D12-1",
                TODAY + "1200", "DR\\S\\HOUSE^GREG")));
        Find f = find("MR_SIEMENS", "0010,0020=TXT1", "0010,0010", "0008,0090");
        // DICOM PN cannot hold a literal '^': it becomes a space, and MARIE is never a given name
        assertThat(f.responses().get(0).get("0010,0010")).isEqualTo("DUPONT MARIE^JEANNE");
        assertThat(f.responses().get(0).get("0008,0090")).isEqualTo("DR HOUSE^GREG");
    }

    @Test
    void aLineBreakEscapeBecomesASpaceInAValueWithoutLineBreaks() throws Exception {
        String m = order("D12-2", "TXT2", "BREAK^LINE", "PLC-D12-2", "ACC-D12-2", "RP-D12-2", TODAY + "1201", null)
                .replace("||||SEP suivi", "||||^Suivi\\.br\\annuel");
        accepted(send(m));
        Find f = find("MR_SIEMENS", "0010,0020=TXT2", "0040,1002");
        assertThat(f.responses().get(0).get("0040,1002")).isEqualTo("Suivi annuel");
    }

    @Test
    void theAnswerIsInTheConsolesCharacterSetWhenEveryValueFitsIt() throws Exception {
        String utf8 = "|P|2.3.1||||||UNICODE UTF-8\r";
        accepted(send(order("D12-3", "CS1", "DUPRÉ^HÉLÈNE", "PLC-D12-3", "ACC-D12-3", "RP-D12-3", TODAY + "1202",
                null).replace("|P|2.3.1\r", utf8), StandardCharsets.UTF_8));
        accepted(send(order("D12-4", "CS2", "WAŁĘSA^LECH", "PLC-D12-4", "ACC-D12-4", "RP-D12-4", TODAY + "1203",
                null).replace("|P|2.3.1\r", utf8), StandardCharsets.UTF_8));
        // a Latin-1 console: Latin-1 back for the name that fits, UTF-8 for the one that does not
        Find latin1 = find("MR_SIEMENS", "0008,0005=ISO_IR 100", "0010,0020=CS*", "0010,0010");
        assertThat(values(latin1, "0010,0020")).containsExactly("CS1", "CS2");
        assertThat(values(latin1, "0008,0005")).containsExactly("ISO_IR 100", "ISO_IR 192");
        assertThat(values(latin1, "0010,0010")).containsExactly("DUPRÉ^HÉLÈNE", "WAŁĘSA^LECH");
        assertThat(new String(latin1.responses().get(0).bytes(), StandardCharsets.ISO_8859_1)).contains("DUPRÉ^HÉLÈNE");
        // a console that names no character set gets the item's own (the order's UTF-8)
        Find plain = find("MR_SIEMENS", "0010,0020=CS*", "0010,0010");
        assertThat(values(plain, "0008,0005")).containsExactly("ISO_IR 192", "ISO_IR 192");
    }

    @Test
    void theConformanceStatementGivesTheMaximumPduTheGatewayUses() throws Exception {
        String doc = Files.readString(Path.of("../docs/dicom-conformance.md"));
        int configured = new GatewayConfig().dicom.maxPduLength;
        assertThat(doc).contains("`maxPduLength` (default " + configured);
        assertThat(doc).doesNotContain("(default 16384)");
        assertThat(Files.readString(Path.of("../config/gateway.yaml"))).contains("maxPduLength: " + configured);
    }

    // ------------------------------------------------------------------ 8, 1, 9: refusals and their error codes

    /** The message in HL7 2.5, whose ACK carries ERR-2 (location) and ERR-3 (code). */
    static String v25(String message) {
        return message.replace("|P|2.3.1\r", "|P|2.5\r");
    }

    static String cancel(String message) {
        return message.replace("ORC|NW|", "ORC|CA|").replace("|||SC||", "|||CA||");
    }

    /** MSA-1, ERR-3.1 and ERR-2 (segment^sequence^field) of a 2.5 ACK. */
    static List<String> refusal(String ack) {
        String err3 = field(ack, "ERR", 3);
        return List.of(field(ack, "MSA", 1), err3 == null ? "" : err3.split("\\^")[0],
                String.valueOf(field(ack, "ERR", 2)));
    }

    @Test
    void anOrderWithoutPatientNameIsRefusedWithError101OnPid5() throws Exception {
        String ack = send(v25(order("D8-1", "NONAME1", null, "PLC-D8-1", "ACC-D8-1", "RP-D8-1", TODAY + "1300",
                null)));
        assertThat(refusal(ack)).as(ack).containsExactly("AE", "101", "PID^1^5");
        assertThat(field(ack, "ERR", 8)).contains("PID-5");
        // a name of empty components is no name either
        ack = send(v25(order("D8-2", "NONAME2", "^^", "PLC-D8-2", "ACC-D8-2", "RP-D8-2", TODAY + "1300", null)));
        assertThat(refusal(ack)).as(ack).containsExactly("AE", "101", "PID^1^5");
        assertThat(find("MR_SIEMENS", "0010,0020=NONAME*").responses()).isEmpty();
    }

    @Test
    void identifiersLongerThanTheirDicomVrAreRefusedNamingTheFieldNeverCut() throws Exception {
        String ack = send(v25(order("D1-1", "LONG1", "LONG^ONE", "PLC-D1-1", "ACC-2026-12-04-000123", "RP-D1-1",
                TODAY + "1400", null)));
        assertThat(refusal(ack)).as(ack).containsExactly("AE", "102", "OBR^1^18");
        assertThat(field(ack, "ERR", 8)).contains("OBR-18").contains("16");
        ack = send(v25(order("D1-2", "LONG2", "LONG^TWO", "PLC-D1-2", "ACC-2026-12-04-000124", "RP-D1-2",
                TODAY + "1401", null)));
        assertThat(refusal(ack)).as(ack).containsExactly("AE", "102", "OBR^1^18");
        ack = send(v25(order("D1-3", "LONG3", "LONG^THREE", "PLC-D1-3", "ACC-D1-3", "RP-2026-12-04-000125",
                TODAY + "1402", null)));
        assertThat(refusal(ack)).as(ack).containsExactly("AE", "102", "OBR^1^19");
        // nothing was stored under the cut value
        assertThat(find("MR_SIEMENS", "0008,0050=ACC-2026-12-04-0").responses()).isEmpty();
        assertThat(find("MR_SIEMENS", "0010,0020=LONG*").responses()).isEmpty();
        // 16 characters fit
        accepted(send(v25(order("D1-4", "LONG4", "LONG^FOUR", "PLC-D1-4", "ACC-2026-120400", "RP-2026-120400",
                TODAY + "1403", null))));
        assertThat(values(find("MR_SIEMENS", "0010,0020=LONG4", "0008,0050"), "0008,0050"))
                .containsExactly("ACC-2026-120400");
    }

    @Test
    void eachRefusalCarriesTheHl7ErrorCodeThatFitsIt() throws Exception {
        // a cancel of an order the gateway does not know: unknown key identifier, not an internal error
        String ack = send(v25(cancel(order("D9-1", "ERR1", "ERR^ONE", "PLC-D9-UNKNOWN", "ACC-D9-1", "RP-D9-1",
                TODAY + "1500", null))));
        assertThat(refusal(ack)).as(ack).containsExactly("AE", "204", "ORC^1^2");
        // a placer order number that belongs to another patient: duplicate key identifier
        accepted(send(v25(order("D9-2", "ERR2", "ERR^TWO", "PLC-D9-2", "ACC-D9-2", "RP-D9-2", TODAY + "1501",
                null))));
        ack = send(v25(order("D9-3", "ERR3", "ERR^THREE", "PLC-D9-2", "ACC-D9-3", "RP-D9-3", TODAY + "1502", null)));
        assertThat(refusal(ack)).as(ack).containsExactly("AE", "205", "ORC^1^2");
        // a malformed date: data type error
        ack = send(v25(order("D9-4", "ERR4", "ERR^FOUR", "PLC-D9-4", "ACC-D9-4", "RP-D9-4", "2026-12-04", null)));
        assertThat(refusal(ack)).as(ack).element(1).isEqualTo("102");
        // an unmapped order control: table value not found
        ack = send(v25(order("D9-5", "ERR5", "ERR^FIVE", "PLC-D9-5", "ACC-D9-5", "RP-D9-5", TODAY + "1503", null)
                .replace("ORC|NW|", "ORC|ZZ|")));
        assertThat(refusal(ack)).as(ack).containsExactly("AE", "103", "ORC^1^1");
        // no internal error for any of them: a RIS retries those forever
        assertThat(ack).doesNotContain("|207^");
    }

    // ------------------------------------------------------------------ 5: MPPS group case

    /** Runs a dcmjs-dimse script of src/test/resources/interop with node; returns its RESULT line as JSON. */
    static com.fasterxml.jackson.databind.JsonNode node(String script, String... args) throws Exception {
        Path modules = Path.of("..", "interop", "node_modules").toAbsolutePath().normalize();
        assertThat(modules.resolve("dcmjs-dimse")).as("npm ci in interop/ (scripts/test.sh does)").isDirectory();
        Path dir = Path.of(Issue16EndToEndTest.class.getResource("/interop/" + script).toURI()).getParent();
        List<String> cmd = new ArrayList<>(List.of("node", script));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("NODE_PATH", modules.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String line = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("no result from " + script + ":\n" + out));
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line.substring(7));
    }

    /** SPS ID, accession and Study Instance UID of the one scheduled item of an accession, read with findscu. */
    List<String> reference(String accession) throws Exception {
        Find f = find("MR_SIEMENS", "0008,0050=" + accession, "0020,000D", "(0040,0100)[0].0040,0009");
        assertThat(f.responses()).hasSize(1);
        Dcmtk.Response r = f.responses().get(0);
        return List.of(r.get("0040,0100/0040,0009"), r.get("0008,0050"), r.get("0020,000D"));
    }

    List<String> statuses(String... accessions) {
        List<String> out = new ArrayList<>();
        for (String acc : accessions) {
            out.add(gw.gateway().worklist().findByAccession(acc).get(0).status().name());
        }
        return out;
    }

    @Test
    void anMppsReferencingTwoStepsMovesBothOnCreateAndOnItsFinalStatus() throws Exception {
        String[][] pairs = {{"GRPA", "NONE"}, {"GRPB", "COMPLETED"}, {"GRPC", "DISCONTINUED"}};
        for (String[] pair : pairs) {
            String p = pair[0];
            // two requested procedures of one patient (brain, then spine), each with its accession and study
            accepted(send(order("D5-" + p + "1", p, "GROUP^CASE", "PLC-D5-" + p + "1", "ACC-D5-" + p + "1",
                    "RP-D5-" + p + "1", TODAY + "1600", null)));
            accepted(send(order("D5-" + p + "2", p, "GROUP^CASE", "PLC-D5-" + p + "2", "ACC-D5-" + p + "2",
                    "RP-D5-" + p + "2", TODAY + "1601", null)));
        }
        for (String[] pair : pairs) {
            String p = pair[0];
            List<String> first = reference("ACC-D5-" + p + "1");
            List<String> second = reference("ACC-D5-" + p + "2");
            com.fasterxml.jackson.databind.JsonNode r = node("mpps-group.js", String.valueOf(gw.config.dicom.port),
                    "MR_SIEMENS", "MWLGW", p, pair[1], first.get(0), first.get(1), first.get(2), second.get(0),
                    second.get(1), second.get(2));
            int expected = pair[1].equals("NONE") ? 1 : 2;
            assertThat(r.get("statuses")).hasSize(expected).allSatisfy(s -> assertThat(s.asInt()).isZero());
            String target = switch (pair[1]) {
                case "NONE" -> "STARTED";
                case "COMPLETED" -> "COMPLETED";
                default -> "DISCONTINUED";
            };
            assertThat(statuses("ACC-D5-" + p + "1", "ACC-D5-" + p + "2")).as(pair[1]).containsExactly(target, target);
        }
    }

    // ------------------------------------------------------------------ 2, 3, 4: keys and identities

    @Test
    void anAccessionNumberAlreadyUsedByAnotherOrderIsRefused() throws Exception {
        accepted(send(v25(order("D2-1", "ACCU1", "ACCU^ONE", "PLC-D2-1", "ACC-D2-SAME", "RP-D2-1", TODAY + "1700",
                null))));
        // another patient's order with the same OBR-18: refused, duplicate key on OBR-18
        String ack = send(v25(order("D2-2", "ACCU2", "ACCU^TWO", "PLC-D2-2", "ACC-D2-SAME", "RP-D2-2",
                TODAY + "1701", null)));
        assertThat(refusal(ack)).as(ack).containsExactly("AE", "205", "OBR^1^18");
        assertThat(find("MR_SIEMENS", "0008,0050=ACC-D2-SAME", "0010,0020").responses()).extracting(r -> r.get(
                "0010,0020")).containsExactly("ACCU1");
        // the order itself sent again (a refresh) keeps its accession number
        accepted(send(v25(order("D2-3", "ACCU1", "ACCU^ONE", "PLC-D2-1", "ACC-D2-SAME", "RP-D2-1", TODAY + "1700",
                null))));
    }

    @Test
    void aDifferentMessageReusingAControlIdIsRefusedARetransmissionIsNot() throws Exception {
        String first = v25(order("D3-1", "REUSE1", "REUSE^ONE", "PLC-D3-1", "ACC-D3-1", "RP-D3-1", TODAY + "1710",
                null));
        String ack = send(first);
        accepted(ack);
        // a retransmission (only MSH-7 differs): the same AA, nothing applied twice
        String again = send(first.replace("|20261204083000||", "|20261204083500||"));
        assertThat(field(again, "MSA", 1)).isEqualTo("AA");
        // a different message (a second order, then a cancel) reusing D3-1: AE 205 on MSH-10, not applied
        String other = send(v25(order("D3-1", "REUSE2", "REUSE^TWO", "PLC-D3-2", "ACC-D3-2", "RP-D3-2",
                TODAY + "1711", null)));
        assertThat(refusal(other)).as(other).containsExactly("AE", "205", "MSH^1^10");
        assertThat(field(other, "ERR", 8)).contains("D3-1").contains("different");
        String cancel = send(cancel(first));
        assertThat(refusal(cancel)).as(cancel).containsExactly("AE", "205", "MSH^1^10");
        assertThat(statuses("ACC-D3-1")).containsExactly("SCHEDULED");
        assertThat(find("MR_SIEMENS", "0010,0020=REUSE2").responses()).isEmpty();
        // sent with their own control IDs, both are applied
        accepted(send(cancel(first).replace("|D3-1|", "|D3-1C|")));
        assertThat(statuses("ACC-D3-1")).containsExactly("CANCELED");
    }

    @Test
    void aCancelDiscontinueOrChangeForAnotherPatientIsRefused() throws Exception {
        String order = v25(order("D4-1", "OWNER1", "OWNER^ONE", "PLC-D4-1", "ACC-D4-1", "RP-D4-1", TODAY + "1720",
                null));
        accepted(send(order));
        String other = order.replace("|D4-1|", "|D4-2|").replace("PID|1||OWNER1^", "PID|1||OTHER9^");
        String ack = send(cancel(other));
        assertThat(refusal(ack)).as(ack).containsExactly("AE", "204", "PID^1^3");
        ack = send(other.replace("|D4-2|", "|D4-3|").replace("ORC|NW|", "ORC|DC|").replace("|||SC||", "|||CA||"));
        assertThat(refusal(ack)).as(ack).containsExactly("AE", "204", "PID^1^3");
        ack = send(other.replace("|D4-2|", "|D4-4|").replace("ORC|NW|", "ORC|XO|"));
        assertThat(refusal(ack)).as(ack).containsExactly("AE", "204", "ORC^1^2");
        assertThat(statuses("ACC-D4-1")).containsExactly("SCHEDULED");
        // the order's own patient may cancel it
        accepted(send(cancel(order).replace("|D4-1|", "|D4-5|")));
        assertThat(statuses("ACC-D4-1")).containsExactly("CANCELED");
    }

    @Test
    void freeTextLongerThanItsDicomVrIsCutAtAWordBoundaryAndSaysSo() throws Exception {
        String reason = "Suivi annuel de sclerose en plaques recurrente-remittente sous natalizumab, JCV positif";
        accepted(send(order("D1-T", "FREETXT1", "FREE^TEXT", "PLC-D1-T", "ACC-D1-T", "RP-D1-T", TODAY + "1800",
                null).replace("||||SEP suivi", "||||^" + reason)));
        Find f = find("MR_SIEMENS", "0010,0020=FREETXT1", "0040,1002", "0040,1400");
        Dcmtk.Response r = f.responses().get(0);
        assertThat(r.get("0040,1002")).isEqualTo("Suivi annuel de sclerose en plaques recurrente-remittente...");
        // the note travels with the decision's reasons (the board's "why this protocol", Requested Procedure
        // Comments): never silently cut
        assertThat(r.dump()).contains("OBR-31").contains("was cut to 64");
        assertThat(gw.gateway().worklist().findByAccession("ACC-D1-T").get(0).decision().reasons())
                .anySatisfy(reasonText -> assertThat(reasonText).contains("OBR-31").contains("cut"));
    }
}
