package org.ofsep.mwl.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.h2.mvstore.MVStoreTool;

/**
 * Gives a grown embedded H2 file its space back, offline ({@code gateway compact}): the store is copied into a new
 * file that holds only its live data, the copy is checked table by table against the original, and only then
 * takes the original's place; the original is kept beside it.
 *
 * <p>While the gateway runs, {@link H2Compaction} lets new chunks reuse the space of dead ones, but the file never
 * gets shorter: H2's compaction at close is off because it lost committed rows
 * ({@link DatabaseSettings#H2_NO_COMPACTION_AT_CLOSE}). A file that grew before that maintenance existed (every
 * commit appended, 7.4 GB after 100,000 orders) keeps its size. The copy is H2's own {@code SHUTDOWN COMPACT}
 * path ({@link MVStoreTool#compact(String, String, boolean)}: a read-only source, every map copied into a new
 * store), not the in-place compaction at close; the check (every table's rows, read through SQL from both files,
 * compared by count and by an order-independent SHA-256 digest) and the swap are ours.
 *
 * <p>The caller makes sure nothing else uses the file meanwhile (the gateway's serve lock).
 */
public final class H2FileRewrite {

    /** What a rewrite did. */
    public record Result(Path file, long bytesBefore, long bytesAfter, Path original, Map<String, Long> rowsByTable) {
    }

    /** The copy did not match the original: nothing was replaced. */
    public static final class Mismatch extends Exception {
        Mismatch(String message) {
            super(message);
        }
    }

    private H2FileRewrite() {
    }

    /**
     * Rewrites the embedded H2 file of {@code settings}.
     *
     * @throws IllegalArgumentException the settings are not an embedded H2 file, or it does not exist
     * @throws Mismatch                 the copy differs from the original (the original is left in place)
     */
    public static Result rewrite(DatabaseSettings settings, Clock clock) throws IOException, SQLException, Mismatch {
        return rewrite(settings, clock, copy -> { });
    }

    /** {@link #rewrite(DatabaseSettings, Clock)}, with {@code afterCopy} run on the copy before it is checked. */
    static Result rewrite(DatabaseSettings settings, Clock clock, java.util.function.Consumer<Path> afterCopy)
            throws IOException, SQLException, Mismatch {
        if (!settings.embeddedH2()) {
            throw new IllegalArgumentException("the store is not an embedded H2 file (" + settings.describe() + ")");
        }
        Path base = Path.of(settings.h2FilePath());
        Path file = base.resolveSibling(base.getFileName() + ".mv.db");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no store file there");
        }
        String settingsPart = settings.url().substring(settings.url().indexOf(';') < 0 ? settings.url().length()
                : settings.url().indexOf(';'));
        Path copyBase = base.resolveSibling(base.getFileName() + "-compacting");
        Path copy = copyBase.resolveSibling(copyBase.getFileName() + ".mv.db");
        Files.deleteIfExists(copy); // left by an interrupted run: never the store itself
        Files.deleteIfExists(copyBase.resolveSibling(copyBase.getFileName() + ".trace.db"));

