package org.ofsep.mwl.app;

import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the gateway in the foreground until Ctrl-C (SIGINT/SIGTERM), then stops it cleanly. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the gateway: HL7 MLLP listener, DICOM worklist/MPPS server, admin HTTP.")
final class ServeCommand extends GatewayCli.Base {

    @Option(names = "--hl7-port", paramLabel = "N", description = "HL7 MLLP port (overrides gateway.yaml hl7.port).")
    Integer hl7Port;

    @Option(names = "--dicom-port", paramLabel = "N", description = "DICOM port (overrides dicom.port).")
    Integer dicomPort;

    @Option(names = "--http-port", paramLabel = "N", description = "Admin HTTP port (overrides http.port).")
    Integer httpPort;

    @Override
    public Integer call() throws Exception {
        GatewayConfig config = GatewayConfig.load(dirs.config());
        if (hl7Port != null) {
            config.hl7.port = hl7Port;
        }
        if (dicomPort != null) {
            config.dicom.port = dicomPort;
        }
        if (httpPort != null) {
            config.http.port = httpPort;
        }
        Gateway gateway = Gateway.start(config, dirs.config(), dirs.data());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            GatewayCli.stopLogging(); // the last lines ("MWL Gateway stopped") are written before the JVM halts
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
