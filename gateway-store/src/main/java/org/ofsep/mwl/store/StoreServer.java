package org.ofsep.mwl.store;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import org.h2.tools.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway serves its embedded H2 store to the CLI commands of the same machine (report, export,
 * messages, replay, decide, doctor), which cannot open the file a running gateway holds: an H2 TCP server on a
 * free port of the loopback interface only ({@value DatabaseSettings#H2_BIND_ADDRESS}), answering only the random
 * database key written, with the port, in {@code <data>/gateway.store} (mode 0600, the data directory owner's).
 * The gateway itself keeps using the file embedded; the commands connect as
 * {@code jdbc:h2:tcp://127.0.0.1:PORT/KEY}. Stopped (and the file deleted) before the store closes.
 */
public final class StoreServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreServer.class);
    public static final String FILE = "gateway.store";

    private final Server server;
    private final Path file;
    /** What this gateway wrote in {@link #file}: only that file is deleted at the stop. */
    private final String own;

    private StoreServer(Server server, Path file, String own) {
        this.server = server;
        this.file = file;
        this.own = own;
    }

    /** Serves the embedded store of {@code settings} (open in this process) to local commands. */
    public static StoreServer start(DatabaseSettings settings, Path dataDir) {
        if (!settings.embeddedH2()) {
            throw new IllegalArgumentException("only the embedded H2 store is served to the commands");
        }
        DatabaseSettings.bindH2ServerToLoopback();
        HexFormat hex = HexFormat.of();
        SecureRandom random = new SecureRandom();
        byte[] keyBytes = new byte[16];
        byte[] passwordBytes = new byte[16];
        random.nextBytes(keyBytes);
        random.nextBytes(passwordBytes);
        String key = "k" + hex.formatHex(keyBytes);
        Server server;
        try {
            server = Server.createTcpServer("-tcpPort", "0", "-tcpDaemon", "-ifExists",
                    "-tcpPassword", hex.formatHex(passwordBytes), "-key", key, settings.h2FilePath()).start();
        } catch (SQLException e) {
            throw new StoreException("cannot serve the embedded store to the commands: " + e.getMessage(), e);
        }
        String host = server.getURL().replaceFirst("^tcp://", "").replaceFirst(":\\d+$", "");
        boolean loopback;
        try {
            loopback = InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            loopback = false;
        }
        if (!loopback) {
            server.stop();
            throw new StoreException("the store server would listen on " + host + ", not on the loopback interface "
                    + "(h2.bindAddress was set before the gateway set it to " + DatabaseSettings.H2_BIND_ADDRESS + ")",
                    null);
        }
        Path file = dataDir.resolve(FILE);
        String text = "# the running gateway's store, for the CLI commands of this machine\nport=" + server.getPort()
                + "\nkey=" + key + "\n";
        try {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            server.stop();
            throw new StoreException("cannot write " + file + ": " + e.getMessage(), e);
        }
        log.info("Embedded store served to the CLI commands on {}:{} (loopback only)",
                DatabaseSettings.H2_BIND_ADDRESS, server.getPort());
        return new StoreServer(server, file, text);
    }

    public int port() {
        return server.getPort();
    }

    /**
     * How a command reaches the store a running gateway serves from {@code dataDir}; empty when no
     * {@code gateway.store} is there. The caller knows whether a gateway really serves (a file left by a killed
     * gateway names a port nobody answers).
     */
    public static Optional<DatabaseSettings> client(Path dataDir, int maxPoolSize) {
        Path file = dataDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)));
            int port = Integer.parseInt(p.getProperty("port"));
            String key = p.getProperty("key");
            return Optional.of(new DatabaseSettings("jdbc:h2:tcp://" + DatabaseSettings.H2_BIND_ADDRESS + ":" + port
                    + "/" + key + ";LOCK_TIMEOUT=10000", "sa", "", maxPoolSize));
        } catch (IOException | RuntimeException e) {
            throw new StoreException("cannot read " + file + " (the running gateway's store): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        server.stop();
        try {
            // only this gateway's own file: a data directory deleted and started again under a running gateway
            // holds another gateway's, which a stop of this one deleted, and every command then failed for good
            if (Files.isRegularFile(file) && own.equals(Files.readString(file, StandardCharsets.US_ASCII))) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", file, e.toString());
        }
    }
}
