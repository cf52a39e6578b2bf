package org.ofsep.mwl.dicom.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.store.WorklistStore;
import org.ofsep.mwl.dicom.acse.Implementation;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.DicomCodecException;
import org.ofsep.mwl.dicom.data.DicomReader;
import org.ofsep.mwl.dicom.data.DicomWriter;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.TransferSyntax;
import org.ofsep.mwl.dicom.data.UnsupportedCharacterSetException;
import org.ofsep.mwl.dicom.dimse.Command;
import org.ofsep.mwl.dicom.dimse.CommandField;
import org.ofsep.mwl.dicom.dimse.Status;
import org.ofsep.mwl.dicom.mwl.InvalidIdentifierException;
import org.ofsep.mwl.dicom.mwl.ResponseCache;
import org.ofsep.mwl.dicom.mwl.WorklistQueryTranslator;
import org.ofsep.mwl.dicom.mwl.WorklistResponseBuilder;
import org.ofsep.mwl.dicom.net.DimseService;
import org.ofsep.mwl.dicom.net.ServiceContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Modality Worklist Information Model - FIND SCP (PS3.4 Annex K). The identifier becomes an indexed store query
 * plus a residual matcher; the store streams the items and each matching one is sent as a pending response as it
 * comes (nothing is collected first). Between two responses a C-CANCEL is looked for; the query then stops and
 * ends with Cancel (0xFE00).
 *
 * <p>The cost of a console query is per item returned, so what depends only on the request is done once per
 * query: the response plan ({@link WorklistResponseBuilder#plan}: only the requested keys are rendered), the
 * matcher's view of the identifier, the pending C-FIND-RSP command. A response already built for an equal item,
 * station and set of keys is taken from the {@link ResponseCache}. Pending responses are sent with
 * {@link ServiceContext#respondPending}, several to a socket write; the final response writes what is left.
 *
 * <p>Final statuses: Success; Cancel; 0xA700 (out of resources) when more items match than the configured limit
 * (the first {@code limit} are sent, and a warning is logged); 0xA900 for an identifier that cannot be decoded
 * or holds an invalid matching key; 0xC000 for a Specific Character Set we cannot decode, or a store failure.
 * Pending responses are 0xFF01 when the identifier holds optional keys we do not support, else 0xFF00.
 */
public final class MwlFindScp implements DimseService {

    private static final Logger LOG = LoggerFactory.getLogger(MwlFindScp.class);

    private final WorklistStore store;
    private final int maxWildcards;
    private final boolean includeStartedSteps;
    private final int queryLimit;
    private final WorklistResponseBuilder builder = new WorklistResponseBuilder();
    private final ResponseCache cache;

    /**
     * Responses remembered by default: several days of ten busy scanners (a console asks for its own day), at
     * most about 25 MB (5 KB per entry with its item, measured).
     */
    public static final int DEFAULT_CACHED_RESPONSES = 5_000;

    /**
     * @param includeStartedSteps also return steps STARTED by an MPPS
     * @param queryLimit          most matches returned per query; 0 = no limit
     */
    public MwlFindScp(WorklistStore store, boolean includeStartedSteps, int queryLimit) {
        this(store, includeStartedSteps, queryLimit, new ResponseCache(DEFAULT_CACHED_RESPONSES));
    }

    /** @param cache responses already built and encoded (see {@link ResponseCache}), or null for none */
    public MwlFindScp(WorklistStore store, boolean includeStartedSteps, int queryLimit, ResponseCache cache) {
        this(store, includeStartedSteps, queryLimit, cache, WorklistQueryTranslator.DEFAULT_MAX_WILDCARDS);
    }

    /** @param maxWildcards most '*' in one key; a query with more gets A900 with an Error Comment */
    public MwlFindScp(WorklistStore store, boolean includeStartedSteps, int queryLimit, ResponseCache cache,
                      int maxWildcards) {
        this.maxWildcards = maxWildcards;
        this.store = store;
        this.includeStartedSteps = includeStartedSteps;
        this.queryLimit = queryLimit;
        this.cache = cache;
    }

    @Override
    public Set<String> sopClasses() {
        return Set.of(Implementation.MODALITY_WORKLIST_FIND);
    }

    @Override
    public Set<Integer> commandFields() {
        return Set.of(CommandField.C_FIND_RQ);
    }

    @Override
    public void handle(ServiceContext ctx) throws IOException {
        Command rq = ctx.request().command();
        long t0 = System.nanoTime();
        TransferSyntax ts = TransferSyntax.requireSupported(ctx.presentationContext().transferSyntax());
        if (ctx.request().dataSet() == null) {
            fail(ctx, Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, "C-FIND without identifier", null);
            return;
        }
        Attributes identifier;
        try {
            identifier = DicomReader.read(ctx.request().dataSet(), ts);
        } catch (UnsupportedCharacterSetException e) {
            LOG.info("C-FIND from {} refused: Specific Character Set '{}' not supported", ctx.callingAeTitle(), e.specificCharacterSet());
            fail(ctx, Status.UNABLE_TO_PROCESS, clip("Specific Character Set not supported: " + e.specificCharacterSet()),
                    Tag.SpecificCharacterSet);
            return;
        } catch (DicomCodecException e) {
            LOG.info("C-FIND from {} refused: identifier cannot be decoded ({})", ctx.callingAeTitle(), e.getMessage());
            fail(ctx, Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, clip("Identifier cannot be decoded"), null);
            return;
        }
        LOG.debug("C-FIND identifier from {}: {}", ctx.callingAeTitle(), identifier);

        // The SQL side fetches one more than the limit, to know whether the limit cut the answer.
        WorklistQueryTranslator translator = new WorklistQueryTranslator(includeStartedSteps,
                queryLimit == 0 ? 0 : queryLimit + 1, maxWildcards);
        WorklistQueryTranslator.Translation t;
        try {
            t = translator.translate(identifier, StationPeers.station(ctx));
        } catch (InvalidIdentifierException e) {
            LOG.info("C-FIND from {} refused: {}", ctx.callingAeTitle(), e.getMessage());
            fail(ctx, Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, clip(e.getMessage()), e.tag());
            return;
        }
        int pendingStatus = unsupportedKeys(identifier) ? Status.PENDING_WARNING : Status.PENDING;

        // what depends only on the request and the station is resolved once for the whole answer
        WorklistResponseBuilder.Plan plan = builder.plan(identifier);
        String shape = plan.shape();
        Station station = StationPeers.station(ctx);
        Command pending = Command.response(rq, pendingStatus, true); // the same for every match: encoded once
        int[] sent = {0};
        boolean[] cancelled = {false};
        boolean[] truncated = {false};
        // The limit counts matches, not rows: the residual matcher may refuse rows the SQL returned. When it did and
        // the SQL limit cut the rows, a second pass without the SQL limit reads on (skipping the rows already seen),
        // so that neither "first N" undercounts nor a success hides matches.
        java.util.Set<Long> considered = new java.util.HashSet<>();
        boolean[] secondPass = {false};
        int[] refused = {0};
        java.util.function.Predicate<org.ofsep.mwl.core.domain.WorklistItem> sink = item -> {
            if (ctx.isCancelled()) {
                cancelled[0] = true;
                return false;
            }
            if (secondPass[0]) {
                if (considered.contains(item.id())) {
                    return true; // sent (or refused) in the first pass
                }
            } else if (queryLimit > 0) {
                considered.add(item.id()); // at most queryLimit + 1 ids: the SQL limit of the first pass
            }
            ResponseCache.Response cached = cache == null ? null : cache.get(item, station, shape, ts);
            Attributes response = cached != null ? cached.dataset() : plan.build(item, station);
            // C-FIND matching keys are return keys, so the projected response holds every key to match
            if (!t.residual().matches(response)) {
                refused[0]++;
                return true;
            }
            if (queryLimit > 0 && sent[0] >= queryLimit) {
                truncated[0] = true;
                return false;
            }
            byte[] encoded;
            if (cached != null) {
                encoded = cached.encoded();
            } else {
                encoded = DicomWriter.write(response, ts);
                if (cache != null) {
                    cache.put(item, station, shape, ts, new ResponseCache.Response(response, encoded));
                }
            }
            try {
                ctx.respondPending(pending, encoded);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sent[0]++;
            return true;
        };
        try {
            int handed = store.query(t.query(), sink, ctx::isCancelled);
            if (queryLimit > 0 && !truncated[0] && !cancelled[0] && refused[0] > 0 && handed >= queryLimit + 1) {
                secondPass[0] = true;
                WorklistQueryTranslator.Translation all = new WorklistQueryTranslator(includeStartedSteps, 0)
                        .translate(identifier, StationPeers.station(ctx));
                store.query(all.query(), sink, ctx::isCancelled);
            }
        } catch (InvalidIdentifierException e) {
            throw new IllegalStateException("identifier translated once already", e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            LOG.warn("C-FIND from {} failed after {} matches", ctx.callingAeTitle(), sent[0], e);
            fail(ctx, Status.UNABLE_TO_PROCESS, "Worklist query failed", null);
            return;
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (cancelled[0] || ctx.isCancelled()) {
            LOG.info("C-FIND from {} cancelled after {} matches ({} ms)", ctx.callingAeTitle(), sent[0], ms);
            ctx.respond(Command.response(rq, Status.CANCEL, false), null);
        } else if (truncated[0]) {
            LOG.warn("C-FIND from {} matched more than the query limit of {}: only the first {} returned ({} ms)",
                    ctx.callingAeTitle(), queryLimit, sent[0], ms);
            Command rsp = Command.response(rq, Status.OUT_OF_RESOURCES, false);
            rsp.set(Command.ERROR_COMMENT, clip("More than " + queryLimit + " matches; first " + sent[0] + " returned"));
            ctx.respond(rsp, null);
        } else {
            LOG.info("C-FIND from {}: {} matches ({} ms)", ctx.callingAeTitle(), sent[0], ms);
            ctx.respond(Command.response(rq, Status.SUCCESS, false), null);
        }
    }

    private static void fail(ServiceContext ctx, int status, String comment, Integer offendingTag) throws IOException {
        Command rsp = Command.response(ctx.request().command(), status, false);
        rsp.set(Command.ERROR_COMMENT, comment);
        if (offendingTag != null) {
            rsp.set(Command.OFFENDING_ELEMENT, new int[] {offendingTag});
        }
        ctx.respond(rsp, null);
    }

    /** True when the identifier holds a key the gateway does not support as asked (0xFF01). */
    static boolean unsupportedKeys(Attributes identifier) {
        return WorklistResponseBuilder.hasUnsupportedKeys(identifier);
    }

    /** Error Comment is LO: at most 64 characters. */
    /** An Error Comment (LO, at most 64 characters), cut at a word with "..." when longer, never mid-word. */
    static String clip(String s) {
        if (s.length() <= 64) {
            return s;
        }
        int cut = s.lastIndexOf(' ', 61);
        return (cut > 30 ? s.substring(0, cut) : s.substring(0, 61)) + "...";
    }
}
