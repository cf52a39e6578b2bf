package org.ofsep.mwl.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * The disk as H2 sees it through {@code jdbc:h2:file:syncspy:PATH}: every file opened through it counts its writes
 * and its syncs ({@code force}), and a sync can be made to fail as a failing disk's does. For {@link H2SyncTest}.
 * Public with a public constructor: H2 makes the instances of a file system itself.
 */
public final class SyncSpyFilePath extends FilePathWrapper {

    static final AtomicLong WRITES = new AtomicLong();
    static final AtomicLong SYNCS = new AtomicLong();
    /** {@link #WRITES} when the last sync that succeeded started: every write counted then is on the disk. */
    static final AtomicLong SYNCED_WRITES = new AtomicLong();
    static volatile boolean failSyncs;

    private static final SyncSpyFilePath INSTANCE = new SyncSpyFilePath();

    static synchronized void register() {
        FilePath.register(INSTANCE);
    }

    @Override
    public String getScheme() {
        return "syncspy";
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Channel(getBase().open(mode));
    }

    private static final class Channel extends FileBase {
        private final FileChannel base;

        Channel(FileChannel base) {
            this.base = base;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return base.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = base.write(src);
            WRITES.incrementAndGet();
            return n;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            int n = base.write(src, position);
            WRITES.incrementAndGet();
            return n;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (failSyncs) {
                throw new IOException("Input/output error (a test's failing disk)");
            }
            long writes = WRITES.get();
            base.force(metaData);
            SYNCS.incrementAndGet();
            SYNCED_WRITES.accumulateAndGet(writes, Math::max);
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            base.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            base.truncate(size);
            return this;
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }
    }
}
