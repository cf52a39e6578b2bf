package org.ofsep.mwl.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.ofsep.mwl.core.decision.OfsepDecisionEngine;
import org.ofsep.mwl.core.mapping.MappingHolder;
import org.ofsep.mwl.core.order.OrderService;
import org.ofsep.mwl.core.service.JdbcOrderService;
import org.ofsep.mwl.core.service.UidGenerator;
import org.ofsep.mwl.core.store.jdbc.Database;
import org.ofsep.mwl.core.store.jdbc.DatabaseSettings;
import org.ofsep.mwl.core.store.jdbc.JdbcWorklistStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: the store and the mapping, the HL7 listener, the DICOM server and the admin HTTP port,
 * wired together. {@link #open} gives the services alone (for the CLI commands that need no server).
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    final GatewayConfig config;
    final Path configDir;
    final Path dataDir;
    final Database database;
    final MappingHolder mapping;
    final JdbcWorklistStore worklist;
    final OrderService orders;
    final GatewayMetrics metrics = new GatewayMetrics();
    private final List<AutoCloseable> running = new ArrayList<>();

    private Gateway(GatewayConfig config, Path configDir, Path dataDir, boolean watchMapping) throws IOException {
        this.config = config;
        this.configDir = configDir;
        this.dataDir = dataDir;
        Files.createDirectories(dataDir);
        Path mappingFile = config.mappingFile(configDir);
        this.mapping = watchMapping ? new MappingHolder(mappingFile)
                : new MappingHolder(mappingFile, java.time.Duration.ZERO, Clock.systemUTC());
        running.add(mapping);
        this.database = Database.open(DatabaseSettings.resolve(blankToNull(config.database.url),
                blankToNull(config.database.user), blankToNull(config.database.password),
                config.database.maxPoolSize, dataDir, System.getenv()));
        running.add(database);
        this.worklist = new JdbcWorklistStore(database, config.dicom.includeStartedSteps);
        this.orders = new JdbcOrderService(database, mapping::current, new OfsepDecisionEngine(),
                new UidGenerator(config.uidRoot), Clock.systemDefaultZone());
    }

    /** The store and mapping, without listeners: for CLI commands. */
    public static Gateway open(GatewayConfig config, Path configDir, Path dataDir) throws IOException {
        return new Gateway(config, configDir, dataDir, false);
    }

    /** Starts everything; on failure, what was started is stopped again. */
    public static Gateway start(GatewayConfig config, Path configDir, Path dataDir) throws Exception {
        Gateway gateway = new Gateway(config, configDir, dataDir, true);
        try {
            gateway.startServers();
        } catch (Exception | Error e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    private void startServers() throws Exception {
        AdminHttpServer http = new AdminHttpServer(config.http.bindAddress, config.http.port, config.http.token,
                adminRoutes());
        running.add(http);
        http.start();
        LOG.info("MWL Gateway started: HL7 {}, DICOM {} as {}, HTTP {}:{}, store {}", config.hl7.port,
                config.dicom.port, config.dicom.aeTitle, config.http.bindAddress, config.http.port,
                database.settings().describe());
    }

    private Map<String, Function<Map<String, String>, AdminHttpServer.Response>> adminRoutes() {
        WorklistView view = new WorklistView(worklist, mapping::current);
        Map<String, Function<Map<String, String>, AdminHttpServer.Response>> routes = new LinkedHashMap<>();
        routes.put("/health", params -> {
            Map<String, Object> health = health();
            return AdminHttpServer.Response.json("DOWN".equals(health.get("status")) ? 503 : 200, Json.write(health));
        });
        routes.put("/metrics", params -> AdminHttpServer.Response.text(200,
                "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        routes.put("/api/worklist", params -> AdminHttpServer.Response.json(200, Json.write(view.day(
                params.containsKey("date") ? LocalDate.parse(params.get("date")) : LocalDate.now(),
                params.get("station"), Boolean.parseBoolean(params.get("reveal"))))));
        routes.put("/board.css", AdminHttpServer.resource("/board/board.css", "text/css; charset=utf-8"));
        routes.put("/board.js", AdminHttpServer.resource("/board/board.js", "text/javascript; charset=utf-8"));
        Function<Map<String, String>, AdminHttpServer.Response> index =
                AdminHttpServer.resource("/board/index.html", "text/html; charset=utf-8");
        routes.put("/", index);
        return routes;
    }

    /** The /health document: database, listeners, mapping state; DOWN only when the database is unreachable. */
    Map<String, Object> health() {
        Map<String, Object> health = new LinkedHashMap<>();
        boolean dbUp = database.ping();
        Map<String, Object> mappingState = new LinkedHashMap<>();
        mappingState.put("file", mapping.file().toString());
        mappingState.put("lastGoodLoad", String.valueOf(mapping.lastGoodLoad()));
        mappingState.put("lastAttempt", String.valueOf(mapping.lastAttempt()));
        mappingState.put("lastError", mapping.lastError());
        mappingState.put("errors", mapping.lastErrors().stream().map(Object::toString).toList());
        boolean mappingOk = mapping.lastErrors().isEmpty();
        health.put("status", !dbUp ? "DOWN" : mappingOk ? "UP" : "DEGRADED");
        health.put("database", Map.of("up", dbUp, "store", database.settings().describe()));
        Map<String, Object> listeners = new LinkedHashMap<>();
        listeners.put("hl7", Map.of("port", config.hl7.port));
        listeners.put("dicom", Map.of("port", config.dicom.port, "aeTitle", config.dicom.aeTitle));
        listeners.put("http", Map.of("port", config.http.port));
        health.put("listeners", listeners);
        health.put("mapping", mappingState);
        if (dbUp) {
            Map<String, Long> counts = new LinkedHashMap<>();
            worklist.countByStatus().forEach((status, n) -> counts.put(status.name(), n));
            health.put("worklist", counts);
        }
        return health;
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    public MappingHolder mapping() {
        return mapping;
    }

    public JdbcWorklistStore worklist() {
        return worklist;
    }

    @Override
    public synchronized void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", running.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        running.clear();
        LOG.info("MWL Gateway stopped");
    }
}
