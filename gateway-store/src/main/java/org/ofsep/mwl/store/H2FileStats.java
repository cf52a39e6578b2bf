package org.ofsep.mwl.store;

/**
 * The embedded H2 file now ({@link Database#h2File}).
 *
 * @param bytes             the file's size
 * @param fillPercent       share of the file its chunks use (the rest is free space)
 * @param chunksFillPercent live share of the chunks written (the rest is old versions not yet rewritten)
 * @param passes            maintenance passes that rewrote something since the store was opened
 * @param passSeconds       their time
 * @param syncs             syncs of the file to the disk since the store was opened ({@link H2Sync})
 * @param syncSeconds       their time
 */
public record H2FileStats(long bytes, int fillPercent, int chunksFillPercent, long passes, double passSeconds,
        long syncs, double syncSeconds) {
}
