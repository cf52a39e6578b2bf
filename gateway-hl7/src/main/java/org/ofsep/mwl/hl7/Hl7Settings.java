package org.ofsep.mwl.hl7;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of the HL7 interface, filled by the application from gateway.yaml.
 *
 * @param bindAddress     address the MLLP listener binds (0.0.0.0 = all)
 * @param port            MLLP listener port (2575)
 * @param maxConnections  concurrent MLLP connections served (default 50); each has its own thread, so a peer that
 *                        stalls (never reads its ACK) holds only its own; a connection beyond the limit is closed
 *                        at once (logged at WARN), and the sender reconnects once an idle one is closed
 * @param frameTimeout    how long a whole frame may take from its start byte; a peer that stops or dribbles mid-frame
 *                        is disconnected after this
 * @param idleTimeout     a connection with no message for this long is closed (default 120 s), so idle or abandoned
 *                        connections cannot hold every slot; a RIS that keeps its link reconnects at its next
 *                        message; {@link Duration#ZERO} keeps connections open forever
 * @param application     MSH-3 the gateway sends (ACKs and status messages)
 * @param facility        MSH-4 the gateway sends, may be null
 * @param tls             MLLP over TLS for the listener (and for the RIS link when {@link RisOutbound#tls})
 * @param ris             status messages to the RIS
 * @param processingIds   the MSH-11 processing IDs (HL7 table 0103) applied to the worklist; a message with another
 *                        one (T training, D debugging on a production gateway) is refused with AR 202, so a test
 *                        message never reaches a console; a message without MSH-11 is taken as production (P)
 * @param maxMessageBytes the largest MLLP frame read (default 1 MiB; orders are kilobytes): a larger one closes its
 *                        connection (WARN). A message needs many times its size in heap while it is parsed and
 *                        stored, on each connection at once: the limit keeps that within the heap
 */
public record Hl7Settings(String bindAddress, int port, int maxConnections, Duration frameTimeout,
                          Duration idleTimeout, String application, String facility, Tls tls, RisOutbound ris,
                          Set<String> processingIds, int maxMessageBytes) {

    public Hl7Settings {
        bindAddress = bindAddress == null || bindAddress.isBlank() ? "0.0.0.0" : bindAddress;
        maxConnections = maxConnections <= 0 ? DEFAULT_MAX_CONNECTIONS : maxConnections;
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        frameTimeout = frameTimeout == null ? Duration.ofSeconds(10) : frameTimeout;
        application = application == null || application.isBlank() ? "MWLGW" : application;
        tls = tls == null ? Tls.disabled() : tls;
        ris = ris == null ? RisOutbound.disabled() : ris;
        processingIds = processingIds == null || processingIds.isEmpty() ? PRODUCTION : Set.copyOf(processingIds);
        maxMessageBytes = maxMessageBytes <= 0 ? DEFAULT_MAX_MESSAGE_BYTES : maxMessageBytes;
    }

    /** Default largest frame: 1 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

    /** The processing IDs accepted by default: production only. */
    public static final Set<String> PRODUCTION = Set.of("P");

    public static final int DEFAULT_MAX_CONNECTIONS = 50;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);

    /** Defaults: all addresses, port 2575, 50 connections closed after 120 s without a message, no TLS, no outbound. */
    public static Hl7Settings defaults() {
        return new Hl7Settings("0.0.0.0", 2575, DEFAULT_MAX_CONNECTIONS, Duration.ofSeconds(10), DEFAULT_IDLE_TIMEOUT,
                "MWLGW", null, Tls.disabled(), RisOutbound.disabled(), PRODUCTION,
                DEFAULT_MAX_MESSAGE_BYTES);
    }

    /** Connection limit and idle timeout ({@link Duration#ZERO}: never closed for idleness). */
    public Hl7Settings withConnectionLimits(int newMaxConnections, Duration newIdleTimeout) {
        return new Hl7Settings(bindAddress, port, newMaxConnections, frameTimeout, newIdleTimeout, application,
                facility, tls, ris, processingIds, maxMessageBytes);
    }

    public Hl7Settings withListener(String newBindAddress, int newPort) {
        return new Hl7Settings(newBindAddress, newPort, maxConnections, frameTimeout, idleTimeout, application,
                facility, tls, ris, processingIds, maxMessageBytes);
    }

    public Hl7Settings withRis(RisOutbound newRis) {
        return new Hl7Settings(bindAddress, port, maxConnections, frameTimeout, idleTimeout, application, facility,
                tls, newRis, processingIds, maxMessageBytes);
    }

    public Hl7Settings withTls(Tls newTls) {
        return new Hl7Settings(bindAddress, port, maxConnections, frameTimeout, idleTimeout, application, facility,
                newTls, ris, processingIds, maxMessageBytes);
    }

    /** The MSH-11 processing IDs applied (empty: production only). */
    public Hl7Settings withProcessingIds(Set<String> newProcessingIds) {
        return new Hl7Settings(bindAddress, port, maxConnections, frameTimeout, idleTimeout, application, facility,
                tls, ris, newProcessingIds, maxMessageBytes);
    }

    /** The largest MLLP frame read ({@code <= 0}: the default, 1 MiB). */
    public Hl7Settings withMaxMessageBytes(int newMaxMessageBytes) {
        return new Hl7Settings(bindAddress, port, maxConnections, frameTimeout, idleTimeout, application, facility,
                tls, ris, processingIds, newMaxMessageBytes);
    }

    public Hl7Settings withFrameTimeout(Duration newFrameTimeout) {
        return new Hl7Settings(bindAddress, port, maxConnections, newFrameTimeout, idleTimeout, application,
                facility, tls, ris, processingIds, maxMessageBytes);
    }

    /**
     * MLLP over TLS (the HL7 "MLLP over TLS" / IHE ATNA secure node practice), with either key and trust stores
     * (PKCS12 or JKS files) or PEM files (certificate chain, PKCS#8 private key, trusted certificates), as the
     * DICOM listener takes them.
     *
     * @param enabled            TLS on the listener
     * @param keyStore           the gateway's certificate and key (PKCS12/JKS), or null when PEM is used
     * @param keyStorePassword   its password (also the key password)
     * @param trustStore         CAs trusted for peers (PKCS12/JKS); null = the JVM default
     * @param trustStorePassword its password
     * @param clientAuth         require a client certificate from the RIS
     * @param certificatePem     PEM certificate chain of the gateway (instead of keyStore)
     * @param privateKeyPem      PEM PKCS#8 unencrypted private key matching certificatePem
     * @param trustedPem         PEM certificates trusted for peers (instead of trustStore)
     */
    public record Tls(boolean enabled, Path keyStore, String keyStorePassword, Path trustStore,
                      String trustStorePassword, boolean clientAuth, Path certificatePem, Path privateKeyPem,
                      Path trustedPem) {

        /** With key and trust stores. */
        public Tls(boolean enabled, Path keyStore, String keyStorePassword, Path trustStore,
                   String trustStorePassword, boolean clientAuth) {
            this(enabled, keyStore, keyStorePassword, trustStore, trustStorePassword, clientAuth, null, null, null);
        }

        public static Tls disabled() {
            return new Tls(false, null, null, null, null, false);
        }

        /**
         * TLS on the listener with PEM files, like the DICOM listener's settings: when {@code trusted} is given, a
         * client certificate signed by one of them is required.
         */
        public static Tls pem(Path certificate, Path privateKey, Path trusted) {
            return new Tls(true, null, null, null, null, trusted != null, certificate, privateKey, trusted);
        }

        /** Only a trust list, for the RIS link (PEM): the listener stays plain. */
        public static Tls trusting(Path trusted) {
            return new Tls(false, null, null, null, null, false, null, null, trusted);
        }

        boolean hasKey() {
            return keyStore != null || certificatePem != null;
        }

        boolean hasTrust() {
            return trustStore != null || trustedPem != null;
        }
    }

    /**
     * Status messages to the RIS (ORM^O01 ORC-1 = SC with ORC-5 = IP/CM/DC, or OMG^O19 / OMI^O23).
     *
     * @param enabled        send at all
     * @param host           RIS host
     * @param port           RIS MLLP port
     * @param messageType    "ORM^O01" (default), "OMG^O19" or "OMI^O23"
     * @param version        HL7 version written in MSH-12 (2.3.1 for ORM by default; OMG/OMI need 2.5 or later)
     * @param pollInterval   how often the queue is read
     * @param batchSize      events taken per poll
     * @param backoffInitial first retry delay after a transport failure; doubled per attempt
     * @param backoffMax     cap of the retry delay
     * @param connectTimeout TCP connect timeout
     * @param ackTimeout     how long to wait for the RIS's ACK
     * @param receivingApplication MSH-5
     * @param receivingFacility    MSH-6
     * @param tls            use TLS (with {@link Hl7Settings#tls}'s trust store) to reach the RIS
     */
    public record RisOutbound(boolean enabled, String host, int port, String messageType, String version,
                              Duration pollInterval, int batchSize, Duration backoffInitial, Duration backoffMax,
                              Duration connectTimeout, Duration ackTimeout, String receivingApplication,
                              String receivingFacility, boolean tls) {

        public RisOutbound {
            messageType = messageType == null || messageType.isBlank() ? "ORM^O01" : messageType.trim();
            if (!messageType.equals("ORM^O01") && !messageType.equals("OMG^O19") && !messageType.equals("OMI^O23")) {
                throw new IllegalArgumentException(
                        "RIS status message type must be ORM^O01, OMG^O19 or OMI^O23, not " + messageType);
            }
            version = version == null || version.isBlank() ? (messageType.equals("ORM^O01") ? "2.3.1" : "2.5.1")
                    : version;
            pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
            batchSize = batchSize <= 0 ? 50 : batchSize;
            backoffInitial = backoffInitial == null ? Duration.ofSeconds(5) : backoffInitial;
            backoffMax = backoffMax == null ? Duration.ofMinutes(10) : backoffMax;
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
            ackTimeout = ackTimeout == null ? Duration.ofSeconds(15) : ackTimeout;
            receivingApplication = receivingApplication == null ? "RIS" : receivingApplication;
        }

        public static RisOutbound disabled() {
            return new RisOutbound(false, "localhost", 2576, "ORM^O01", null, null, 0, null, null, null, null, null,
                    null, false);
        }

        /** Enabled, to host:port, with the default timings. */
        public static RisOutbound to(String host, int port, String messageType) {
            return new RisOutbound(true, host, port, messageType, null, null, 0, null, null, null, null, null, null,
                    false);
        }

        public RisOutbound withTimings(Duration newPollInterval, Duration newBackoffInitial, Duration newBackoffMax,
                                       Duration newAckTimeout) {
            return new RisOutbound(enabled, host, port, messageType, version, newPollInterval, batchSize,
                    newBackoffInitial, newBackoffMax, connectTimeout, newAckTimeout, receivingApplication,
                    receivingFacility, tls);
        }
    }
}
