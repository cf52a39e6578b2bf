package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.TestGateway;

/** A serving gateway's /metrics has the JVM's meters: the collector's pauses, memory and threads. */
class JvmMetersTest {

    @Test
    void metricsHaveTheCollectorsPausesMemoryAndThreads(@TempDir Path work) throws Exception {
        try (TestGateway gw = new TestGateway(work).start()) {
            System.gc(); // a collection the gateway's listener records
            String base = "http://127.0.0.1:" + gw.config.http.port;
            HttpClient http = HttpClient.newHttpClient();
            String metrics = "";
            for (int i = 0; i < 50 && !metrics.contains("jvm_gc_pause_seconds_count{"); i++) {
                // the collector reports its pause by a notification, after the collection
                metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Thread.sleep(100);
            }
            assertThat(metrics).contains("jvm_gc_pause_seconds_count{").contains("jvm_gc_pause_seconds_sum{")
                    .contains("jvm_gc_pause_seconds_max{").contains("jvm_memory_used_bytes{area=\"heap\"")
                    .contains("jvm_threads_live_threads");
        }
    }
}
