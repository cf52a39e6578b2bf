package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.support.MllpClient.field;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.MllpClient;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * Issue 17.5 against the real gateway with dcmtk's findscu: a name pattern with more '*' than allowed is refused
 * with A900 and an Error Comment; patterns within the limit do not backtrack (on names of 63 letters, where H2's
 * LIKE and a regular expression take minutes per row), and other consoles are served meanwhile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WildcardQueryEndToEndTest {
    @TempDir
    static Path work;
    TestGateway gw;
    int port;
    /** Two components of 31: the longest name DICOM PN holds (64 per component group; longer is refused, #16). */
    static final String LONG_NAME = "A".repeat(31);

    @BeforeAll
    void start() throws Exception {
        gw = new TestGateway(work);
        gw.config.dicom.maxWildcardsPerKey = 8; // raised here to show that matching does not backtrack; default 3
                gw.start();
        port = gw.config.dicom.port;
        String template = TestGateway.message("/e2e/orm-followup-no-prior.hl7").replace("LEFÈVRE^CHLOÉ", LONG_NAME + "^" + LONG_NAME);
        for (int i = 0; i < 24; i++) {
            try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
                String ack = client.send(template.replace("{{ID}}", "MSG-W-" + i).replace("{{PLACER}}", "PLW" + i)
                        .replace("{{ACC}}", "ACCW" + i), StandardCharsets.UTF_8);
                assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
            }
        }
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    private Dcmtk.Run findscu(String name) throws Exception {
        return Dcmtk.run(work, List.of("/usr/bin/findscu", "-W", "-d", "-aet", "MR_GE", "-aec", "MWLGW", "-k",
                "0010,0010=" + name, "-k", "0008,0050", "127.0.0.1", String.valueOf(port)));
    }

    private void aConsoleIsServed() throws Exception {
        long start = System.nanoTime();
        List<Dcmtk.Response> items = Dcmtk.worklist(work, "MR_SIEMENS", "MWLGW", port, List.of("0008,0050=ACCW1"));
        assertThat(items).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    /**
     * A console that builds its name key component by component ("FAMILY^GIVEN^*": any middle name) gets the
     * patients whose stored name has no middle name (PS3.5 6.2: trailing empty components may be left out); it got
     * none. dcmtk's findscu against the running gateway, the store's selection and the exact match together.
     */
    @Test
    void aKeyWithTrailingAnyComponentsFindsNamesWithoutThem() throws Exception {
        assertThat(Dcmtk.worklist(work, "MR_GE", "MWLGW", port,
                List.of("0010,0010=" + LONG_NAME + "^" + LONG_NAME + "^*", "0008,0050"))).hasSize(24);
        assertThat(Dcmtk.worklist(work, "MR_GE", "MWLGW", port, List.of("0010,0010=" + LONG_NAME + "^*^*",
                "0008,0050"))).hasSize(24);
        assertThat(Dcmtk.worklist(work, "MR_GE", "MWLGW", port, List.of("0010,0010=" + LONG_NAME + "^B*^*",
                "0008,0050"))).isEmpty();
    }

    @Test
    void tooManyWildcardsAreRefusedWithA900AndAComment() throws Exception {
        long start = System.nanoTime();
        Dcmtk.Run run = findscu("*A*A*A*A*A*A*A*A*A*A*A*B");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(run.output()).contains("0xa900").contains("Too many '*' in PatientName (at most 8)");
        aConsoleIsServed();
    }

    @Test
    void manyWildcardsOnLongNamesAnswerAtOnceWithoutBacktracking() throws Exception {
        // 8 '*' against 24 names of 63 letters: exponential in H2's LIKE and in a regular expression (minutes per
        // row); the gateway gives H2 a looser two-'*' filter and matches the whole pattern in linear time
        long start = System.nanoTime();
        Dcmtk.Run run = findscu("*A*A*A*A*A*A*A*B");
        assertThat(run.output()).doesNotContain("0xa900");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        start = System.nanoTime();
        Dcmtk.Run matching = findscu("*A*A*A*A*A*A*A*A");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(matching.output()).contains("Received Find Response 24").doesNotContain("Find Response 25");
        assertThat(Dcmtk.worklist(work, "MR_GE", "MWLGW", port, List.of("0010,0010=*A*A*A*A*A*A*A*A", "0008,0050")))
                .hasSize(24);
        aConsoleIsServed();
    }
}
