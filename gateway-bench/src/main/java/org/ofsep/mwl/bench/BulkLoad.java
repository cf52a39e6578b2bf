package org.ofsep.mwl.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.ofsep.mwl.app.Gateway;
import org.ofsep.mwl.core.mapping.MappingHolder;
import org.ofsep.mwl.hl7.Hl7Request;
import org.ofsep.mwl.hl7.MessageParser;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.service.JdbcOrderService;

/**
 * <b>Setup only, never a measurement</b> ({@code --bulk-load N} of the regional scenario): writes the first N
 * orders of a run straight into the store before the gateways start, in this process, through the gateway's own
 * HL7 parser, order planner and order service, {@link #PER_TRANSACTION} orders per transaction on a few threads.
 * What it skips: MLLP, the ACK, the message log and one commit per order. The store then holds the same steps,
 * decisions and protocol codes as if the orders had come through MLLP; the rest of the run (the measured intake,
 * the peak) goes through the gateways as usual. It exists so that a million-item store is ready in minutes rather
 * than the quarter of an hour MLLP intake takes on two cores.
 */
final class BulkLoad {
    static final int PER_TRANSACTION = 250;
    private static final int CHUNK = 10_000;

    private BulkLoad() {
    }

    static Map<String, Object> run(Map<String, String> storeEnv, Path config, OrderGenerator gen, int count,
                                   int totalOrders, int threads) throws Exception {
        long t0 = System.nanoTime();
        DatabaseSettings settings = new DatabaseSettings(storeEnv.get("GATEWAY_DB_URL"),
                storeEnv.get("GATEWAY_DB_USER"), storeEnv.getOrDefault("GATEWAY_DB_PASSWORD", ""), threads + 2);
        AtomicInteger done = new AtomicInteger();
        try (MappingHolder holder = new MappingHolder(config.resolve("mapping.yaml"), Duration.ZERO,
                Clock.systemUTC()); Database db = Database.open(settings)) {
            JdbcOrderService orders = new JdbcOrderService(db,
                    Gateway.orderPlanner(holder::current, "2.25", Clock.systemDefaultZone()));
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (int chunk = 0; chunk < count; chunk += CHUNK) {
                    List<String> messages = gen.orders(chunk, Math.min(count, chunk + CHUNK), totalOrders);
                    List<Future<?>> parts = new ArrayList<>();
                    for (int from = 0; from < messages.size(); from += PER_TRANSACTION) {
                        List<String> part = messages.subList(from, Math.min(messages.size(), from + PER_TRANSACTION));
                        parts.add(pool.submit(() -> {
                            MessageParser parser = new MessageParser();
                            db.inOneTransaction(() -> {
                                for (String m : part) {
                                    orders.apply(((Hl7Request.Order) parser.parse(m, StandardCharsets.UTF_8)).order());
                                }
                                return null;
                            });
                            done.addAndGet(part.size());
                            return null;
                        }));
                    }
                    for (Future<?> f : parts) {
                        f.get();
                    }
                    BenchRun.log("  bulk load (setup, not measured): " + done.get() + " / " + count);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("orders", done.get());
        r.put("seconds", Percentiles.round(seconds));
        r.put("note", "setup only, not a measurement: written in-process through the gateway's parser, planner and"
                + " order service, " + PER_TRANSACTION + " orders per transaction, no MLLP, no ACK, no message log");
        return r;
    }
}
