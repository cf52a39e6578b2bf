package org.ofsep.mwl.app;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ofsep.mwl.core.mapping.MappingError;
import org.ofsep.mwl.core.mapping.YamlErrors;
import org.ofsep.mwl.core.mapping.YamlLines;

/**
 * gateway.yaml: the infrastructure settings (ports, AE title, database, outbound RIS, housekeeping). The clinical
 * mapping lives in its own file, named by {@link #mapping}. Unknown keys are errors, so a typo is not silently
 * ignored; {@code ${NAME}} and {@code ${NAME:-default}} are taken from the environment.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public final class GatewayConfig {

    public Hl7 hl7 = new Hl7();
    public Dicom dicom = new Dicom();
    public Http http = new Http();
    public Database database = new Database();
    public String uidRoot = "2.25";
    /**
     * The site's time zone (an IANA name such as Europe/Paris), in which the worklist's DICOM dates and times are
     * given: HL7 times sent with an offset are converted to it. Empty = the system's time zone.
     */
    public String timeZone = "";
    public String mapping = "mapping.yaml";
    public Housekeeping housekeeping = new Housekeeping();
    public Priors priors = new Priors();

    /** The file this configuration was read from, and where its keys stand (not keys of the file). */
    private String source = "gateway.yaml";
    private YamlLines lines = new YamlLines();

    public static final class Hl7 {
        public int port = 2575;
        public String bindAddress = "0.0.0.0";
        public int messageRetentionDays = 90;
        /**
         * Where an accession number must be unique: "global" (every order, the default), "issuer" (among the
         * orders of one Issuer of Patient ID, for sites where several RIS number on their own) or "none".
         */
        public String accessionNumbersUnique = "global";
        /** MLLP connections served at once; a connection beyond is closed at once (WARN). */
        public int maxConnections = org.ofsep.mwl.hl7.Hl7Settings.DEFAULT_MAX_CONNECTIONS;
        /** A connection without a message this long is closed (0 = never). */
        public int idleTimeoutSeconds = (int) org.ofsep.mwl.hl7.Hl7Settings.DEFAULT_IDLE_TIMEOUT.toSeconds();
        /**
         * MSH-11 processing IDs applied (HL7 table 0103: P production, T training, D debugging); another one gets
         * AR 202. A test gateway fed by a RIS test environment lists T.
         */
        public java.util.List<String> processingIds = new java.util.ArrayList<>(java.util.List.of("P"));
        /** The largest MLLP frame read, in KiB; a larger one closes its connection (WARN). */
        public int maxMessageKilobytes = org.ofsep.mwl.hl7.Hl7Settings.DEFAULT_MAX_MESSAGE_BYTES / 1024;
        public Tls tls = new Tls();
        public Ris ris = new Ris();
    }

    public static final class Ris {
        public boolean enabled = false;
        public String host = "localhost";
        public int port = 2576;
        public String messageType = "ORM^O01";
        public long pollIntervalMillis = 1000;
        /** MLLP over TLS to the RIS, trusting hl7.tls.trustedCertificates (or the JVM's CAs). */
        public boolean tls = false;
    }

    public static final class Dicom {
        public String aeTitle = "MWLGW";
        public int port = 11112;
        public String bindAddress = "0.0.0.0";
        public int maxAssociations = 20;
        public int idleTimeoutSeconds = 60;
        /** ARTIM timer (PS3.8 9.1.5): a connection that sends no A-ASSOCIATE-RQ this long is closed. */
        public int artimTimeoutSeconds = 5;
        /** Connections that have not associated yet (they hold no slot); beyond this the oldest is closed. */
        public int maxPendingConnections = 100;
        /** How long a request waits for one of maxAssociations before it is rejected (at most the ARTIM time). */
        public int associationWaitSeconds = 4;
        public int maxPduLength = 65536;
        public boolean includeStartedSteps = false;
        public int queryLimit = 1000;
        /** Most '*' in one C-FIND key; more is refused (A900). */
        public int maxWildcardsPerKey = 3;
        /** The longest one worklist query may run; then it is cancelled (C000). */
        public int queryTimeoutSeconds = 10;
        public Tls tls = new Tls();
    }

    public static final class Tls {
        public boolean enabled = false;
        public String certificate = "";
        public String privateKey = "";
        public String trustedCertificates = "";
    }

    public static final class Http {
        public int port = 8080;
        public String bindAddress = "127.0.0.1";
        public String token = "";
        /** Host names (besides IP addresses and localhost) browsers may use for the admin port (DNS rebinding guard). */
        public java.util.List<String> allowedHosts = new java.util.ArrayList<>();
        /** Mark the session cookie Secure even on plain HTTP (TLS ends at a reverse proxy in front). */
        public boolean secureCookies = false;
        /**
         * IP addresses of the reverse proxies in front of the admin port: from these peers the client address of
         * the audit trail is read from X-Forwarded-For ({@link ClientAddress}); from any other, the header is ignored.
         */
        public java.util.List<String> trustedProxies = new java.util.ArrayList<>();
        /** A session ends after this many minutes without a request. */
        public int sessionIdleMinutes = 30;
        /** A session ends after this many hours in any case. */
        public int sessionMaxHours = 12;
        /** Failed logins in a row before the account is locked. */
        public int loginMaxFailures = 5;
        /** How long a locked account stays locked. */
        public int loginLockMinutes = 15;
    }

    public static final class Database {
        public String url = "";
        public String user = "";
        public String password = "";
        public int maxPoolSize = 30;
    }

    public static final class Housekeeping {
        public int intervalMinutes = 60;
        public int expireScheduledAfterDays = 7;
        public String expiredStatus = "DISCONTINUED";
        public int deleteFinishedAfterDays = 30;
    }

    /** Where the gateway asks for the patient's previous MRIs (after the ACK, never slowing the RIS). */
    public static final class Priors {
        /** none, dimse or dicomweb. */
        public String source = "none";
        public Dimse dimse = new Dimse();
        public DicomWeb dicomweb = new DicomWeb();
        /** Longest time for one whole lookup: connection, association and every query (STUDY and SERIES) together. */
        public int timeoutSeconds = 5;
        /** How far back studies are looked for. */
        public int lookbackYears = 6;
        /** Lookups running at once; more wait in a bounded queue. */
        public int maxConcurrent = 4;
        /**
         * Lookups handed to this instance's pool beyond the running ones; beyond, a lookup waits in the database
         * (prior_lookup) until there is room: none is dropped.
         */
        public int queueSize = 1000;
        /**
         * Lookups at once while orders arrive in bulk (busyOrders in busyWindowMillis): the lookups yield to
         * intake; 0 starts none until the burst is over. At most maxConcurrent.
         */
        public int busyConcurrent = 0;
        /** Orders within busyWindowMillis that make intake busy (a burst); fewer never hold a lookup back. */
        public int busyOrders = 5;
        /** The window busyOrders is counted over. */
        public int busyWindowMillis = 1000;
        /**
         * The Issuer of Patient ID (PID-3.4) of an order that names none: the PACS's studies under another issuer
         * are then not this patient's (a PACS shared by two hospitals). Empty: an order without issuer takes the
         * studies of a single issuer, and sets aside those of several.
         */
        public String defaultIssuer = "";
        /** How long a PACS answer for a patient is reused. */
        public int cacheMinutes = 10;
        /** Patients whose answer is kept. */
        public int cacheSize = 1000;
        /** Attempts per order when the PACS cannot be asked (down, slow, refusing); the intake decision stays meanwhile. */
        public int retries = 3;
        /** Wait before the second attempt; doubled before each further one. */
        public int retryAfterSeconds = 60;
    }

    public static final class Dimse {
        public String host = "localhost";
        public int port = 104;
        public String calledAeTitle = "PACS";
        public String callingAeTitle = "MWLGW";
        /** DICOM TLS to the PACS, trusting dicom.tls.trustedCertificates (or the JVM's CAs). */
        public boolean tls = false;
    }

    public static final class DicomWeb {
        /** The DICOMweb base URL (QIDO-RS is {url}/studies). */
        public String url = "";
        /** Bearer token, usually "${PACS_TOKEN}"; empty sends no Authorization header. */
        public String token = "";
    }

    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    /** Reads {@code dir/gateway.yaml}; a missing file means all defaults. */
    public static GatewayConfig load(Path configDir) throws IOException {
        return load(configDir, System.getenv());
    }

    static GatewayConfig load(Path configDir, Map<String, String> env) throws IOException {
        Path file = configDir.resolve("gateway.yaml");
        if (!Files.exists(file)) {
            return new GatewayConfig();
        }
        String text = substitute(Files.readString(file), env);
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // where each key stands, for the errors found after the binding (the same index as mapping.yaml's)
        YamlLines lines = new YamlLines();
        try {
            lines.read(bytes);
        } catch (JsonProcessingException e) {
            throw new ConfigException(YamlErrors.error(e, file.toString(), lines).toString(), e);
        }
        // a key given twice is refused, not the later one silently taking the place of the whole earlier section
        ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // an empty value ("port:", "port: \"\"", an unset ${NAME}) is refused, not read as 0 or false
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        yaml.coercionConfigDefaults()
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.EmptyString,
                        com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
        GatewayConfig config;
        try {
            config = yaml.readValue(bytes, GatewayConfig.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException(YamlErrors.error(e, file.toString(), lines).toString(), e);
        }
        config = config == null ? new GatewayConfig() : config;
        config.source = file.toString();
        config.lines = lines;
        return config.check();
    }

    /**
     * An error about a value of this file, in the form of every configuration error ({@code file:line: field:
     * message}, {@link MappingError}): the line of the key, or of its section when the file leaves the key to its
     * default.
     */
    ConfigException error(String field, String message) {
        return new ConfigException(new MappingError(source, lines.line(field), field, message).toString(), null);
    }

    /**
     * The values the file may hold besides their types, so that {@code validate} and {@code doctor} refuse what
     * {@code serve} would refuse (or silently run with: a session that ends at once, an account locked at the
     * first mistyped password, never-started steps "expired" as COMPLETED).
     */
    GatewayConfig check() throws ConfigException {
        // a listener on port 0 would take a port the system picks, which no RIS, console or browser can know
        range("hl7.port", hl7.port, 1, 65535);
        range("dicom.port", dicom.port, 1, 65535);
        range("http.port", http.port, 1, 65535);
        range("http.sessionIdleMinutes", http.sessionIdleMinutes, 1, Integer.MAX_VALUE);
        range("http.sessionMaxHours", http.sessionMaxHours, 1, Integer.MAX_VALUE);
        range("http.loginMaxFailures", http.loginMaxFailures, 1, Integer.MAX_VALUE);
        range("http.loginLockMinutes", http.loginLockMinutes, 1, Integer.MAX_VALUE);
        range("hl7.messageRetentionDays", hl7.messageRetentionDays, 1, Integer.MAX_VALUE);
        range("housekeeping.intervalMinutes", housekeeping.intervalMinutes, 1, Integer.MAX_VALUE);
        range("housekeeping.expireScheduledAfterDays", housekeeping.expireScheduledAfterDays, 1, Integer.MAX_VALUE);
        range("housekeeping.deleteFinishedAfterDays", housekeeping.deleteFinishedAfterDays, 1, Integer.MAX_VALUE);
        if (!"DISCONTINUED".equals(housekeeping.expiredStatus) && !"CANCELED".equals(housekeeping.expiredStatus)) {
            throw error("housekeeping.expiredStatus", "'" + housekeeping.expiredStatus
                    + "' is not one of DISCONTINUED, CANCELED");
        }
        range("hl7.maxMessageKilobytes", hl7.maxMessageKilobytes, 16, 65536);
        // what the DICOM listener and the UID generator would refuse at start: validate and doctor refuse it too,
        // naming the file and the key (serve exited with "maxPduLength must be between ..." and no key)
        range("dicom.maxPduLength", dicom.maxPduLength, 4096, 0x7FFFFFF0);
        range("dicom.maxAssociations", dicom.maxAssociations, 1, Integer.MAX_VALUE);
        range("dicom.maxPendingConnections", dicom.maxPendingConnections, 1, Integer.MAX_VALUE);
        range("dicom.artimTimeoutSeconds", dicom.artimTimeoutSeconds, 1, 3600);
        range("dicom.idleTimeoutSeconds", dicom.idleTimeoutSeconds, 1, Integer.MAX_VALUE);
        range("dicom.associationWaitSeconds", dicom.associationWaitSeconds, 0, Integer.MAX_VALUE);
        range("dicom.queryLimit", dicom.queryLimit, 0, Integer.MAX_VALUE);
        if (dicom.aeTitle == null || dicom.aeTitle.isBlank() || dicom.aeTitle.length() > 16
                || !dicom.aeTitle.equals(dicom.aeTitle.strip()) || dicom.aeTitle.contains("\\")) {
            throw error("dicom.aeTitle", "'" + dicom.aeTitle + "' must be 1 to 16 characters,"
                    + " no leading or trailing space, no backslash");
        }
        try {
            new org.ofsep.mwl.core.service.UidGenerator(uidRoot, java.time.Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw error("uidRoot", e.getMessage());
        }
        if (hl7.processingIds == null || hl7.processingIds.isEmpty()
                || !java.util.Set.of("P", "T", "D").containsAll(hl7.processingIds)) {
            throw error("hl7.processingIds", hl7.processingIds
                    + " must list one or more of P (production), T (training), D (debugging)");
        }
        java.util.List<String> proxies = http.trustedProxies == null ? java.util.List.of() : http.trustedProxies;
        for (int i = 0; i < proxies.size(); i++) {
            try {
                ClientAddress.trusting(java.util.Collections.singletonList(proxies.get(i)));
            } catch (IllegalArgumentException e) {
                // the item's own line (a list written one address a line)
                throw error("http.trustedProxies[" + i + "]",
                        e.getMessage().replaceFirst("^http\\.trustedProxies: ", ""));
            }
        }
        if (!proxies.isEmpty() && (http.token == null || http.token.isBlank())) {
            // a proxy in front makes a loopback port reachable from the network: without a token, whoever reaches
            // the proxy reads the worklist (patient names and IDs) through the read-only API
            throw error("http.trustedProxies", "set (a reverse proxy in front of the admin port) but http.token is"
                    + " empty: set http.token (or GATEWAY_HTTP_TOKEN), or anyone who reaches the proxy reads the"
                    + " worklist without one");
        }
        relocated("hl7.accessionNumbersUnique", () -> Gateway.accessionScope(hl7.accessionNumbersUnique));
        relocated("timeZone", this::siteZone);
        return this;
    }

    private interface ConfigCheck {
        void run() throws ConfigException;
    }

    /** A check that names the key as "gateway.yaml: key: ..." (it also runs without a file), given the file's line. */
    private void relocated(String field, ConfigCheck check) throws ConfigException {
        try {
            check.run();
        } catch (ConfigException e) {
            throw error(field, e.getMessage().replaceFirst("^gateway\\.yaml: " + Pattern.quote(field) + ": ", ""));
        }
    }

    private void range(String field, int value, int min, int max) throws ConfigException {
        if (value < min || value > max) {
            throw error(field, value + " is out of range (" + min
                    + (max == Integer.MAX_VALUE ? " or more" : " to " + max) + ")");
        }
    }

    static String substitute(String text, Map<String, String> env) {
        Matcher m = ENV.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null) {
                value = m.group(2) == null ? "" : m.group(2);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The site's time zone: {@link #timeZone}, or the system's when empty. */
    public java.time.ZoneId siteZone() throws ConfigException {
        if (timeZone == null || timeZone.isBlank()) {
            return java.time.ZoneId.systemDefault();
        }
        try {
            return java.time.ZoneId.of(timeZone.trim());
        } catch (java.time.DateTimeException e) {
            throw new ConfigException("gateway.yaml: timeZone: '" + timeZone
                    + "' is not a time zone (use an IANA name such as Europe/Paris, or leave it empty)", e);
        }
    }

    /** The mapping file, resolved against the config directory. */
    public Path mappingFile(Path configDir) {
        return configDir.resolve(mapping);
    }

    /** A configuration that cannot be used; the message names the file, line and field. */
    public static final class ConfigException extends IOException {
        public ConfigException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
