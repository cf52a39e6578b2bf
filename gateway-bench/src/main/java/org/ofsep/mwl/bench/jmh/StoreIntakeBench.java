package org.ofsep.mwl.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ofsep.mwl.core.mapping.MappingHolder;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.store.service.JdbcOrderService;
import org.ofsep.mwl.app.Gateway;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.JdbcMessageLog;
import org.ofsep.mwl.hl7.Hl7Request;
import org.ofsep.mwl.hl7.MessageParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The store side of HL7 intake, one thread: what the inbound route commits for one accepted order (the order
 * applied through the real order service and the message kept in the log with its AA, one transaction) on an
 * embedded H2 file store, as the gateway opens it. {@code h2Options} are appended to the gateway's H2 URL, to
 * compare storage settings on the same work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StoreIntakeBench {
    /** More orders than a run applies, so that every invocation stores a new order. */
    private static final int ORDERS = 40_000;

    @Param({""})
    public String h2Options;

    private Path dataDir;
    private Database db;
    private MappingHolder holder;
    private JdbcOrderService orders;
    private JdbcMessageLog log;
    private List<String> messages;
    private List<OrderMessage> parsed;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        holder = Fixture.mapping(Fixture.configDir());
        dataDir = Files.createTempDirectory("mwl-jmh-intake");
        DatabaseSettings h2 = DatabaseSettings.h2(dataDir);
        db = Database.open(new DatabaseSettings(h2.url() + h2Options, h2.user(), h2.password(), h2.maxPoolSize()));
        orders = new JdbcOrderService(db,
                Gateway.orderPlanner(holder::current, "2.25", Clock.systemDefaultZone()));
        log = new JdbcMessageLog(db, Clock.systemDefaultZone());
        MessageParser parser = new MessageParser();
        messages = Fixture.orders(ORDERS);
        parsed = new ArrayList<>(ORDERS);
        for (String m : messages) {
            parsed.add(((Hl7Request.Order) parser.parse(m, StandardCharsets.UTF_8)).order());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        db.close();
        holder.close();
        Fixture.deleteTree(dataDir);
    }

    /** One accepted order: applied and logged with its ACK, one commit. */
    @Benchmark
    public long applyAndLog() {
        int i = next++;
        if (i >= ORDERS) {
            throw new IllegalStateException("more invocations than generated orders: raise ORDERS");
        }
        OrderMessage order = parsed.get(i);
        return db.inOneTransaction(() -> {
            orders.apply(order);
            return log.record("RIS^BENCH", "MSG" + i, "ORM^O01", messages.get(i), "AA",
                    "MSH|^~\\&|MWLGW|OFSEP|RIS|BENCH|20261125||ACK^O01|ACK" + i + "|P|2.5\rMSA|AA|MSG" + i, null);
        });
    }
}
