package org.ofsep.mwl.app;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.ofsep.mwl.core.mapping.MappingError;
import org.ofsep.mwl.core.mapping.MappingHolder;
import org.ofsep.mwl.dicom.data.UID;
import org.ofsep.mwl.dicom.scu.AssociationRejectedException;
import org.ofsep.mwl.dicom.scu.DicomClient;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.DatabaseSettings;

/**
 * {@code gateway doctor}: checks a deployment before the first scanner calls, one line per check. Nothing is
 * changed: no store is created or migrated, no port is kept.
 */
final class Doctor {
    enum Status { OK, WARN, FAIL, SKIP }

    /** One line of the report. */
    record Check(Status status, String name, String message) {
        @Override
        public String toString() {
            return String.format("%-4s  %-12s %s", status, name, message);
        }
    }

    /** Before this, the clock is wrong (this version did not exist). */
    static final Instant EARLIEST_PLAUSIBLE = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant LATEST_PLAUSIBLE = Instant.parse("2100-01-01T00:00:00Z");

    private final Path configDir;
    private final Path dataDir;
    private final long minFreeBytes;
    private final Clock clock;
    private final Duration timeout;
    private final List<Check> checks = new ArrayList<>();
    private Database.SchemaState schema;
    /** False when gateway.yaml's priors section holds a bad value (one FAIL line, the PACS check skipped). */
    private boolean priorsValid = true;

    Doctor(Path configDir, Path dataDir, long minFreeBytes, Clock clock, Duration timeout) {
        this.configDir = configDir;
        this.dataDir = dataDir;
        this.minFreeBytes = minFreeBytes;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Runs every check; the lines in order. */
    List<Check> run() {
        GatewayConfig config;
        try {
            config = GatewayConfig.load(configDir);
        } catch (IOException | RuntimeException e) {
            // a ConfigException names its file already
            add(Status.FAIL, "config", (e instanceof GatewayConfig.ConfigException ? "" : "gateway.yaml: ")
                    + e.getMessage());
            add(Status.SKIP, "others", "the other checks need a valid gateway.yaml");
            return checks;
        }
        config(config);
        ports(config);
        data();
        database(config);
        tls(config);
        ris(config);
        pacs(config);
        clock();
        return checks;
    }

    private void add(Status status, String name, String message) {
        checks.add(new Check(status, name, message));
    }

    private void config(GatewayConfig config) {
        try {
            PriorSources.checkValues(config); // as validate and serve: file:line: key: what is wrong
        } catch (GatewayConfig.ConfigException e) {
            priorsValid = false;
            add(Status.FAIL, "config", e.getMessage());
            return;
        }
        Path mapping = config.mappingFile(configDir);
        if (!Files.isRegularFile(mapping)) {
            add(Status.FAIL, "config", mapping + ": mapping file not found (gateway.yaml: mapping)");
            return;
        }
        List<MappingError> errors = MappingHolder.validate(mapping);
        if (!errors.isEmpty()) {
            add(Status.FAIL, "config", errors.size() + " mapping error(s), first: " + errors.get(0)
                    + " (gateway validate lists them all)");
            return;
        }
        add(Status.OK, "config", configDir.resolve("gateway.yaml") + " and " + mapping + " are valid");
    }

    private void ports(GatewayConfig config) {
        Optional<ServeLock.Holder> serving = ServeLock.serving(dataDir);
        port("port hl7", config.hl7.bindAddress, config.hl7.port, serving);
        port("port dicom", config.dicom.bindAddress, config.dicom.port, serving);
        port("port http", config.http.bindAddress, config.http.port, serving);
    }

    private void port(String name, String bindAddress, int port, Optional<ServeLock.Holder> serving) {
        String where = bindAddress + ":" + port;
        InetAddress address;
        try {
            address = InetAddress.getByName(bindAddress);
        } catch (IOException e) {
            add(Status.FAIL, name, where + ": unknown bind address " + bindAddress);
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
            add(Status.OK, name, where + " is free");
        } catch (BindException e) {
            if (serving.isPresent() && serving.get().holds(port)) {
                add(Status.OK, name, where + " is in use by this gateway (process " + serving.get().pid() + ")");
            } else if (port < 1024 && e.getMessage() != null && e.getMessage().contains("ermission")) {
                add(Status.FAIL, name, where + ": ports below 1024 need CAP_NET_BIND_SERVICE (see deploy/"
                        + "mwl-gateway.service)");
            } else if (e.getMessage() != null && e.getMessage().contains("assign")) {
                add(Status.FAIL, name, where + ": " + bindAddress + " is not an address of this machine");
            } else {
                add(Status.FAIL, name, where + " is in use by another program (" + e.getMessage() + ")");
            }
        } catch (IOException e) {
            add(Status.FAIL, name, where + ": " + e.getMessage());
        }
    }

    private void data() {
        Path dir = dataDir.toAbsolutePath().normalize();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            add(Status.FAIL, "data", dir + " cannot be created: " + existing + " is not a directory");
            return;
        }
        if (!existing.equals(dir)) {
            if (!Files.isWritable(existing)) {
                add(Status.FAIL, "data", dir + " does not exist and cannot be created (" + existing
                        + " is not writable by " + System.getProperty("user.name") + ")");
                return;
            }
        } else {
            try {
                Path probe = Files.createTempFile(dir, ".doctor", ".tmp");
                Files.delete(probe);
            } catch (IOException e) {
                add(Status.FAIL, "data", dir + " is not writable by " + System.getProperty("user.name") + " ("
                        + e.getMessage() + ")");
                return;
            }
        }
        long free;
        try {
            FileStore store = Files.getFileStore(existing);
            free = store.getUsableSpace();
        } catch (IOException e) {
            add(Status.FAIL, "data", dir + ": free space unknown (" + e.getMessage() + ")");
            return;
        }
        String freeText = free / (1024 * 1024) + " MB free";
        if (free < minFreeBytes) {
            add(Status.FAIL, "data", dir + ": only " + freeText + " (at least " + minFreeBytes / (1024 * 1024)
                    + " MB wanted)");
        } else {
            add(Status.OK, "data", dir + (existing.equals(dir) ? " is writable, " : " will be created at start, ")
                    + freeText);
        }
    }

