package org.ofsep.mwl.store;

import java.util.concurrent.ConcurrentHashMap;
import org.ofsep.mwl.core.domain.WorklistItem;

/**
 * Worklist steps already read by the C-FIND path, by id, each with the {@code row_version} it was read at. A row
 * read again at the same version is the same step (every UPDATE of worklist_item increments the version, see
 * {@link ItemTable#ROW_VERSION_BUMP}; the protocol codes only change with such an update), so the reader hands
 * back the object it already built instead of decoding the decision's columns and reading the protocol codes
 * again. Consoles ask for the same station-day all day: most rows are hits. The identical object also lets the
 * DICOM response cache recognise the item at once.
 *
 * <p>Bounded: at most {@code maxEntries}, emptied when full (the next queries fill it again with what they use).
 * Two instances on one database see each other's changes through the version in the row. Thread-safe.
 */
final class ItemCache {

    private record Entry(long version, WorklistItem item) {
    }

    private final int maxEntries;
    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();

    ItemCache(int maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative");
        }
        this.maxEntries = maxEntries;
    }

    /** The step as read at this version, or null. */
    WorklistItem get(long id, long version) {
        Entry e = entries.get(id);
        return e != null && e.version() == version ? e.item() : null;
    }

    void put(long id, long version, WorklistItem item) {
        if (maxEntries == 0) {
            return;
        }
        if (entries.size() >= maxEntries && !entries.containsKey(id)) {
            entries.clear();
        }
        entries.put(id, new Entry(version, item));
    }

    int size() {
        return entries.size();
    }
}
