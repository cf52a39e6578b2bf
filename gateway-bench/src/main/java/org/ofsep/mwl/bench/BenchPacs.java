package org.ofsep.mwl.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.DicomFile;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.TransferSyntax;
import org.ofsep.mwl.dicom.data.VR;

/**
 * {@code --pacs}: an Orthanc (Debian orthanc) on free ports as the PACS the gateway asks for priors (Study Root
 * C-FIND), loaded with one previous brain MRI for the generated patients (every other one with a 3D FLAIR), and
 * the gateway's config pointed at it. Intake is then measured with a lookup after every order's ACK.
 */
final class BenchPacs implements AutoCloseable {

    private static final String MR = "1.2.840.10008.5.1.4.1.1.4";
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    final int dicomPort;
    final int httpPort;
    final int patients;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private BenchPacs(Path dir, int patients) throws Exception {
        this.patients = patients;
        dicomPort = Processes.freePort();
        httpPort = Processes.freePort();
        Files.createDirectories(dir.resolve("db"));
        Path cfg = dir.resolve("orthanc.json");
        Files.writeString(cfg, """
                { "Name": "BenchPACS", "StorageDirectory": "%s", "IndexDirectory": "%s", "HttpPort": %d,
                  "DicomPort": %d, "DicomAet": "ORTHANC", "RemoteAccessAllowed": false, "AuthenticationEnabled": false,
                  "DicomAlwaysAllowFind": true, "DicomAlwaysAllowEcho": true, "DicomCheckCalledAet": false,
                  "StorageAccessOnFind": "Always", "ConcurrentJobs": 2 }
                """.formatted(dir.resolve("db"), dir.resolve("db"), httpPort, dicomPort));
        process = Processes.start(java.util.List.of("/usr/sbin/Orthanc", cfg.toString()), dir.resolve("orthanc.log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Processes.get(httpPort, "/system") == null) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("Orthanc did not start (see " + dir.resolve("orthanc.log") + ")");
            }
            Thread.sleep(100);
        }
    }

    /** Starts Orthanc and loads a prior brain MRI for patients BP0..BP(patients-1). */
    static BenchPacs start(Path dir, int patients, LocalDate today) throws Exception {
        BenchPacs p = new BenchPacs(dir, patients);
        long t0 = System.nanoTime();
        for (int i = 0; i < patients; i++) {
            boolean flair3d = i % 2 == 0;
            String study = "2.25.77" + i + "1";
            p.post(instance("BP" + i, today.minusMonths(6 + i % 12), study, study + ".1",
                    flair3d ? "t2_spc_da-fl_sag_p2_iso" : "t2_tirm_tra_dark-fl", flair3d ? "3D" : "2D"));
        }
        BenchRun.log("  PACS: Orthanc loaded with " + patients + " prior brain MRIs (every other one with a 3D FLAIR) in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        return p;
    }

    private void post(byte[] dicom) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/instances"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/dicom")
                .POST(HttpRequest.BodyPublishers.ofByteArray(dicom)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("Orthanc refused an instance: HTTP " + r.statusCode());
        }
    }

    private static byte[] instance(String patientId, LocalDate date, String studyUid, String seriesUid, String series,
                                   String acq) throws IOException {
        Attributes a = new Attributes();
        String sop = seriesUid + ".1";
        a.setString(Tag.SOPClassUID, VR.UI, MR);
        a.setString(Tag.SOPInstanceUID, VR.UI, sop);
        a.setString(Tag.StudyDate, date.format(DA));
        a.setString(Tag.SeriesDate, date.format(DA));
        a.setString(Tag.Modality, "MR");
        a.setString(Tag.StudyDescription, "IRM ENCEPHALE SEP");
        a.setString(Tag.SeriesDescription, series);
        a.setString(Tag.PatientName, "BENCH^" + patientId);
        a.setString(Tag.PatientID, patientId);
        a.setString(Tag.BodyPartExamined, "BRAIN");
        a.setString(Tag.MRAcquisitionType, acq);
        a.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        a.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        a.setString(Tag.SeriesNumber, "1");
        a.setString(Tag.InstanceNumber, "1");
        return new DicomFile(DicomFile.createFileMeta(MR, sop, TransferSyntax.EXPLICIT_VR_LE), a).toBytes();
    }

    /** Points the bench config's gateway.yaml at this PACS (DIMSE). */
    void configure(Path config) throws IOException {
        Path yaml = config.resolve("gateway.yaml");
        String text = Files.readString(yaml, StandardCharsets.UTF_8).replaceAll("(?ms)^priors:.*\\z", "");
        text += "\npriors:\n  source: dimse\n  dimse: { host: 127.0.0.1, port: " + dicomPort
                + ", calledAeTitle: ORTHANC, callingAeTitle: MWLGW, tls: false }\n  timeoutSeconds: 5\n  lookbackYears: 6\n";
        Files.writeString(yaml, text, StandardCharsets.UTF_8);
    }

    /**
     * Waits until the gateway has no lookup running or waiting (in memory or in the database), then reads its priors metrics: lookups by outcome,
     * mean and max latency, steps decided again by kind, and how long the lookups ran behind the last ACK.
     */
    static Map<String, Object> drain(int gatewayHttpPort, long lastAckNanos) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        Map<String, Double> m = metrics(gatewayHttpPort);
        while (System.nanoTime() < deadline
                && (m.getOrDefault("mwl_priors_lookups_running", 0.0) + m.getOrDefault("mwl_priors_lookups_queued", 0.0)
                + m.getOrDefault("mwl_priors_lookups_pending", 0.0)) > 0) {
            Thread.sleep(100);
            m = metrics(gatewayHttpPort);
        }
        long behind = (System.nanoTime() - lastAckNanos) / 1_000_000;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("drained_ms_after_last_ack", behind);
        m.forEach((k, v) -> {
            if (k.startsWith("mwl_priors_lookups_total") || k.startsWith("mwl_priors_redecisions_total")
                    || k.startsWith("mwl_priors_lookups_started_total")
                    || k.startsWith("mwl_priors_lookup_seconds_count") || k.startsWith("mwl_priors_lookup_seconds_sum")
                    || k.startsWith("mwl_priors_lookup_seconds_max")) {
                out.put(k, v);
            }
        });
        Double count = m.get("mwl_priors_lookup_seconds_count{outcome=\"ok\"}");
        Double sum = m.get("mwl_priors_lookup_seconds_sum{outcome=\"ok\"}");
        if (count != null && count > 0 && sum != null) {
            out.put("lookup_mean_ms", Math.round(sum / count * 10000.0) / 10.0);
        }
        return out;
    }

    private static Map<String, Double> metrics(int port) {
        Map<String, Double> out = new LinkedHashMap<>();
        String[] r = Processes.get(port, "/metrics");
        if (r == null) {
            return out;
        }
        for (String line : r[1].split("\n")) {
            if (line.startsWith("mwl_priors_")) {
                int sp = line.lastIndexOf(' ');
                try {
                    out.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
                } catch (RuntimeException e) {
                    // not a sample line
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            Processes.stop(process, 10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