    private void database(GatewayConfig config) {
        DatabaseSettings settings;
        try {
            settings = Gateway.commandDatabaseSettings(config, dataDir, 2);
        } catch (RuntimeException e) {
            add(Status.FAIL, "database", e.getMessage());
            return;
        }
        boolean throughGateway = settings.url().startsWith("jdbc:h2:tcp:");
        String store = throughGateway ? "the embedded store, through the running gateway" : settings.describe();
        if (settings.embeddedH2() && !Files.exists(dataDir.resolve("gateway.mv.db"))) {
            add(Status.OK, "database", "no store yet in " + dataDir + ": the embedded store is created at first start");
            return;
        }
        try {
            schema = Database.inspect(settings);
        } catch (RuntimeException e) {
            add(Status.FAIL, "database", store + " is not reachable: " + rootMessage(e));
            return;
        }
        if (!schema.problems().isEmpty()) {
            add(Status.FAIL, "database", store + ": " + String.join("; ", schema.problems()));
        } else if (schema.pending() > 0) {
            add(Status.WARN, "database", store + " reachable, schema at version " + schema.current() + ": "
                    + schema.pending() + " migration(s) to " + schema.latest() + " pending, applied at the next start");
        } else {
            add(Status.OK, "database", store + " reachable, schema current (version " + schema.current() + ")");
        }
    }

    private void tls(GatewayConfig config) {
        List<TlsCertificates.Setting> settings = TlsCertificates.settings(config, configDir);
        if (settings.isEmpty()) {
            add(Status.SKIP, "tls", "no TLS setting is on (dicom.tls, hl7.tls, hl7.ris.tls, priors.dimse.tls)");
            return;
        }
        Instant now = clock.instant();
        for (TlsCertificates.Setting setting : settings) {
            String name = "tls " + setting.name();
            try {
                List<String> notes = new ArrayList<>();
                Status status = Status.OK;
                if (setting.certificate() != null) {
                    if (setting.privateKey() == null) {
                        add(Status.FAIL, name, setting.yamlKey() + ": a certificate without privateKey");
                        continue;
                    }
                    List<X509Certificate> chain = TlsCertificates.certificates(setting.certificate());
                    PrivateKey key = TlsCertificates.privateKey(setting.privateKey());
                    if (!TlsCertificates.matches(key, chain.get(0))) {
                        add(Status.FAIL, name, setting.privateKey() + " is not the key of " + setting.certificate());
                        continue;
                    }
                    status = worst(status, validity(chain, setting.certificate(), now, notes));
                } else if (setting.name().equals("ris") || setting.name().equals("pacs")) {
                    notes.add("no client certificate");
                }
                if (setting.trusted() != null) {
                    status = worst(status, validity(TlsCertificates.certificates(setting.trusted()), setting.trusted(),
                            now, notes));
                } else if (setting.name().equals("ris") || setting.name().equals("pacs")) {
                    notes.add("trusts the JVM's CAs");
                }
                add(status, name, setting.yamlKey() + ": " + String.join("; ", notes));
            } catch (IOException e) {
                add(Status.FAIL, name, setting.yamlKey() + ": " + e.getMessage());
            }
        }
    }

