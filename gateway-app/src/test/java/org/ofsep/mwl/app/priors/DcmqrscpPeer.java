package org.ofsep.mwl.app.priors;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * dcmtk's dcmqrscp as a second, independent DIMSE PACS: a generated dcmqrscp.cfg with one storage area, started
 * on a free port, loaded with storescu.
 */
public final class DcmqrscpPeer implements AutoCloseable {

    public final int port;
    public final String aeTitle = "DCMQR";
    private final Process process;
    private final Path dir;

    private DcmqrscpPeer(Path dir) throws Exception {
        this.dir = dir;
        port = TestGateway.freePort();
        Path db = dir.resolve("db");
        Files.createDirectories(db);
        String cfg = """
                NetworkTCPPort  = %d
                MaxPDUSize      = 16384
                MaxAssociations = 16
                HostTable BEGIN
                HostTable END
                VendorTable BEGIN
                VendorTable END
                AETable BEGIN
                DCMQR  %s  RW  (200, 1024mb)  ANY
                AETable END
                """.formatted(port, db);
        Path file = dir.resolve("dcmqrscp.cfg");
        Files.writeString(file, cfg);
        process = new ProcessBuilder("/usr/bin/dcmqrscp", "-c", file.toString(),
                String.valueOf(port)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("dcmqrscp.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("dcmqrscp did not start: " + Files.readString(dir.resolve("dcmqrscp.log")));
                }
                Thread.sleep(100);
            }
        }
    }

    public static DcmqrscpPeer start(Path dir) throws Exception {
        return new DcmqrscpPeer(dir);
    }

    public void load(List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/storescu", "-aec", aeTitle, "-aet", "LOADER",
                "127.0.0.1", String.valueOf(port)));
        files.forEach(f -> cmd.add(f.toString()));
        Dcmtk.Run r = Dcmtk.run(dir, cmd);
        if (r.exitCode() != 0) {
            throw new IOException("storescu failed: " + r.output());
        }
    }

    @Override
    public void close() {
        org.ofsep.mwl.app.support.PeerProcesses.stop(process);
    }
}
