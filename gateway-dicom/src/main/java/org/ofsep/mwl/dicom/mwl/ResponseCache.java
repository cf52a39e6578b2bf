package org.ofsep.mwl.dicom.mwl;

import java.util.concurrent.ConcurrentHashMap;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.TransferSyntax;

/**
 * The last response built and encoded for each worklist item, for consoles that ask the same question all day
 * (their own station, today): building and encoding a response is most of a console query's cost per item.
 *
 * <p>An entry serves only the very same request for the very same item: an equal {@link WorklistItem} (every
 * field, so any change to the step, its patient, its decision or its character set makes it another item), an
 * equal {@link Station} (vendor and the rest of the station profile, as the mapping has it now), the same
 * requested keys ({@link WorklistResponseBuilder.Plan#shape()}) and the same transfer syntax. Nothing else goes
 * into a response, so a hit gives the bytes a fresh build would. Match results are not cached: the residual
 * matcher runs on the cached dataset with each query's own values.
 *
 * <p>One entry per item id (a different request for the same item replaces it), at most {@code maxEntries}
 * (emptied when full), so the memory it holds is bounded: about 4 KB per entry for a console's keys (the dataset
 * and its 700 encoded bytes), plus the item it keeps. Thread-safe; the cached datasets are never modified.
 */
public final class ResponseCache {

    /** A built response and its encoding. The dataset must not be modified. */
    public record Response(Attributes dataset, byte[] encoded) {
    }

    private record Entry(WorklistItem item, Station station, String shape, TransferSyntax ts, Response response) {
        boolean serves(WorklistItem i, Station s, String sh, TransferSyntax t) {
            // the store hands back the very object it read before while the row is unchanged: identity first
            return ts == t && shape.equals(sh) && (station == s || java.util.Objects.equals(station, s))
                    && (item == i || item.equals(i));
        }
    }

    private final int maxEntries;
    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();

    public ResponseCache(int maxEntries) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
    }

    /** The cached response for this item and request, or null. */
    public Response get(WorklistItem item, Station station, String shape, TransferSyntax ts) {
        Entry e = entries.get(item.id());
        return e != null && e.serves(item, station, shape, ts) ? e.response() : null;
    }

    /** Remembers the response built for this item and request. */
    public void put(WorklistItem item, Station station, String shape, TransferSyntax ts, Response response) {
        if (entries.size() >= maxEntries && !entries.containsKey(item.id())) {
            entries.clear(); // bounded: the next queries fill it again with what they use
        }
        entries.put(item.id(), new Entry(item, station, shape, ts, response));
    }

    public int size() {
        return entries.size();
    }
}