    /** FAIL when a certificate is expired, not valid yet, or ends within 30 days. */
    private static Status validity(List<X509Certificate> certificates, Path file, Instant now, List<String> notes) {
        Status status = Status.OK;
        for (X509Certificate c : certificates) {
            Instant notAfter = c.getNotAfter().toInstant();
            long days = Duration.between(now, notAfter).toDays();
            String who = file.getFileName() + " (" + c.getSubjectX500Principal().getName() + ")";
            if (now.isAfter(notAfter)) {
                notes.add(who + " EXPIRED on " + notAfter);
                status = Status.FAIL;
            } else if (now.isBefore(c.getNotBefore().toInstant())) {
                notes.add(who + " is not valid before " + c.getNotBefore().toInstant());
                status = Status.FAIL;
            } else if (Duration.between(now, notAfter).compareTo(TlsCertificates.WARN_BEFORE) < 0) {
                notes.add(who + " expires in " + days + " day(s), on " + notAfter + " (renew: less than "
                        + TlsCertificates.WARN_BEFORE.toDays() + " days left)");
                status = Status.FAIL;
            } else {
                notes.add(who + " valid until " + notAfter.toString().substring(0, 10) + " (" + days + " days)");
            }
        }
        return status;
    }

    private void ris(GatewayConfig config) {
        GatewayConfig.Ris ris = config.hl7.ris;
        if (!ris.enabled) {
            add(Status.SKIP, "ris", "status messages to the RIS are off (hl7.ris.enabled)");
            return;
        }
        String where = ris.host + ":" + ris.port;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ris.host, ris.port), (int) timeout.toMillis());
            if (ris.tls) {
                TlsCertificates.Setting setting = TlsCertificates.settings(config, configDir).stream()
                        .filter(s -> s.name().equals("ris")).findFirst().orElseThrow();
                SSLContext context = TlsCertificates.clientContext(setting);
                try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, ris.host, ris.port,
                        false)) {
                    tls.setSoTimeout((int) timeout.toMillis());
                    tls.startHandshake();
                }
                add(Status.OK, "ris", where + " reachable, TLS handshake done (MLLP over TLS)");
            } else {
                add(Status.OK, "ris", where + " reachable (TCP)");
            }
        } catch (javax.net.ssl.SSLException e) {
            add(Status.FAIL, "ris", where + " answers TCP but the TLS handshake failed: " + rootMessage(e)
                    + " (check hl7.tls.trustedCertificates against the RIS's certificate)");
        } catch (IOException e) {
            add(Status.FAIL, "ris", where + " not reachable: " + rootMessage(e) + " (status messages wait in the "
                    + "outbound queue until it answers)");
        }
    }

    private void pacs(GatewayConfig config) {
        if (!priorsValid) {
            add(Status.SKIP, "pacs", "gateway.yaml's priors section is not valid (see config)");
            return;
        }
        GatewayConfig.Priors priors = config.priors;
        String source = priors.source == null ? "none" : priors.source.toLowerCase(java.util.Locale.ROOT);
        switch (source) {
            case "dimse" -> pacsDimse(config, priors.dimse);
            case "dicomweb" -> pacsDicomWeb(priors.dicomweb);
            default -> add(Status.SKIP, "pacs", "priors from the PACS are off (priors.source: " + source + ")");
        }
    }

    private void pacsDimse(GatewayConfig config, GatewayConfig.Dimse pacs) {
        String where = pacs.host + ":" + pacs.port;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(pacs.host, pacs.port), (int) timeout.toMillis());
        } catch (IOException e) {
            add(Status.FAIL, "pacs", where + " not reachable (TCP): " + rootMessage(e));
            return;
        }
        DicomClient.Options options = DicomClient.Options.defaults();
        try {
            if (pacs.tls) {
                TlsCertificates.Setting setting = TlsCertificates.settings(config, configDir).stream()
                        .filter(s -> s.name().equals("pacs")).findFirst().orElseThrow();
                options = options.withTls(TlsCertificates.clientContext(setting));
            }
            try (DicomClient client = DicomClient.connect(pacs.host, pacs.port, pacs.callingAeTitle,
                    pacs.calledAeTitle, List.of(UID.VERIFICATION), options)) {
                int status = client.echo();
                client.release();
                if (status == 0) {
                    add(Status.OK, "pacs", "C-ECHO " + pacs.callingAeTitle + " -> " + pacs.calledAeTitle + " at "
                            + where + (pacs.tls ? " over TLS" : "") + ": success");
                } else {
                    add(Status.FAIL, "pacs", "C-ECHO " + pacs.callingAeTitle + " -> " + pacs.calledAeTitle + " at "
                            + where + ": status " + String.format("%04X", status));
                }
            }
        } catch (AssociationRejectedException e) {
            add(Status.FAIL, "pacs", where + " refused the association " + pacs.callingAeTitle + " -> "
                    + pacs.calledAeTitle + ": " + e.getMessage() + " (check priors.dimse.calledAeTitle and that the "
                    + "PACS knows " + pacs.callingAeTitle + ")");
        } catch (IOException | RuntimeException e) {
            add(Status.FAIL, "pacs", where + " answers TCP but not C-ECHO " + pacs.callingAeTitle + " -> "
                    + pacs.calledAeTitle + ": " + rootMessage(e));
        }
    }

    private void pacsDicomWeb(GatewayConfig.DicomWeb web) {
        if (web.url == null || web.url.isBlank()) {
            add(Status.FAIL, "pacs", "priors.source is dicomweb but priors.dicomweb.url is empty");
            return;
        }
        String base = web.url.endsWith("/") ? web.url.substring(0, web.url.length() - 1) : web.url;
        URI uri = URI.create(base + "/studies?limit=1");
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Accept", "application/dicom+json").GET();
            if (web.token != null && !web.token.isBlank()) {
                request.header("Authorization", "Bearer " + web.token);
            }
            HttpResponse<Void> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(timeout).build().send(request.build(), HttpResponse.BodyHandlers.discarding());
            int code = response.statusCode();
            if (code == 200 || code == 204) {
                add(Status.OK, "pacs", "QIDO-RS " + uri + ": HTTP " + code);
            } else {
                add(Status.FAIL, "pacs", "QIDO-RS " + uri + ": HTTP " + code + (code == 401 || code == 403
                        ? " (check priors.dicomweb.token)" : ""));
            }
        } catch (IOException e) {
            add(Status.FAIL, "pacs", "QIDO-RS " + uri + " not reachable: " + rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            add(Status.FAIL, "pacs", "QIDO-RS " + uri + ": interrupted");
        }
    }

    private void clock() {
        Instant now = clock.instant();
        String local = ZonedDateTime.ofInstant(now, clock.getZone()).toString();
        if (now.isBefore(EARLIEST_PLAUSIBLE) || now.isAfter(LATEST_PLAUSIBLE)) {
            add(Status.FAIL, "clock", "the clock says " + local + ": not plausible (set the date, enable NTP)");
            return;
        }
        if (schema != null && schema.newestMessage() != null
                && schema.newestMessage().isAfter(now.plus(Duration.ofMinutes(5)))) {
            add(Status.FAIL, "clock", "the clock says " + local + " but the store received a message at "
                    + schema.newestMessage() + ": the clock went back (set the date, enable NTP)");
            return;
        }
        if (schema != null && schema.databaseNow() != null) {
            long skew = Math.abs(Duration.between(now, schema.databaseNow()).toSeconds());
            if (skew > 60) {
                add(Status.FAIL, "clock", local + ": the database's clock is " + skew + " s away (leases between "
                        + "instances judge expiry by their own clocks: use NTP everywhere)");
                return;
            }
            if (skew > 5) {
                add(Status.WARN, "clock", local + ": the database's clock is " + skew + " s away (use NTP)");
                return;
            }
        }
        add(Status.OK, "clock", local + (schema != null && schema.databaseNow() != null
                ? ", the database agrees" : ""));
    }

    private static Status worst(Status a, Status b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return t == e ? message : e.getMessage() + " (" + message + ")";
    }
}
