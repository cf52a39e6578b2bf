package org.ofsep.mwl.store;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the gateway keeps its data: the embedded H2 file database by default, or PostgreSQL.
 *
 * @param url         JDBC URL ("jdbc:h2:file:..." or "jdbc:postgresql://host:5432/db")
 * @param user        database user, may be null for H2
 * @param password    may be null
 * @param maxPoolSize HikariCP maximum pool size
 */
public record DatabaseSettings(String url, String user, String password, int maxPoolSize) {

    /** Environment variables that override the configured connection (secrets stay out of gateway.yaml). */
    public static final String ENV_URL = "GATEWAY_DB_URL";
    public static final String ENV_USER = "GATEWAY_DB_USER";
    public static final String ENV_PASSWORD = "GATEWAY_DB_PASSWORD";

    public static final int DEFAULT_POOL_SIZE = 10;

    public DatabaseSettings {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("database URL is required");
        }
        if (maxPoolSize <= 0) {
            maxPoolSize = DEFAULT_POOL_SIZE;
        }
    }

    /**
     * The embedded default: H2 in file mode at {@code <dataDir>/gateway.mv.db}. WRITE_DELAY=0 writes each commit
     * to the file before the commit returns (an acknowledged order survives a kill -9); DB_CLOSE_ON_EXIT=FALSE
     * leaves closing to the gateway's own shutdown; AUTO_SERVER=FALSE keeps the file to this one process (a
     * second gateway on the same data directory fails fast instead of sharing it; the running gateway serves it
     * to the CLI commands itself, {@link StoreServer}); LOCK_TIMEOUT lets
     * concurrent orders for the same rows wait for each other instead of failing at once; a larger per-session
     * QUERY_CACHE_SIZE keeps every statement of an order parsed once per connection; CACHE_SIZE is H2's page cache
     * ({@link #H2_PAGE_CACHE_KB}); MAX_COMPACT_TIME=0 turns off H2's compaction when the database closes
     * ({@link #H2_NO_COMPACTION_AT_CLOSE}).
     */
    public static DatabaseSettings h2(Path dataDir) {
        bindH2ServerToLoopback();
        Path file = dataDir.toAbsolutePath().resolve("gateway");
        String url = "jdbc:h2:file:" + file.toString().replace('\\', '/')
                + ";DB_CLOSE_ON_EXIT=FALSE;AUTO_SERVER=FALSE;WRITE_DELAY=0;LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=32"
                + ";CACHE_SIZE=" + H2_PAGE_CACHE_KB + H2_NO_COMPACTION_AT_CLOSE;
        return new DatabaseSettings(url, "sa", "", DEFAULT_POOL_SIZE);
    }

    /**
     * H2's page cache, in KB: 2 MB instead of H2's 16 MB. H2 copies a B-tree page on every write and keeps the new
     * versions in this cache, so at 200 orders/s nearly all of it is replaced every second: at each young
     * collection the JVM copies the whole cache's worth of live, young pages, which made G1's pauses at the morning
     * peak 14 to 66 ms (a 64 MB or 256 MB cache made them longer). With 2 MB they are about half as long, and the
     * console query, which reads its station-day from its index alone (V15) and its steps from the item cache,
     * does not need more; what the cache misses is read back from the operating system's file cache
     * (docs/benchmarks.md, "H2's page cache at the peak").
     */
    public static final int H2_PAGE_CACHE_KB = 2048;

    /**
     * No compaction when the database closes. H2 2.3.232 compacts the file at close with its retention time set to
     * 0, and that compaction lost a few of the last committed rows in a third to two thirds of the runs of a test
     * (3,300 commits, a close, the file opened again; H2CompactionTest), the data loss at close reported upstream
     * for this version (h2database issue 4247; Quarkus and Keycloak went back to 2.3.230 for it). Without it no run
     * lost a row. The file's space is looked after while the gateway runs instead ({@link H2Compaction}, which
     * keeps H2's retention time); the price is that the file does not get shorter at a stop.
     */
    static final String H2_NO_COMPACTION_AT_CLOSE = ";MAX_COMPACT_TIME=0";

    /** The only address the store server of a running gateway listens on ({@link StoreServer}). */
    public static final String H2_BIND_ADDRESS = "127.0.0.1";

    /**
     * H2 reads {@code h2.bindAddress} once, when its system properties class loads: set before the first H2
     * connection of the process ({@link #h2} does). {@link StoreServer} checks the address H2 really uses.
     */
    static void bindH2ServerToLoopback() {
        System.setProperty("h2.bindAddress", H2_BIND_ADDRESS);
    }

    /** true for the embedded H2 file store (not H2 over TCP, not PostgreSQL). */
    public boolean embeddedH2() {
        return url.startsWith("jdbc:h2:file:");
    }

    /** The database path of an embedded H2 file URL (without "jdbc:h2:file:" and the settings). */
    public String h2FilePath() {
        String rest = url.substring("jdbc:h2:file:".length());
        int semi = rest.indexOf(';');
        return semi < 0 ? rest : rest.substring(0, semi);
    }

    /**
     * The settings to use: environment variables win over the configured values, a missing URL means the
     * embedded H2 under {@code dataDir}.
     */
    public static DatabaseSettings resolve(String url, String user, String password, Integer maxPoolSize,
                                           Path dataDir, Map<String, String> env) {
        String u = firstNonBlank(env.get(ENV_URL), url);
        String usr = firstNonBlank(env.get(ENV_USER), user);
        String pwd = firstNonBlank(env.get(ENV_PASSWORD), password);
        int pool = maxPoolSize == null ? DEFAULT_POOL_SIZE : maxPoolSize;
        if (u == null) {
            DatabaseSettings h2 = h2(dataDir);
            return new DatabaseSettings(h2.url(), usr == null ? h2.user() : usr, pwd == null ? h2.password() : pwd,
                    pool);
        }
        return new DatabaseSettings(u, usr, pwd, pool);
    }

    public Dialect dialect() {
        return Dialect.of(url);
    }

    /** The URL without credentials or options, safe to log. */
    public String describe() {
        int semi = url.indexOf(';');
        int q = url.indexOf('?');
        int cut = semi < 0 ? q : (q < 0 ? semi : Math.min(semi, q));
        return cut < 0 ? url : url.substring(0, cut);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + describe() + ", user=" + user + ", maxPoolSize=" + maxPoolSize + "]";
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b == null || b.isBlank() ? null : b;
    }
}
