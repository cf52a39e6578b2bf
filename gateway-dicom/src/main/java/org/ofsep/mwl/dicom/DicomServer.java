package org.ofsep.mwl.dicom;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.core.store.PerformedStepService;
import org.ofsep.mwl.core.store.WorklistStore;
import org.ofsep.mwl.dicom.acse.AcceptorPolicy;
import org.ofsep.mwl.dicom.acse.Implementation;
import org.ofsep.mwl.dicom.dul.UpperLayerSettings;
import org.ofsep.mwl.dicom.net.DicomListener;
import org.ofsep.mwl.dicom.net.TlsContexts;
import org.ofsep.mwl.dicom.service.StationPeers;
import org.ofsep.mwl.dicom.net.DimseService;
import org.ofsep.mwl.dicom.service.MppsScp;
import org.ofsep.mwl.dicom.service.MwlFindScp;
import org.ofsep.mwl.dicom.service.VerificationScp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's DICOM application entity: Verification SCP (C-ECHO), Modality Worklist Information Model FIND
 * SCP and Modality Performed Procedure Step SCP, on one port, for the configured stations only.
 *
 * <pre>
 * DicomServer dicom = new DicomServer(DicomSettings.defaults().withPort(11112), mappingHolder::current,
 *                                     worklistStore, performedStepService);
 * dicom.start();          // binds and returns; associations run on the server's own threads
 * int port = dicom.port(); // the bound port (useful with port 0)
 * dicom.stop();           // closes the port and every association
 * </pre>
 *
 * The mapping supplier is called for every association and every request, so a reloaded mapping (new
 * stations) applies to the next association without restart. A null {@code worklist} or {@code performedSteps}
 * leaves that service out (its SOP class is then refused at negotiation).
 */
public final class DicomServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DicomServer.class);
    /** Largest data set accepted in one DIMSE message (C-FIND identifiers and MPPS are a few KiB). */
    public static final long MAX_DATA_SET_LENGTH = 4L * 1024 * 1024;

    private final DicomSettings settings;
    private final Supplier<Mapping> mapping;
    private final List<DimseService> services;
    private DicomListener listener;
    private DicomListener.Observer observer = DicomListener.Observer.NONE;

    public DicomServer(DicomSettings settings, Supplier<Mapping> mapping, WorklistStore worklist,
                       PerformedStepService performedSteps) {
        this.settings = settings;
        this.mapping = mapping;
        this.services = new ArrayList<>();
        services.add(new VerificationScp());
        if (worklist != null) {
            services.add(new MwlFindScp(worklist, settings.includeStartedSteps(), settings.queryLimit(),
                    new org.ofsep.mwl.dicom.mwl.ResponseCache(MwlFindScp.DEFAULT_CACHED_RESPONSES),
                    settings.maxWildcardsPerKey()));
        }
        if (performedSteps != null) {
            services.add(new MppsScp(performedSteps));
        }
    }

    public DicomSettings settings() {
        return settings;
    }

    /** Binds the port and starts accepting associations. */
    public synchronized void start() throws IOException {
        if (listener != null) {
            return;
        }
        Map<String, DimseService> bySopClass = new LinkedHashMap<>();
        for (DimseService s : services) {
            s.sopClasses().forEach(uid -> bySopClass.put(uid, s));
        }
        AcceptorPolicy policy = new AcceptorPolicy(settings.aeTitle(), bySopClass.keySet(), Implementation.TRANSFER_SYNTAXES,
                settings.maxPduLength());
        SSLContext tls = null;
        if (settings.tls() != null) {
            tls = TlsContexts.create(settings.tls().certificate(), settings.tls().privateKey(), settings.tls().trustedCertificates());
        }
        DicomListener.Config config = new DicomListener.Config(settings.bindAddress(), settings.port(),
                settings.maxAssociations(),
                new UpperLayerSettings(settings.maxPduLength(), settings.artimTimeout(), settings.idleTimeout()),
                MAX_DATA_SET_LENGTH, tls, settings.tls() != null && settings.tls().trustedCertificates() != null,
                settings.maxPendingConnections(), settings.associationWait());
        DicomListener l = new DicomListener(config, new StationPeers(mapping), policy, bySopClass, observer);
        l.start();
        listener = l;
        LOG.info("DICOM service {} listening on port {}{} (max {} associations, a request waits up to {} ms for a slot, "
                        + "ARTIM {} ms, max {} unassociated connections, max PDU {})", settings.aeTitle(), l.port(),
                tls == null ? "" : " with TLS", settings.maxAssociations(), settings.associationWait().toMillis(),
                settings.artimTimeout().toMillis(), settings.maxPendingConnections(), settings.maxPduLength());
    }

    /** The bound port, or -1 when not started. */
    public synchronized int port() {
        return listener == null ? -1 : listener.port();
    }

    public synchronized int activeAssociations() {
        return listener == null ? 0 : listener.activeAssociations();
    }

    /** Connections that have not sent their A-ASSOCIATE-RQ yet (they hold no association slot). */
    public synchronized int pendingConnections() {
        return listener == null ? 0 : listener.pendingConnections();
    }

    /** Association requests waiting for a free slot right now. */
    public synchronized int waitingAssociations() {
        return listener == null ? 0 : listener.waitingAssociations();
    }

    /** Reports slot waits, refusals and evicted connections (e.g. to metrics); set before {@link #start()}. */
    public synchronized void observer(DicomListener.Observer observer) {
        this.observer = observer == null ? DicomListener.Observer.NONE : observer;
    }

    /** Stops listening and closes every association. */
    public synchronized void stop() {
        if (listener != null) {
            listener.close();
            listener = null;
            LOG.info("DICOM service {} stopped", settings.aeTitle());
        }
    }

    @Override
    public void close() {
        stop();
    }
}
