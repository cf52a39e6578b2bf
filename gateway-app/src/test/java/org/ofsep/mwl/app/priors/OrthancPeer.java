package org.ofsep.mwl.app.priors;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * A real Orthanc (Debian packages orthanc and orthanc-dicomweb) started on free ports with a generated
 * configuration: C-FIND allowed from any AE, DICOMweb (QIDO-RS) enabled. Loaded with POST /instances.
 */
public final class OrthancPeer implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/Orthanc");
    public static final Path DICOMWEB_PLUGIN = Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");

    public final int dicomPort;
    public final int httpPort;
    public final String aeTitle = "ORTHANC";
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private OrthancPeer(Path dir, String extra) throws Exception {
        dicomPort = TestGateway.freePort();
        httpPort = TestGateway.freePort();
        Files.createDirectories(dir.resolve("db"));
        String config = """
                {
                  "Name": "TestPACS",
                  "StorageDirectory": "%s",
                  "IndexDirectory": "%s",
                  "HttpPort": %d,
                  "DicomPort": %d,
                  "DicomAet": "ORTHANC",
                  "RemoteAccessAllowed": false,
                  "AuthenticationEnabled": false,
                  "DicomAlwaysAllowFind": true,
                  "DicomAlwaysAllowEcho": true,
                  "DicomCheckCalledAet": false,
                  "DicomCheckModalityHost": false,
                  "UnknownSopClassAccepted": true,
                  "Plugins": ["%s"],
                  "DicomWeb": { "Enable": true, "Root": "/dicom-web/", "EnableWado": true,
                                "StudiesMetadata": "Full", "SeriesMetadata": "Full" },
                  "StorageAccessOnFind": "Always"%s
                }
                """.formatted(dir.resolve("db"), dir.resolve("db"), httpPort, dicomPort, DICOMWEB_PLUGIN, extra);
        Path cfg = dir.resolve("orthanc.json");
        Files.writeString(cfg, config);
        process = new ProcessBuilder(BINARY.toString(), cfg.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("orthanc.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (get("/system").statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("Orthanc did not start: " + Files.readString(dir.resolve("orthanc.log")));
            }
            Thread.sleep(100);
        }
    }

    public static OrthancPeer start(Path dir) throws Exception {
        return new OrthancPeer(dir, "");
    }

    /**
     * An Orthanc whose DICOM port speaks only DICOM TLS (Orthanc 1.9+: DicomTlsEnabled), presenting
     * {@code certificate}/{@code privateKey} (PEM) and, with {@code clientCertificateRequired}, accepting only
     * peers whose certificate is in {@code trusted}.
     */
    public static OrthancPeer startTls(Path dir, Path certificate, Path privateKey, Path trusted,
                                       boolean clientCertificateRequired) throws Exception {
        return new OrthancPeer(dir, (",\n  \"DicomTlsEnabled\": true,\n  \"DicomTlsCertificate\": \"%s\",\n"
                + "  \"DicomTlsPrivateKey\": \"%s\",\n  \"DicomTlsTrustedCertificates\": \"%s\",\n"
                + "  \"DicomTlsRemoteCertificateRequired\": %s").formatted(certificate.toAbsolutePath(),
                privateKey.toAbsolutePath(), trusted.toAbsolutePath(), clientCertificateRequired));
    }

    public String dicomWebUrl() {
        return "http://127.0.0.1:" + httpPort + "/dicom-web";
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST /instances for each file. */
    public void load(List<Path> files) throws IOException, InterruptedException {
        for (Path f : files) {
            HttpResponse<String> r;
            try {
                r = post(f);
            } catch (IOException e) {
                Thread.sleep(500); // Orthanc still settling after start: once more
                r = post(f);
            }
            if (r.statusCode() != 200) {
                throw new IOException("Orthanc refused " + f + ": HTTP " + r.statusCode() + " " + r.body());
            }
        }
    }

    private HttpResponse<String> post(Path f) throws IOException, InterruptedException {
        {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/instances"))
                    .header("Content-Type", "application/dicom").POST(HttpRequest.BodyPublishers.ofFile(f)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Override
    public void close() {
        org.ofsep.mwl.app.support.PeerProcesses.stop(process);
    }
}
