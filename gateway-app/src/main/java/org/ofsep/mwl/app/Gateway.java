package org.ofsep.mwl.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import org.ofsep.mwl.core.domain.WorklistItem;
import java.util.Map;
import java.util.function.Function;
import org.ofsep.mwl.core.decision.OfsepDecisionEngine;
import org.ofsep.mwl.core.mapping.MappingHolder;
import org.ofsep.mwl.core.order.OrderService;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.store.service.JdbcOrderService;
import org.ofsep.mwl.store.service.JdbcPerformedStepService;
import org.ofsep.mwl.store.Housekeeping;
import org.ofsep.mwl.store.HousekeepingSettings;
import org.ofsep.mwl.store.JdbcLease;
import org.ofsep.mwl.store.JdbcMessageLog;
import org.ofsep.mwl.store.JdbcOutboundQueue;
import org.ofsep.mwl.store.LeasedOutboundQueue;
import org.ofsep.mwl.store.service.JdbcReviewService;
import org.ofsep.mwl.store.AuditTable;
import org.ofsep.mwl.store.UserTable;
import org.ofsep.mwl.dicom.DicomServer;
import org.ofsep.mwl.dicom.DicomSettings;
import org.ofsep.mwl.hl7.Hl7Gateway;
import org.ofsep.mwl.hl7.Hl7Settings;
import org.ofsep.mwl.core.service.UidGenerator;
import org.ofsep.mwl.core.service.ItemTexts;
import org.ofsep.mwl.core.planning.OrderPlanner;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.hl7.Hl7FieldLimits;
import java.util.function.Supplier;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.JdbcWorklistStore;
import org.ofsep.mwl.store.StoreServer;
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
    /** The intake planner (the PACS prior lookups give it their cached answers). */
    final OrderPlanner planner;
    final JdbcPerformedStepService performedSteps;
    final JdbcMessageLog messageLog;
    final JdbcOutboundQueue outbound;
    final JdbcLease lease;
    final UserTable users;
    final AuditTable audit;
    final JdbcReviewService reviews;
    /** Identifies this instance in database leases (housekeeping, RIS sender). */
    final String instanceId;
    /** The lock of the data directory this gateway serves (null for a CLI command). */
    private final ServeLock serveLock;
    /** Decides steps again when the PACS answers (history in decision_history). */
    final org.ofsep.mwl.store.priors.JdbcRedecisions redecisions;
    private org.ofsep.mwl.app.priors.PriorLookups priors;
    private Hl7Gateway hl7;
    private DicomServer dicom;
    final GatewayMetrics metrics = new GatewayMetrics();
    private final List<AutoCloseable> running = new ArrayList<>();
    /** The system clock in the site's time zone (gateway.yaml timeZone). */
    private final Clock siteClock;
    /** The certificates of the TLS settings in use (read at start). */
    private List<TlsCertificates.Entry> certificates = List.of();
    /** For certificate expiry on /health and /metrics. */
    Clock clock = Clock.systemUTC();

    private Gateway(GatewayConfig config, Path configDir, Path dataDir, boolean watchMapping, ServeLock serveLock)
            throws IOException {
        this.config = config;
        this.configDir = configDir;
        this.dataDir = dataDir;
        if (serveLock != null) {
            running.add(serveLock); // released last, when everything else is stopped
        }
        DataDirectory.ensure(dataDir);
        Path mappingFile = config.mappingFile(configDir);
        this.mapping = watchMapping ? new MappingHolder(mappingFile)
                : new MappingHolder(mappingFile, java.time.Duration.ZERO, Clock.systemUTC());
        running.add(mapping);
        this.database = serveLock != null ? openServing(databaseSettings(config, dataDir, config.database.maxPoolSize))
                : Database.open(commandDatabaseSettings(config, dataDir, config.database.maxPoolSize));
        running.add(database);
        if (serveLock != null) {
            String unwritable = database.probeWrite();
            if (unwritable != null) {
                throw new StoreNotWritableException("The store does not take writes: " + unwritable + " ("
                        + database.settings().describe() + "). The gateway would answer every order with AR (or, when"
                        + " the file cannot be synced to the disk, acknowledge orders a power loss could lose), so it"
                        + " does not start. Fix it and start again.");
            }
        }
        if (serveLock != null && database.settings().embeddedH2()) {
            // the CLI commands of this machine reach the embedded store through this gateway (loopback only)
            running.add(StoreServer.start(database.settings(), dataDir));
        }
        this.worklist = new JdbcWorklistStore(database, config.dicom.includeStartedSteps)
                .queryTimeout(Duration.ofSeconds(config.dicom.queryTimeoutSeconds));
        Clock clock = Clock.system(config.siteZone());
        this.siteClock = clock;
        this.planner = orderPlanner(mapping::current, config.uidRoot, clock);
        this.orders = new JdbcOrderService(database, planner)
                .withAccessionScope(accessionScope(config.hl7.accessionNumbersUnique));
        this.performedSteps = new JdbcPerformedStepService(database, mapping::current, clock);
        this.redecisions = new org.ofsep.mwl.store.priors.JdbcRedecisions(database, mapping::current,
                new OfsepDecisionEngine(), org.ofsep.mwl.core.service.ItemTexts.DEFAULT, clock);
        this.messageLog = new JdbcMessageLog(database, clock);
        this.outbound = new JdbcOutboundQueue(database, clock);
        this.lease = new JdbcLease(database, clock);
        this.users = new UserTable(database, clock);
        this.audit = new AuditTable(database);
        this.reviews = new JdbcReviewService(database, mapping::current, clock);
        // host, pid and HL7 port say who it is in logs and leases; the random part keeps two instances apart when
        // those three are equal (containers with a fixed host name, each process pid 1, the default port)
        this.instanceId = serveLock != null && serveLock.holder().instance() != null ? serveLock.holder().instance()
                : newInstanceId(config);
        this.serveLock = serveLock;
    }

    /** host:pid:hl7Port:random, this process's name in the store's claims and leases. */
    static String newInstanceId(GatewayConfig config) {
        return hostName() + ":" + ProcessHandle.current().pid() + ":" + config.hl7.port + ":"
                + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    static JdbcOrderService.AccessionScope accessionScope(String value) throws GatewayConfig.ConfigException {
        String v = value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
            case "", "global" -> JdbcOrderService.AccessionScope.GLOBAL;
            case "issuer" -> JdbcOrderService.AccessionScope.ISSUER;
            case "none" -> JdbcOrderService.AccessionScope.NONE;
            default -> throw new GatewayConfig.ConfigException("gateway.yaml: hl7.accessionNumbersUnique: '" + value
                    + "' is not one of global, issuer, none", null);
        };
    }

    /** The gateway cannot store orders: it refuses to start (the message says why in plain words). */
    public static final class StoreNotWritableException extends IOException {
        StoreNotWritableException(String message) {
            super(message);
        }
    }

    /** Free space below which the embedded store is taken as full at start. */
    static final long MIN_FREE_BYTES = 4L * 1024 * 1024;

    /**
     * The embedded store's directory must be writable and its disk not full, else the gateway would start, say UP,
     * and answer every order with AR. Says what is wrong in plain words.
     */
    static void checkDataDirectory(Path dataDir) throws IOException {
        Path dir = dataDir.toAbsolutePath();
        try {
            DataDirectory.ensure(dir);
        } catch (IOException e) {
            throw new StoreNotWritableException("The data directory " + dir + " cannot be created (" + e.getMessage()
                    + "): create it, writable by the user running the gateway, and start again.");
        }
        if (!Files.isWritable(dir)) {
            throw new StoreNotWritableException("The data directory " + dir + " is not writable (read-only file system "
                    + "or permissions): the gateway stores every order there and does not start. Make it writable "
                    + "for the user running the gateway and start again.");
        }
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free < MIN_FREE_BYTES) {
            throw new StoreNotWritableException("The disk of the data directory " + dir + " is full (" + free / 1024
                    + " KB free): the gateway cannot store orders and does not start. Free some space and start again.");
        }
    }

    /** The store and mapping, without listeners: for CLI commands. */
    public static Gateway open(GatewayConfig config, Path configDir, Path dataDir) throws IOException {
        if (databaseSettings(config, dataDir, 1).embeddedH2()
                && !Files.exists(dataDir.toAbsolutePath().resolve("gateway.mv.db"))) {
            // the trap of a PostgreSQL deployment whose URL is in the service's environment only
            LOG.warn("No store in {} yet: this command creates an empty embedded one. If the gateway uses PostgreSQL "
                    + "(GATEWAY_DB_URL in its environment, e.g. gateway.env), run the command with that environment",
                    dataDir.toAbsolutePath());
        }
        return new Gateway(config, configDir, dataDir, false, null);
    }

    /** Starts everything; on failure, what was started is stopped again. */
    public static Gateway start(GatewayConfig config, Path configDir, Path dataDir) throws Exception {
        // every value of gateway.yaml refused before the data directory is touched: the priors section is checked
        // when its source is built, after the store is open (a bad port created and migrated the store first)
        PriorSources.checkValues(config);
        if (databaseSettings(config, dataDir, config.database.maxPoolSize).embeddedH2()) {
            checkDataDirectory(dataDir);
        }
        // one serving gateway per data directory, refused before the store is touched
        ServeLock serveLock = ServeLock.acquire(dataDir, config, newInstanceId(config));
        Gateway gateway;
        try {
            gateway = new Gateway(config, configDir, dataDir, true, serveLock);
        } catch (Exception | Error e) {
            serveLock.close();
            throw e;
        }
        try {
            gateway.startServers();
        } catch (Exception | Error e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    /** The WARN of a station the mapping left out while steps still wait on it (at a reload, or at start). */
    private static void stationLeftOut(String station, String how, long pending) {
        LOG.warn("Mapping: station {} {} while {} step(s) still wait on it: its console is refused and no console "
                + "sees them; put the station back, or have the RIS move them (XO)", station, how, pending);
    }

    private static java.util.Set<String> stationTitles(org.ofsep.mwl.core.mapping.MappingSnapshot m) {
        java.util.Set<String> titles = new java.util.HashSet<>();
        m.stations().forEach(s -> titles.add(s.aeTitle()));
        return titles;
    }

    /**
     * Starts a listener; a port another program holds is said with the listener, the address and what to change
     * ("error: Address already in use" named none of them).
     */
    static <T> T listening(String what, String bindAddress, int port, String setting,
                           java.util.concurrent.Callable<T> start) throws Exception {
        try {
            return start.call();
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.net.BindException) {
                    throw new IllegalStateException(what + " cannot listen on " + bindAddress + ":" + port + " ("
                            + t.getMessage() + "): another program (another gateway?) holds the port; stop it or set "
                            + setting + " (gateway doctor checks the ports of gateway.yaml)", e);
                }
            }
            throw e;
        }
    }

    private void startServers() throws Exception {
        running.add(metrics.bindJvmMeters()); // /metrics: the collector's pauses, memory, threads
        Housekeeping housekeeping = new Housekeeping(database, lease, instanceId, housekeepingSettings(),
                siteClock);
        running.add(housekeeping);
        housekeeping.start(Duration.ofMinutes(1));

        priors = priorLookups();
        if (priors != null) {
            // stopped after the HL7 listener and before the database (reverse order), without interrupting a write
            running.add(priors);
        }
        // every instance runs a RIS sender, but the queue hands out events only to the holder of the lease
        LeasedOutboundQueue sender = new LeasedOutboundQueue(outbound, lease, instanceId, Duration.ofSeconds(30));
        // given up once the HL7 side (and its sender) has stopped: after a clean stop, the next start or another
        // instance sends at once instead of waiting for the lease to lapse (20 to 30 s)
        running.add(sender::release);
        hl7 = new Hl7Gateway(hl7Settings(), metrics.measure(priors == null ? orders : priors.intake(orders)),
                metrics.measure(messageLog), database, sender, () -> true, siteClock);
        running.add(hl7);
        if (priors != null) {
            planner.cachedPriors(priors::cachedPriors); // a fresh PACS answer decides at intake, from memory
            hl7.afterCommit(priors);
            // the lookups the previous run of this gateway (same data directory) still held are taken up at once:
            // it is gone (this one got the serve lock), its claims need not lapse first
            serveLock.previous().map(ServeLock.Holder::instance).filter(prev -> !prev.equals(instanceId))
                    .ifPresent(priors::takeOverFrom);
            // the lookups a stop or a crash left in the database are taken up now; a lookup names its order's
            // message in the log, read back with the intake's parser
            priors.start(hl7::loggedOrder);
        }
        listening("the HL7 listener", config.hl7.bindAddress, config.hl7.port, "hl7.port (--hl7-port)", () -> {
            hl7.start();
            return null;
        });

        dicom = new DicomServer(dicomSettings(), mapping::current, metrics.measure(worklist),
                performedSteps);
        running.add(dicom);
        dicom.observer(metrics.dicomObserver());
        listening("the DICOM listener", config.dicom.bindAddress, config.dicom.port, "dicom.port (--dicom-port)", () -> {
            dicom.start();
            return null;
        });
        metrics.gauge("mwl_dicom_associations_open", "DICOM associations open", () -> dicom.activeAssociations());
        metrics.gauge("mwl_dicom_connections_pending", "DICOM connections that have not associated yet (no slot held)",
                () -> dicom.pendingConnections());
        metrics.gauge("mwl_dicom_associations_waiting", "DICOM association requests waiting for a free slot",
                () -> dicom.waitingAssociations());
        metrics.gauge("mwl_hl7_connections_open", "MLLP connections open (at most hl7.maxConnections)",
                () -> hl7.connectionsOpen());
        metrics.counter("mwl_hl7_connection_limit_reached_total",
                "Times every MLLP connection was in use (new connections were closed at once)", hl7::connectionLimitReached);
        metrics.gauge("mwl_outbound_queue_depth", "Status messages waiting for the RIS", outbound::depth);
        // what became of them: a message the RIS refused leaves the queue, so the depth alone never showed it
        metrics.counter("mwl_outbound_sent_total", "Status messages the RIS acknowledged (AA)",
                () -> hl7.metrics().statusSentCount());
        metrics.counter("mwl_outbound_retries_total", "Status deliveries postponed (RIS unreachable, no ACK in time)",
                () -> hl7.metrics().statusRetryCount());
        metrics.counter("mwl_outbound_failed_total", "Status messages the RIS refused (AE/AR): failed for good",
                () -> hl7.metrics().statusFailedCount());
        if (database.h2File().isPresent()) {
            // the embedded store's file, which its maintenance keeps near the data plus the last minutes of commits
            metrics.gauge("mwl_store_file_bytes", "Size of the embedded H2 file",
                    () -> database.h2File().map(f -> (Number) f.bytes()).orElse(Double.NaN));
            // what the commits wrote, put on the disk by the same maintenance a few times a second (H2Sync)
            metrics.counter("mwl_store_syncs_total", "Syncs of the embedded H2 file to the disk",
                    () -> database.h2File().map(f -> (Number) f.syncs()).orElse(Double.NaN));
            metrics.counter("mwl_store_sync_seconds_total", "Time spent syncing the embedded H2 file to the disk",
                    () -> database.h2File().map(f -> (Number) f.syncSeconds()).orElse(Double.NaN));
        }
        watchCertificates();

        // the mapping this start decides with, when the audit trail does not have it last (edited while the gateway
        // was stopped, the usual way to change it, or the first start): the trail tells which mapping decided when
        try {
            org.ofsep.mwl.core.mapping.MappingSnapshot current = mapping.current();
            String last = audit.lastDetail(List.of("MAPPING_RELOADED", "MAPPING_LOADED"));
            if (last == null || !last.contains("SHA-256 " + current.sha256() + ")")) {
                audit.record(org.ofsep.mwl.core.review.AuditEvent.of(java.time.Instant.now(),
                        JdbcReviewService.GATEWAY, null, "MAPPING_LOADED", "mapping loaded at start from "
                                + current.source() + " (" + current.stations().size() + " stations, SHA-256 "
                                + current.sha256() + ")" + (last == null ? "" : ": not the last one recorded")));
            }
        } catch (RuntimeException e) {
            LOG.warn("Mapping loaded at start not written to the audit trail: {}", e.toString());
        }
        // a station taken out of the mapping while steps wait on it: its console is refused from then on (the AE
        // title is no longer known) and those exams vanish from every console; said at WARN, with what to do
        java.util.concurrent.atomic.AtomicReference<java.util.Set<String>> stationsBefore = new java.util.concurrent
                .atomic.AtomicReference<>(stationTitles(mapping.current()));
        // the same at start: a station taken out of the mapping while the gateway was stopped. Counted after the
        // start, on a thread of its own: the count reads every pending step (1 to 2 s at 100,000 items), which
        // start-up must not wait for
        java.util.Set<String> startStations = stationsBefore.get();
        Thread check = new Thread(() -> {
            try {
                java.util.Map<String, Long> pending = database.read(org.ofsep.mwl.store.ItemTable::pendingByStation);
                pending.forEach((station, n) -> {
                    if (!startStations.contains(station)) {
                        stationLeftOut(station, "is not in the mapping", n);
                    }
                });
            } catch (RuntimeException e) {
                LOG.debug("Mapping: the steps left on stations not in the mapping could not be counted: {}",
                        e.toString());
            }
        }, "mapping-station-check");
        check.setDaemon(true);
        check.start();
        mapping.addListener(next -> {
            java.util.Set<String> now = stationTitles(next);
            for (String gone : stationsBefore.getAndSet(now)) {
                if (now.contains(gone)) {
                    continue;
                }
                try {
                    long pending = database.read(c -> org.ofsep.mwl.store.ItemTable.pendingOn(c, gone));
                    if (pending > 0) {
                        stationLeftOut(gone, "was removed", pending);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Mapping: the steps left on removed station {} could not be counted: {}", gone,
                            e.toString());
                }
            }
        });
        // every good mapping reload is in the audit trail (it changes how new orders are decided)
        mapping.addListener(next -> {
            try {
                audit.record(org.ofsep.mwl.core.review.AuditEvent.of(java.time.Instant.now(),
                        JdbcReviewService.GATEWAY, null, "MAPPING_RELOADED", "mapping reloaded from " + next.source()
                                + " (" + next.stations().size() + " stations, SHA-256 " + next.sha256() + ")"));
            } catch (RuntimeException e) {
                LOG.warn("Mapping reload not written to the audit trail: {}", e.toString());
            }
        });
        GatewayConfig.Http h = config.http;
        Sessions sessions = new Sessions(Duration.ofMinutes(h.sessionIdleMinutes), Duration.ofHours(h.sessionMaxHours),
                Clock.systemUTC());
        ReviewApi reviewApi = new ReviewApi(users, audit, reviews, sessions, metrics, h.loginMaxFailures,
                Duration.ofMinutes(h.loginLockMinutes), siteClock);
        AdminHttpServer http = listening("the admin HTTP listener", h.bindAddress, h.port, "http.port (--http-port)",
                () -> new AdminHttpServer(h.bindAddress, h.port, h.token, adminRoutes(), reviewApi.routes(), sessions,
                        h.secureCookies));
        http.allowHosts(h.allowedHosts).trustProxies(h.trustedProxies);
        running.add(http);
        http.start();
        LOG.info("MWL Gateway started: HL7 {}, DICOM {} as {}, HTTP {}:{}, store {}", config.hl7.port,
                config.dicom.port, config.dicom.aeTitle, config.http.bindAddress, config.http.port,
                database.settings().describe());
    }

    /** The PACS prior lookups gateway.yaml asks for, or null ({@code priors.source: none}). */
    org.ofsep.mwl.app.priors.PriorLookups priorLookups() throws IOException {
        org.ofsep.mwl.core.priors.PriorSource source = PriorSources.fromConfig(config, configDir);
        if (source == null) {
            return null;
        }
        if (!mapping.current().hasPriorRules()) {
            LOG.warn("priors.source is {} but the mapping has no priors: section: no PACS study will count as a prior",
                    config.priors.source);
        }
        GatewayConfig.Priors p = config.priors;
        LOG.info("Priors: previous MRIs asked to {} after each order's ACK ({} at once, {} while {}+ orders arrive"
                + " per {} ms, timeout {} s, {} years back)", source.describe(), p.maxConcurrent, p.busyConcurrent,
                p.busyOrders, p.busyWindowMillis, p.timeoutSeconds, p.lookbackYears);
        return new org.ofsep.mwl.app.priors.PriorLookups(source, new org.ofsep.mwl.app.priors.PriorLookups.Settings(
                Duration.ofSeconds(p.timeoutSeconds), p.lookbackYears, p.maxConcurrent, p.queueSize,
                Duration.ofMinutes(p.cacheMinutes), p.cacheSize, p.retries, Duration.ofSeconds(p.retryAfterSeconds),
                p.busyConcurrent, p.busyOrders, Duration.ofMillis(p.busyWindowMillis), p.defaultIssuer),
                mapping::current, redecisions, new org.ofsep.mwl.store.priors.JdbcPriorLookupQueue(database,
                Clock.systemUTC()), instanceId, siteClock, metrics.registry());
    }

    /**
     * The order service of a command that applies orders outside {@code serve} ({@code gateway replay}): with
     * {@code priors.source} set, an order that leaves a scheduled OFSEP step gets its durable PACS lookup in the same
     * transaction, unclaimed and due now, which the serving gateway's drainer (or the next start) takes up. A
     * replayed order was never looked up: its intake decision stayed even with a comparable prior in the PACS.
     */
    OrderService ordersWithLookups() {
        if ("none".equalsIgnoreCase(String.valueOf(config.priors.source).trim())) {
            return orders;
        }
        org.ofsep.mwl.store.priors.JdbcPriorLookupQueue queue = new org.ofsep.mwl.store.priors.JdbcPriorLookupQueue(
                database, Clock.systemUTC());
        OrderService delegate = orders;
        return new OrderService() {
            @Override
            public List<WorklistItem> apply(org.ofsep.mwl.core.order.OrderMessage order) {
                return apply(order, 0);
            }

            @Override
            public List<WorklistItem> apply(org.ofsep.mwl.core.order.OrderMessage order, long messageId) {
                List<WorklistItem> items = messageId > 0 ? delegate.apply(order, messageId) : delegate.apply(order);
                if (order.placerOrderNumber() != null && !order.placerOrderNumber().isBlank()
                        && items.stream().anyMatch(i -> i.status() == org.ofsep.mwl.core.domain.SpsStatus.SCHEDULED
                        && i.decision() != null && i.decision().ofsep())) {
                    queue.add(order, messageId, null, Duration.ZERO);
                }
                return items;
            }

            @Override
            public int updatePatient(org.ofsep.mwl.core.domain.Patient patient) {
                return delegate.updatePatient(patient);
            }

            @Override
            public int mergePatient(org.ofsep.mwl.core.domain.Patient survivor, String oldPatientId, String oldIssuer) {
                return delegate.mergePatient(survivor, oldPatientId, oldIssuer);
            }
        };
    }

    /** The running prior lookups, or null when priors.source is none. */
    public org.ofsep.mwl.app.priors.PriorLookups priors() {
        return priors;
    }

    /** The radiologist review (CONFIRM, OVERRIDE) of this gateway's store. */
    public JdbcReviewService reviews() {
        return reviews;
    }

    public org.ofsep.mwl.store.priors.JdbcRedecisions redecisions() {
        return redecisions;
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
        routes.put("/api/worklist", params -> {
            LocalDate day = date(params, "date", LocalDate.now(siteClock));
            Map<String, Object> json = view.day(day, params.get("station"), Boolean.parseBoolean(params.get("reveal")));
            // each OFSEP item says where it stands with the radiologist (AUTO, TO_REVIEW, CONFIRMED, OVERRIDDEN)
            Map<String, String> states = new java.util.HashMap<>();
            reviews.list(day, params.get("station"), true)
                    .forEach(r -> states.put(r.item().spsId(), r.state().name()));
            Object items = json.get("items");
            if (items instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> item && states.containsKey(String.valueOf(item.get("spsId")))) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> m = (Map<String, Object>) item;
                        m.put("reviewState", states.get(String.valueOf(item.get("spsId"))));
                    }
                }
            }
            return AdminHttpServer.Response.json(200, Json.write(json));
        });
        routes.put("/api/history", params -> {
            String accession = params.get("accession");
            if (accession == null || accession.isBlank()) {
                return AdminHttpServer.Response.json(400, Json.write(Map.of("error", "accession is required")));
            }
            List<Object> steps = new ArrayList<>();
            for (WorklistItem item : worklist.findByAccession(accession.trim())) {
                Map<String, Object> step = new LinkedHashMap<>();
                step.put("spsId", item.spsId());
                step.put("status", item.status().name());
                List<Object> history = new ArrayList<>();
                for (var h : redecisions.history(item.id())) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("at", h.at().toString());
                    e.put("source", h.source());
                    e.put("outcome", h.outcome());
                    e.put("note", h.note());
                    e.put("before", h.before());
                    e.put("after", h.after());
                    history.add(e);
                }
                step.put("history", history);
                steps.add(step);
            }
            return AdminHttpServer.Response.json(200, Json.write(Map.of("accessionNumber", accession.trim(), "steps", steps)));
        });
        routes.put("/api/decisions", params -> AdminHttpServer.Response.json(200,
                Json.write(Map.of("decisions", metrics.recentDecisions()))));
        routes.put("/api/report/gd", params -> {
            LocalDate to = date(params, "to", LocalDate.now(siteClock));
            LocalDate from = date(params, "from", to.minusYears(1).plusDays(1));
            return AdminHttpServer.Response.json(200, Json.write(GdReport.of(from, to, worklist.exams(from, to), 10,
                    Boolean.parseBoolean(params.get("reveal"))).withOverrides(reviewEvents(from, to)).toJson()));
        });
        routes.put("/board.css", AdminHttpServer.resource("/board/board.css", "text/css; charset=utf-8"));
        routes.put("/board.js", AdminHttpServer.resource("/board/board.js", "text/javascript; charset=utf-8"));
        routes.put("/review.js", AdminHttpServer.resource("/board/review.js", "text/javascript; charset=utf-8"));
        Function<Map<String, String>, AdminHttpServer.Response> index =
                AdminHttpServer.resource("/board/index.html", "text/html; charset=utf-8");
        // "/" is the context of every path the others do not take: only the page itself is served there
        routes.put("/", params -> "/".equals(params.get(AdminHttpServer.PATH)) || "/index.html".equals(
                params.get(AdminHttpServer.PATH)) ? index.apply(params) : null);
        return routes;
    }

    private static LocalDate date(Map<String, String> params, String name, LocalDate otherwise) {
        String value = params.get(name);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return LocalDate.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be a date YYYY-MM-DD, not '" + value + "'");
        }
    }

    /**
     * The certificates of the TLS settings in use, read once at start (what the listeners loaded): seconds to
     * expiry per certificate on /metrics, their state on /health.
     */
    private void watchCertificates() {
        try {
            certificates = TlsCertificates.entries(config, configDir);
        } catch (IOException e) {
            LOG.warn("TLS certificates not readable for /health and /metrics: {}", e.getMessage());
            certificates = List.of();
        }
        for (TlsCertificates.Entry entry : certificates) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("setting", entry.setting());
            labels.put("role", entry.role());
            labels.put("file", entry.file().getFileName().toString());
            labels.put("subject", entry.subject());
            labels.put("serial", entry.certificate().getSerialNumber().toString(16));
            metrics.gauge("mwl_tls_certificate_expiry_seconds",
                    "Seconds until the certificate expires (negative: expired), per TLS setting and certificate",
                    labels, () -> entry.secondsLeft(clock.instant()));
        }
    }

    /** The certificates part of /health and its status: DOWN when one is expired, WARN within 30 days. */
    private String certificatesHealth(Map<String, Object> health) {
        Instant now = clock.instant();
        String status = "UP";
        List<Map<String, Object>> items = new ArrayList<>();
        for (TlsCertificates.Entry entry : certificates) {
            String s = entry.status(now);
            if (s.equals("DOWN") || s.equals("WARN") && status.equals("UP")) {
                status = s;
            }
            items.add(entry.toJson(now));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", status);
        json.put("warnDays", TlsCertificates.WARN_BEFORE.toDays());
        json.put("items", items);
        health.put("certificates", json);
        return status;
    }

    /** The /health document: database, listeners, mapping state; DOWN only when the database is unreachable. */
    Map<String, Object> health() {
        Map<String, Object> health = new LinkedHashMap<>();
        boolean dbUp = database.ping();
        String writeFailure = database.writeFailure();
        Map<String, Object> mappingState = new LinkedHashMap<>();
        mappingState.put("file", mapping.file().toString());
        mappingState.put("lastGoodLoad", String.valueOf(mapping.lastGoodLoad()));
        mappingState.put("lastAttempt", String.valueOf(mapping.lastAttempt()));
        mappingState.put("lastError", mapping.lastError());
        mappingState.put("errors", mapping.lastErrors().stream().map(Object::toString).toList());
        boolean mappingOk = mapping.lastErrors().isEmpty();
        boolean pacsDown = priors != null && priors.down();
        health.put("status", !dbUp || writeFailure != null ? "DOWN" : mappingOk && !pacsDown ? "UP" : "DEGRADED");
        // an expired certificate takes its listener or link down; one expiring within 30 days is a warning
        String certificateStatus = certificatesHealth(health);
        if (certificateStatus.equals("DOWN")) {
            health.put("status", "DOWN");
        } else if (certificateStatus.equals("WARN") && "UP".equals(health.get("status"))) {
            health.put("status", "WARN");
        }
        Map<String, Object> db = new LinkedHashMap<>();
        db.put("up", dbUp);
        db.put("writable", writeFailure == null);
        if (writeFailure != null) {
            db.put("writeFailure", writeFailure);
            db.put("writeFailingSince", String.valueOf(database.writeFailingSince()));
        }
        db.put("store", database.settings().describe());
        health.put("database", db);
        Map<String, Object> listeners = new LinkedHashMap<>();
        listeners.put("hl7", Map.of("port", config.hl7.port, "up", hl7 != null && hl7.isRunning()));
        listeners.put("dicom", Map.of("port", config.dicom.port, "aeTitle", config.dicom.aeTitle,
                "associationsOpen", dicom == null ? 0 : dicom.activeAssociations()));
        listeners.put("http", Map.of("port", config.http.port));
        health.put("listeners", listeners);
        health.put("mapping", mappingState);
        health.put("priors", priors == null ? Map.of("source", "none") : priors.health());
        if (dbUp && writeFailure == null) {
            health.put("outbound", Map.of("enabled", config.hl7.ris.enabled, "depth", outbound.depth(),
                    "failed", outbound.failedCount()));
            Map<String, Long> counts = new LinkedHashMap<>();
            worklist.countByStatus().forEach((status, n) -> counts.put(status.name(), n));
            health.put("worklist", counts);
        }
        return health;
    }

    Hl7Settings hl7Settings() {
        GatewayConfig.Ris ris = config.hl7.ris;
        Hl7Settings.RisOutbound outboundSettings = ris.enabled
                ? new Hl7Settings.RisOutbound(true, ris.host, ris.port, ris.messageType, null,
                        Duration.ofMillis(ris.pollIntervalMillis), 0, null, null, null, null, null, null, ris.tls)
                : Hl7Settings.RisOutbound.disabled();
        GatewayConfig.Tls tls = config.hl7.tls;
        Path trusted = blankToNull(tls.trustedCertificates) == null ? null : configDir.resolve(tls.trustedCertificates);
        Hl7Settings.Tls tlsSettings = tls.enabled
                ? Hl7Settings.Tls.pem(configDir.resolve(tls.certificate), configDir.resolve(tls.privateKey), trusted)
                : trusted != null ? Hl7Settings.Tls.trusting(trusted) : Hl7Settings.Tls.disabled();
        return Hl7Settings.defaults().withListener(config.hl7.bindAddress, config.hl7.port).withRis(outboundSettings)
                .withConnectionLimits(config.hl7.maxConnections, Duration.ofSeconds(Math.max(0, config.hl7.idleTimeoutSeconds)))
                .withTls(tlsSettings).withProcessingIds(java.util.Set.copyOf(config.hl7.processingIds))
                .withMaxMessageBytes(config.hl7.maxMessageKilobytes * 1024);
    }

    private DicomSettings dicomSettings() {
        GatewayConfig.Dicom d = config.dicom;
        DicomSettings settings = DicomSettings.defaults().withAeTitle(d.aeTitle).withBindAddress(d.bindAddress)
                .withPort(d.port).withMaxAssociations(d.maxAssociations)
                .withIdleTimeout(Duration.ofSeconds(d.idleTimeoutSeconds)).withMaxPduLength(d.maxPduLength)
                .withArtimTimeout(Duration.ofSeconds(d.artimTimeoutSeconds))
                .withMaxPendingConnections(d.maxPendingConnections)
                .withAssociationWait(Duration.ofSeconds(d.associationWaitSeconds))
                .withMaxWildcardsPerKey(d.maxWildcardsPerKey)
                .withIncludeStartedSteps(d.includeStartedSteps).withQueryLimit(d.queryLimit);
        if (d.tls.enabled) {
            settings = settings.withTls(new DicomSettings.Tls(configDir.resolve(d.tls.certificate),
                    configDir.resolve(d.tls.privateKey), blankToNull(d.tls.trustedCertificates) == null ? null
                            : configDir.resolve(d.tls.trustedCertificates)));
        }
        return settings;
    }

    private HousekeepingSettings housekeepingSettings() {
        GatewayConfig.Housekeeping h = config.housekeeping;
        return new HousekeepingSettings(Duration.ofDays(h.expireScheduledAfterDays), SpsStatus.valueOf(h.expiredStatus),
                Duration.ofDays(h.deleteFinishedAfterDays), Duration.ofDays(config.hl7.messageRetentionDays),
                Duration.ofMinutes(h.intervalMinutes));
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "gateway";
        }
    }

    /** The store gateway.yaml (and GATEWAY_DB_* variables) name; the embedded H2 of {@code dataDir} by default. */
    /**
     * The one order planner of the gateway: what {@code serve} applies, what {@code decide} prints and what the
     * benchmarks measure (the OFSEP decision engine, the standard worklist texts, the HL7 field limits).
     */
    public static OrderPlanner orderPlanner(Supplier<Mapping> mapping, String uidRoot, Clock clock) {
        return new OrderPlanner(mapping, new OfsepDecisionEngine(), new UidGenerator(uidRoot), clock,
                ItemTexts.DEFAULT, new Hl7FieldLimits());
    }

    static DatabaseSettings databaseSettings(GatewayConfig config, Path dataDir, int poolSize) {
        return DatabaseSettings.resolve(blankToNull(config.database.url), blankToNull(config.database.user),
                blankToNull(config.database.password), poolSize, dataDir, System.getenv());
    }

    /**
     * The store as a CLI command reaches it: the running gateway's store server when a gateway serves this data
     * directory on the embedded store, else the configured store itself.
     */
    static DatabaseSettings commandDatabaseSettings(GatewayConfig config, Path dataDir, int poolSize) {
        DatabaseSettings settings = databaseSettings(config, dataDir, poolSize);
        if (!settings.embeddedH2()) {
            return settings;
        }
        var serving = ServeLock.serving(dataDir);
        if (serving.isEmpty()) {
            return settings;
        }
        if (serving.get().task() != null) {
            throw new IllegalStateException("'" + serving.get().command() + "' (process " + serving.get().pid()
                    + ") has the store of " + dataDir.toAbsolutePath() + " to itself: try again when it has ended");
        }
        return StoreServer.client(dataDir, Math.min(poolSize, 4)).orElseThrow(() -> new IllegalStateException(
                "the gateway serving " + dataDir.toAbsolutePath() + " (process " + serving.get().pid()
                        + ") does not serve its store yet: try again in a few seconds"));
    }

    /**
     * Opens the store of a starting gateway. The embedded file may be held for a few seconds by a CLI command
     * run while no gateway served (it then opens the file itself): wait for it up to 60 s instead of failing.
     */
    private static Database openServing(DatabaseSettings settings) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        boolean logged = false;
        while (true) {
            try {
                return Database.open(settings);
            } catch (RuntimeException e) {
                if (!settings.embeddedH2() || !heldByAnotherProcess(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                if (!logged) {
                    LOG.warn("The embedded store is in use by another process (a CLI command?): waiting for it");
                    logged = true;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** H2 90020: "Database may be already in use" (another process holds the file). */
    private static boolean heldByAnotherProcess(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == 90020) {
                return true;
            }
        }
        return false;
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The review actions (CONFIRM, OVERRIDE, REDECIDED) from {@code from} to {@code to} inclusive (site days). */
    List<org.ofsep.mwl.core.review.AuditEvent> reviewEvents(LocalDate from, LocalDate to) {
        java.time.ZoneId zone = siteClock.getZone();
        return audit.list(from.atStartOfDay(zone).toInstant(), to.plusDays(1).atStartOfDay(zone).toInstant(), null,
                List.of("CONFIRM", "OVERRIDE", "REDECIDED"), 1_000_000);
    }

    /** The audit trail (tests read it). */
    public AuditTable auditForTests() {
        return audit;
    }

    /** The user table (tests add users with it). */
    public UserTable usersForTests() {
        return users;
    }

    public MappingHolder mapping() {
        return mapping;
    }

    /**
     * The system clock in the site's time zone (gateway.yaml {@code timeZone}): what the intake uses for times
     * sent with an offset and for its ACKs, and so what a command that applies an order must use too.
     */
    public Clock siteClock() {
        return siteClock;
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
