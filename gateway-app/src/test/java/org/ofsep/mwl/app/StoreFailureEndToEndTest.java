package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ofsep.mwl.app.support.MllpClient.field;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.MllpClient;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * Issue 17.6 and 17.7 on a real small file system (a tmpfs mounted for the test; the tests run as root, as
 * scripts/test.sh does in CI): a full disk makes orders AR with a truthful text and /health DOWN, and once space
 * is back the gateway recovers by itself; a full disk or a read-only data directory at start-up stops the
 * gateway with a message in plain words.
 */
class StoreFailureEndToEndTest {
    final HttpClient http = HttpClient.newHttpClient();

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static void mount(Path dir, String size) throws Exception {
        Files.createDirectories(dir);
        // a small file system of its own needs root (scripts/test.sh and CI run as root); elsewhere say so plainly
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "mounting a small tmpfs to fill needs root: run the tests as root (CI does)");
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
    }

    private static void unmount(Path dir) {
        try {
            run("umount", "-l", dir.toString());
        } catch (Exception e) {
            // already gone
        }
    }

    /** A work directory of its own (config) whose data directory is {@code data}. */
    private static Path on(Path work, String name, Path data) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        Files.createSymbolicLink(dir.resolve("data"), data);
        return dir;
    }

    /** Fills the file system of {@code dir} up to its last bytes. */
    private static Path fill(Path dir) throws IOException {
        Path filler = dir.resolve("filler.bin");
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // No space left on device
        }
        return filler;
    }

    private HttpResponse<String> health(TestGateway gw) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.config.http.port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String order(TestGateway gw, int n) throws Exception {
        String msg = TestGateway.message("/e2e/orm-followup-no-prior.hl7").replace("{{ID}}", "MSG-D-" + n)
                .replace("{{PLACER}}", "PLD" + n).replace("{{ACC}}", "ACCD" + n);
        try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
            return client.send(msg, StandardCharsets.UTF_8);
        }
    }

    @Test
    void aFullDiskIsReportedAndTheStoreRecoversByItselfOnceSpaceIsBack(@TempDir Path work) throws Exception {
        Path data = work.resolve("data");
        mount(data, "48m");
        try (TestGateway gw = new TestGateway(work)) {
            gw.start();
            assertThat(field(order(gw, 1), "MSA", 1)).isEqualTo("AA");
            Path filler = fill(data);

            // orders now fail: AR, with a text that does not promise what cannot be kept
            String ack = null;
            for (int n = 2; n < 60; n++) {
                ack = order(gw, n);
                if (!"AA".equals(field(ack, "MSA", 1))) {
                    break;
                }
            }
            assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AR");
            assertThat(ack).contains("not kept: send it again").doesNotContain("kept for replay");
            HttpResponse<String> down = health(gw);
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            assertThat(down.body()).containsPattern("\"status\" *: *\"DOWN\"").contains("the disk is full");

            // space is back: the gateway reopens the store by itself, no restart
            Files.delete(filler);
            long start = System.nanoTime();
            HttpResponse<String> up = health(gw);
            while (up.statusCode() != 200 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20)) {
                Thread.sleep(250);
                up = health(gw);
            }
            assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(field(order(gw, 100), "MSA", 1)).isEqualTo("AA");
            // what was acknowledged before the disk filled is still there, and the consoles read the worklist
            List<Dcmtk.Response> items = Dcmtk.worklist(work, "MR_SIEMENS", "MWLGW", gw.config.dicom.port,
                    List.of("0008,0050=ACCD1"));
            assertThat(items).hasSize(1);
            assertThat(Dcmtk.worklist(work, "MR_SIEMENS", "MWLGW", gw.config.dicom.port, List.of("0008,0050=ACCD100")))
                    .hasSize(1);
        } finally {
            unmount(data);
        }
    }

    @Test
    void aFullDiskOrAReadOnlyDataDirectoryAtStartUpStopsTheGatewayInPlainWords(@TempDir Path work) throws Exception {
        Path data = work.resolve("mnt");
        mount(data, "16m");
        try {
            try (TestGateway gw = new TestGateway(on(work, "g1", data))) {
                gw.start(); // creates the store
            }
            Path filler = fill(data);
            try (TestGateway gw = new TestGateway(on(work, "g2", data))) {
                assertThatThrownBy(gw::start).isInstanceOf(Gateway.StoreNotWritableException.class)
                        .hasMessageContaining("is full").hasMessageContaining("Free some space");
            }
            Files.delete(filler);

            run("mount", "-o", "remount,ro", data.toString());
            try (TestGateway gw = new TestGateway(on(work, "g3", data))) {
                assertThatThrownBy(gw::start).isInstanceOf(Gateway.StoreNotWritableException.class)
                        .hasMessageContaining("is not writable").hasMessageContaining("read-only");
            }
            run("mount", "-o", "remount,rw", data.toString());
            try (TestGateway gw = new TestGateway(on(work, "g4", data))) {
                gw.start();
                assertThat(health(gw).statusCode()).isEqualTo(200);
            }
        } finally {
            unmount(data);
        }
    }
}