        // the original read through SQL first: also makes H2 open (and, after a crash, recover) it as the gateway does
        Map<String, String> before = digests("jdbc:h2:file:" + base + settingsPart, settings);
        long bytesBefore = Files.size(file);
        java.nio.file.attribute.FileTime modifiedBefore = Files.getLastModifiedTime(file);
        try {
            MVStoreTool.compact(file.toString(), copy.toString(), false);
        } catch (RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
        Map<String, String> after;
        try {
            afterCopy.accept(copyBase);
            after = digests("jdbc:h2:file:" + copyBase + settingsPart, settings);
        } catch (SQLException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw new Mismatch("the compacted copy cannot be opened (" + e.getMessage() + ")");
        }
        if (!before.equals(after)) {
            Files.deleteIfExists(copy);
            List<String> differ = new ArrayList<>();
            for (String key : before.keySet()) {
                if (!before.get(key).equals(after.get(key))) {
                    differ.add(key);
                }
            }
            for (String key : after.keySet()) {
                if (!before.containsKey(key)) {
                    differ.add(key);
                }
            }
            throw new Mismatch("the compacted copy differs from the store in " + differ);
        }
        long bytesAfter = Files.size(copy);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(clock.instant().atZone(ZoneOffset.UTC));
        Path original = file.resolveSibling(file.getFileName() + ".before-compact-" + stamp);
        for (int n = 2; Files.exists(original, java.nio.file.LinkOption.NOFOLLOW_LINKS); n++) {
            original = file.resolveSibling(file.getFileName() + ".before-compact-" + stamp + "-" + n);
        }
        // the swap under the lock H2 itself takes on the file: no other process opens the store meanwhile. The
        // original keeps a name of its own first (a second link to the same file, or a copy where the file system
        // has no links), then the copy replaces the store's name in one rename: at no moment is there no store
        // file, which a gateway starting then would take for a new, empty store
        boolean swapped = false;
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new Mismatch("another process has the store file open");
            }
            if (Files.size(file) != bytesBefore || !Files.getLastModifiedTime(file).equals(modifiedBefore)) {
                // a command that had checked for a serving gateway before this one held the directory, and opened
                // the file since: what it wrote is not in the copy
                throw new Mismatch("the store file changed while it was copied (another process wrote to it)");
            }
            try {
                Files.createLink(original, file);
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(file, original, StandardCopyOption.COPY_ATTRIBUTES);
            }
            Files.move(copy, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            swapped = true;
        } catch (IOException | RuntimeException | Mismatch e) {
            if (!swapped) {
                // the store is still the original file; this run's name for it (a second link, or a copy, maybe
                // partial: a name no one else uses, chosen above) goes with the copy
                Files.deleteIfExists(copy);
                Files.deleteIfExists(original);
                throw e;
            }
            // only releasing the lock failed, after the swap: the store is the copy, the original is kept
        }
        Map<String, Long> rows = new TreeMap<>();
        before.forEach((key, value) -> {
            if (key.startsWith(TABLE)) {
                rows.put(key.substring(TABLE.length()), Long.parseLong(value.substring(0, value.indexOf(' '))));
            }
        });
        return new Result(file, bytesBefore, bytesAfter, original, rows);
    }

    private static final String TABLE = "table ";

    /**
     * What must be the same in the copy: for every table outside INFORMATION_SCHEMA, "rows digest" (the digest
     * independent of the rows' order); the next value of every sequence and identity column (the ids the gateway
     * hands out next).
     */
    static Map<String, String> digests(String url, DatabaseSettings settings) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url, settings.user(), settings.password())) {
            List<String[]> tables = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME"
                    + " FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA <> 'INFORMATION_SCHEMA'"
                    + " AND TABLE_TYPE = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT SEQUENCE_SCHEMA,"
                    + " SEQUENCE_NAME, BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES")) {
                while (rs.next()) {
                    out.put("sequence " + rs.getString(1) + "." + rs.getString(2), rs.getString(3));
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME,"
                    + " COLUMN_NAME, IDENTITY_BASE FROM INFORMATION_SCHEMA.COLUMNS WHERE IS_IDENTITY = 'YES'")) {
                while (rs.next()) {
                    out.put("identity " + rs.getString(1) + "." + rs.getString(2) + "." + rs.getString(3),
                            rs.getString(4));
                }
            }
            for (String[] t : tables) {
                long count = 0;
                byte[] sum = new byte[32];
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT * FROM " + quote(t[0]) + "." + quote(t[1]))) {
                    int columns = rs.getMetaData().getColumnCount();
                    MessageDigest sha = sha256();
                    while (rs.next()) {
                        count++;
                        for (int i = 1; i <= columns; i++) {
                            String v = rs.getString(i);
                            sha.update(v == null ? new byte[] {0} : ("\1" + v.length() + ":" + v)
                                    .getBytes(StandardCharsets.UTF_8));
                        }
                        add(sum, sha.digest()); // digest() also resets it for the next row
                    }
                }
                out.put(TABLE + t[0] + "." + t[1], count + " " + java.util.HexFormat.of().formatHex(sum));
            }
        }
        return out;
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** sum += row, as 256-bit numbers modulo 2^256: the same total whatever the rows' order. */
    private static void add(byte[] sum, byte[] row) {
        int carry = 0;
        for (int i = sum.length - 1; i >= 0; i--) {
            int v = (sum[i] & 0xFF) + (row[i] & 0xFF) + carry;
            sum[i] = (byte) v;
            carry = v >>> 8;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
