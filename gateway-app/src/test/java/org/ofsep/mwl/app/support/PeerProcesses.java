package org.ofsep.mwl.app.support;

import java.util.concurrent.TimeUnit;

/** Stopping a peer process the tests started (Orthanc, dcmqrscp). */
public final class PeerProcesses {

    private PeerProcesses() {
    }

    /** SIGTERM, then SIGKILL after 10 s (at once if the waiting thread is interrupted). */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
