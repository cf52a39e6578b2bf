package org.ofsep.mwl.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ofsep.mwl.bench.ConsoleQuery;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.mapping.MappingHolder;
import org.ofsep.mwl.store.service.JdbcOrderService;
import org.ofsep.mwl.app.Gateway;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.JdbcWorklistStore;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.DicomReader;
import org.ofsep.mwl.dicom.data.DicomWriter;
import org.ofsep.mwl.dicom.data.TransferSyntax;
import org.ofsep.mwl.dicom.mwl.ResponseCache;
import org.ofsep.mwl.dicom.mwl.WorklistQueryTranslator;
import org.ofsep.mwl.dicom.service.MwlFindScp;
import org.ofsep.mwl.dicom.mwl.WorklistResponseBuilder;
import org.ofsep.mwl.dicom.scu.QueryKeys;
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
 * The server side of the console query without the network, on a real embedded store (H2 file, as the gateway
 * runs it) filled with {@code items} generated orders through the real order service: decoding the identifier,
 * the indexed store query, building and matching each response, and encoding it — the steps of MwlFindScp in
 * that order. Also each step alone, to see where a query's time goes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WorklistQueryBench {
    @Param({"1000", "10000"})
    public int items;

    private Path dataDir;
    private Database db;
    private MappingHolder holder;
    private JdbcWorklistStore store;
    /** The same store without its item cache: every row's decision and protocol codes decoded on every query. */
    private JdbcWorklistStore storeWithoutItemCache;
    private Station station;
    private Attributes identifier;
    private byte[] identifierBytes;
    private WorklistQueryTranslator.Translation translation;
    private final WorklistResponseBuilder builder = new WorklistResponseBuilder();
    private WorklistItem oneItem;
    private WorklistResponseBuilder.Plan plan;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path config = Fixture.configDir();
        holder = Fixture.mapping(config);
        dataDir = Files.createTempDirectory("mwl-jmh-data");
        db = Database.open(DatabaseSettings.h2(dataDir));
        JdbcOrderService orders = new JdbcOrderService(db,
                Gateway.orderPlanner(holder::current, "2.25", Clock.systemDefaultZone()));
        MessageParser parser = new MessageParser();
        for (String m : Fixture.orders(items)) {
            orders.apply(((Hl7Request.Order) parser.parse(m, StandardCharsets.UTF_8)).order());
        }
        store = new JdbcWorklistStore(db, false);
        storeWithoutItemCache = new JdbcWorklistStore(db, false, 0);
        station = holder.current().station("MR_01").orElseThrow();
        identifier = QueryKeys.parse(ConsoleQuery.keys("MR_01", Fixture.TODAY));
        identifierBytes = DicomWriter.write(identifier, TransferSyntax.EXPLICIT_VR_LE);
        translation = new WorklistQueryTranslator(false, 1001).translate(identifier, station);
        List<WorklistItem> found = new ArrayList<>();
        store.query(translation.query(), found::add);
        if (found.isEmpty()) {
            throw new IllegalStateException("the console query matches nothing");
        }
        oneItem = found.get(0);
        plan = builder.plan(identifier);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        db.close();
        holder.close();
        Fixture.deleteTree(dataDir);
    }

    /**
     * The whole console query as MwlFindScp runs it, minus the network and the response cache (the store's item
     * cache warm, as a console asking again): returns the bytes it would send.
     */
    @Benchmark
    public long consoleQuery() throws Exception {
        return consoleQueryOn(store);
    }

    /** Identifier decoded, translated, the store queried, each response built, matched and encoded. */
    private long consoleQueryOn(JdbcWorklistStore s) throws Exception {
        Attributes id = DicomReader.read(identifierBytes, TransferSyntax.EXPLICIT_VR_LE);
        WorklistQueryTranslator.Translation t = new WorklistQueryTranslator(false, 1001).translate(id, station);
        WorklistResponseBuilder.Plan plan = builder.plan(id); // once per query, as MwlFindScp does
        long[] bytes = {0};
        s.query(t.query(), item -> {
            Attributes response = plan.build(item, station);
            if (t.residual().matches(response)) {
                bytes[0] += DicomWriter.write(response, TransferSyntax.EXPLICIT_VR_LE).length;
            }
            return true;
        });
        return bytes[0];
    }

    /** The console query with no cache at all: every row decoded, every response built and encoded. */
    @Benchmark
    public long consoleQueryNoCaches() throws Exception {
        return consoleQueryOn(storeWithoutItemCache);
    }

    /** The store query alone without the item cache. */
    @Benchmark
    public int storeQueryNoItemCache() {
        return storeQueryOn(storeWithoutItemCache);
    }

    private final ResponseCache cache = new ResponseCache(MwlFindScp.DEFAULT_CACHED_RESPONSES);

    /**
     * The console query as MwlFindScp runs it with its response cache warm (the same console asking again, as
     * consoles do all day): rows still read and matched, responses not built nor encoded again.
     */
    @Benchmark
    public long consoleQueryCached() throws Exception {
        Attributes id = DicomReader.read(identifierBytes, TransferSyntax.EXPLICIT_VR_LE);
        WorklistQueryTranslator.Translation t = new WorklistQueryTranslator(false, 1001).translate(id, station);
        WorklistResponseBuilder.Plan plan = builder.plan(id);
        String shape = plan.shape();
        TransferSyntax ts = TransferSyntax.EXPLICIT_VR_LE;
        long[] bytes = {0};
        store.query(t.query(), item -> {
            ResponseCache.Response cached = cache.get(item, station, shape, ts);
            Attributes response = cached != null ? cached.dataset() : plan.build(item, station);
            if (t.residual().matches(response)) {
                byte[] encoded = cached != null ? cached.encoded() : DicomWriter.write(response, ts);
                if (cached == null) {
                    cache.put(item, station, shape, ts, new ResponseCache.Response(response, encoded));
                }
                bytes[0] += encoded.length;
            }
            return true;
        });
        return bytes[0];
    }

    /** The indexed store query alone (rows read and turned into worklist items). */
    @Benchmark
    public int storeQuery() {
        return storeQueryOn(store);
    }

    private int storeQueryOn(JdbcWorklistStore s) {
        int[] n = {0};
        s.query(translation.query(), item -> {
            n[0]++;
            return true;
        });
        return n[0];
    }

    /** Identifier decoding (Explicit VR Little Endian, nested sequences). */
    @Benchmark
    public Attributes decodeIdentifier() throws Exception {
        return DicomReader.read(identifierBytes, TransferSyntax.EXPLICIT_VR_LE);
    }

    /**
     * One response: built for the station's vendor and the requested keys (the query's plan, resolved once per
     * query, is ready), matched, encoded.
     */
    @Benchmark
    public int buildMatchEncodeOne() {
        Attributes response = plan.build(oneItem, station);
        return translation.residual().matches(response)
                ? DicomWriter.write(response, TransferSyntax.EXPLICIT_VR_LE).length : 0;
    }
}
