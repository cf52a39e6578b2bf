package org.ofsep.mwl.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
        LOG.info("MWL Gateway started: HL7 {}, DICOM {} as {}, HTTP {}:{}, store {}", config.hl7.port,
                config.dicom.port, config.dicom.aeTitle, config.http.bindAddress, config.http.port,
                database.settings().describe());
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
