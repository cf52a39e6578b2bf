package org.ofsep.mwl.app.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import org.ofsep.mwl.app.Gateway;
import org.ofsep.mwl.app.GatewayConfig;

/** Starts the real gateway in-process on free ports, with a copy of the shipped config/. */
public final class TestGateway implements AutoCloseable {
    public final Path configDir;
    public final Path dataDir;
    public final GatewayConfig config;
    private Gateway gateway;
    /** The ports chosen here, chosen again when a bind fails ({@link #start}). */
    private int hl7Port;
    private int dicomPort;
    private int httpPort;

    public TestGateway(Path workDir) throws IOException {
        this.configDir = workDir.resolve("config");
        this.dataDir = workDir.resolve("data");
        Files.createDirectories(configDir);
        for (String file : new String[] {"gateway.yaml", "mapping.yaml", "logback.xml"}) {
            Path source = Path.of("../config", file);
            if (Files.exists(source)) {
                Files.copy(source, configDir.resolve(file));
            }
        }
        this.config = GatewayConfig.load(configDir);
        config.hl7.port = hl7Port = freePort();
        config.dicom.port = dicomPort = freePort();
        config.http.port = httpPort = freePort();
        config.hl7.bindAddress = "127.0.0.1";
        config.dicom.bindAddress = "127.0.0.1";
    }

    /**
     * Sets the site's time zone (gateway.yaml {@code timeZone}) both in the config this gateway starts with and
     * in its gateway.yaml, which the CLI commands read.
     */
    public TestGateway siteTimeZone(java.time.ZoneId zone) throws IOException {
        Path yaml = configDir.resolve("gateway.yaml");
        String text = Files.readString(yaml);
        if (!text.contains("timeZone: \"\"")) {
            throw new IllegalStateException("gateway.yaml has no empty timeZone to set");
        }
        Files.writeString(yaml, text.replace("timeZone: \"\"", "timeZone: \"" + zone.getId() + "\""));
        config.timeZone = zone.getId();
        return this;
    }

    /**
     * Starts the gateway. A port found free by {@link #freePort} can be taken by another socket before the gateway
     * binds it (an outgoing connection gets its local port from the same range): when a bind fails, the ports this
     * class chose (and the test left as they were) are chosen again, up to three times.
     */
    public TestGateway start() throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                gateway = Gateway.start(config, configDir, dataDir);
                return this;
            } catch (Exception e) {
                if (attempt == 3 || !bindFailure(e)) {
                    throw e;
                }
                if (config.hl7.port == hl7Port) {
                    config.hl7.port = hl7Port = freePort();
                }
                if (config.dicom.port == dicomPort) {
                    config.dicom.port = dicomPort = freePort();
                }
                if (config.http.port == httpPort) {
                    config.http.port = httpPort = freePort();
                }
            }
        }
    }

    private static boolean bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    public Gateway gateway() {
        return gateway;
    }

    public void stop() {
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }

    /** Sends a test message from src/test/resources (with {{DATE}} replaced by today) and returns the ACK. */
    public String send(String resource, Charset charset) throws IOException {
        try (MllpClient client = new MllpClient("127.0.0.1", config.hl7.port)) {
            return client.send(message(resource), charset);
        }
    }

    public static String message(String resource) throws IOException {
        try (InputStream in = TestGateway.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("{{DATE}}", today());
        }
    }

    public static String today() {
        return LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
