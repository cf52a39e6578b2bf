package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.support.MllpClient.field;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.MllpClient;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * Two whole gateways (HL7, DICOM, HTTP) on one real PostgreSQL, as behind a load balancer: an order received by
 * one is in the worklist of both at once, and the same order sent to both at the same moment gives one item.
 */
class TwoInstancesEndToEndTest {

    @Test
    void twoGatewaysShareOneWorklist(@TempDir Path work) throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE mwl");
            }
            String url = pg.getJdbcUrl("postgres", "mwl");
            try (TestGateway a = new TestGateway(work.resolve("a")); TestGateway b = new TestGateway(work.resolve("b"))) {
                for (TestGateway gw : List.of(a, b)) {
                    gw.config.database.url = url;
                    gw.config.database.user = "postgres";
                    gw.config.database.password = "";
                }
                a.start();
                b.start();

                // received by A, served by B at once
                assertThat(field(a.send("/e2e/orm-utf8-diagnosis.hl7", StandardCharsets.UTF_8), "MSA", 1))
                        .isEqualTo("AA");
                List<Dcmtk.Response> fromB = Dcmtk.worklist(work, "MR_PHILIPS", "MWLGW", b.config.dicom.port,
                        List.of("0008,0050=ACC1002", "0010,0010"));
                assertThat(fromB).extracting(r -> r.get("0010,0010")).containsExactly("DUPRÉ^HÉLÈNE");

                // the same order to both at the same moment (a RIS resending through the balancer): one item
                String order = TestGateway.message("/e2e/orm-latin1-routine.hl7");
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    List<Future<String>> acks = new ArrayList<>();
                    for (TestGateway gw : List.of(a, b)) {
                        Callable<String> send = () -> {
                            try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
                                return client.send(order, StandardCharsets.ISO_8859_1);
                            }
                        };
                        acks.add(pool.submit(send));
                    }
                    for (Future<String> ack : acks) {
                        assertThat(field(ack.get(), "MSA", 1)).isEqualTo("AA");
                    }
                } finally {
                    pool.shutdownNow();
                }
                for (TestGateway gw : List.of(a, b)) {
                    assertThat(Dcmtk.worklist(work, "MR_SIEMENS", "MWLGW", gw.config.dicom.port,
                            List.of("0008,0050=ACC1001"))).hasSize(1);
                }
                try (Connection c = pg.getDatabase("postgres", "mwl").getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM worklist_item WHERE accession_number = 'ACC1001'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
        }
    }
}
