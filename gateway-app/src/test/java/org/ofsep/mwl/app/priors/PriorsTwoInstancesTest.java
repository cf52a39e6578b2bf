package org.ofsep.mwl.app.priors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.priors.SyntheticStudies.series;
import static org.ofsep.mwl.app.priors.SyntheticStudies.study;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.TestGateway;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.store.priors.JdbcRedecisions;

/**
 * Two gateways on one PostgreSQL: the pending PACS lookups of the instance that took the orders are its own
 * while it runs (the other leaves them), and when it stops the other one takes them up and decides again; each
 * lookup's re-decision is written once.
 */
class PriorsTwoInstancesTest {

    @Test
    void lookupsLeftByAStoppedInstanceAreDoneByTheOther(@TempDir Path work) throws Exception {
        LocalDate today = LocalDate.now();
        SyntheticStudies.Study brain3d = study("PAT2001", today.minusYears(1), "IRM ENCEPHALE SEP",
                series("t2_spc_da-fl_sag_p2_iso", "t2_spc_da-fl_sag", "3D", "BRAIN", "SIEMENS"));
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
             OrthancPeer orthanc = OrthancPeer.start(work.resolve("orthanc"));
             TcpGate never = new TcpGate(1)) { // A's way to the PACS never opens
            orthanc.load(SyntheticStudies.write(work.resolve("files"), List.of(brain3d)));
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE mwl");
            }
            String url = pg.getJdbcUrl("postgres", "mwl");
            TestGateway a = new TestGateway(work.resolve("a"));
            TestGateway b = new TestGateway(work.resolve("b"));
            try {
                for (TestGateway gw : List.of(a, b)) {
                    gw.config.database.url = url;
                    gw.config.database.user = "postgres";
                    gw.config.database.password = "";
                    gw.config.priors.source = "dimse";
                    gw.config.priors.dimse.host = "127.0.0.1";
                    gw.config.priors.dimse.calledAeTitle = "ORTHANC";
                    gw.config.priors.retryAfterSeconds = 1;
                }
                a.config.priors.dimse.port = never.port();
                a.config.priors.timeoutSeconds = 4;
                a.config.priors.maxConcurrent = 1; // the second lookup waits in A behind the first
                b.config.priors.dimse.port = orthanc.dicomPort;
                a.start();
                b.start();

                PriorsEndToEndTest.send(a, "PAT2001", "PL2I1");
                PriorsEndToEndTest.send(a, "PAT2001", "PL2I2");
                // A holds both (renewing its claims); B, whose PACS would answer, leaves them alone
                Thread.sleep(2_500);
                for (String acc : List.of("APL2I1", "APL2I2")) {
                    WorklistItem item = b.gateway().worklist().findByAccession(acc).get(0);
                    assertThat(item.decision().contrast()).as(acc + " still the intake decision").isTrue();
                    assertThat(b.gateway().redecisions().history(item.id())).isEmpty();
                }

                a.stop(); // the first lookup gives up (to be tried again), the second is given back
                for (String acc : List.of("APL2I1", "APL2I2")) {
                    Dcmtk.Response seen = PriorsEndToEndTest.awaitConsole(b, work, acc, "ROUTINE");
                    assertThat(seen.get("0040,0100/0040,0007")).as(seen.dump()).contains("ROUTINE");
                    WorklistItem item = b.gateway().worklist().findByAccession(acc).get(0);
                    List<JdbcRedecisions.HistoryEntry> h = b.gateway().redecisions().history(item.id());
                    assertThat(h.stream().filter(e -> e.outcome().equals("CHANGED")).count())
                            .as("decided again once: " + h).isEqualTo(1);
                }
                assertThat(b.gateway().priors().awaitIdle(Duration.ofSeconds(10))).isTrue();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                int left;
                do {
                    try (Connection c = pg.getDatabase("postgres", "mwl").getConnection();
                         Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM prior_lookup")) {
                        rs.next();
                        left = rs.getInt(1);
                    }
                    Thread.sleep(100);
                } while (left > 0 && System.nanoTime() < deadline);
                assertThat(left).as("no lookup left in the database").isZero();
            } finally {
                a.close();
                b.close();
            }
        }
    }
}
