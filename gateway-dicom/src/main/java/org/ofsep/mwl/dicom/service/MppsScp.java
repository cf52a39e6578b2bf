package org.ofsep.mwl.dicom.service;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.ofsep.mwl.core.domain.PerformedStep;
import org.ofsep.mwl.core.service.UidGenerator;
import org.ofsep.mwl.core.store.PerformedStepService;
import org.ofsep.mwl.dicom.acse.Implementation;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.DicomCodecException;
import org.ofsep.mwl.dicom.data.DicomReader;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.TransferSyntax;
import org.ofsep.mwl.dicom.dimse.Command;
import org.ofsep.mwl.dicom.dimse.CommandField;
import org.ofsep.mwl.dicom.dimse.Status;
import org.ofsep.mwl.dicom.mpps.MppsFailure;
import org.ofsep.mwl.dicom.mpps.MppsMapper;
import org.ofsep.mwl.dicom.net.DimseService;
import org.ofsep.mwl.dicom.net.ServiceContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Modality Performed Procedure Step SOP Class SCP (PS3.4 Annex F; IHE RAD-6 and RAD-7): N-CREATE (IN PROGRESS)
 * and N-SET (updates, COMPLETED, DISCONTINUED). The attribute rules are {@link MppsMapper}'s; the state rules
 * and the effect on the worklist are the core {@link PerformedStepService}'s. Its results become DIMSE statuses:
 * <ul>
 *   <li>OK: Success 0x0000;</li>
 *   <li>DUPLICATE_INSTANCE: 0x0111 Duplicate SOP Instance;</li>
 *   <li>NO_SUCH_INSTANCE: 0x0112 No Such SOP Instance;</li>
 *   <li>NOT_IN_PROGRESS: 0x0110 Processing Failure, Error ID 0xA710, "Performed Procedure Step Object may no
 *       longer be updated" (PS3.4 F.7.2.2.2);</li>
 *   <li>INVALID_STATUS: 0x0106 Invalid Attribute Value on Performed Procedure Step Status.</li>
 * </ul>
 * A console may report only its own exams: an N-CREATE whose Performed Station AE Title is not the calling AE
 * title is refused with 0x0106 (Invalid Attribute Value, on that attribute), and an N-SET from an AE other than
 * the one that created the step with 0x0110 (Processing Failure), each with an Error Comment. AE titles are not
 * authentication: bind each station to its {@code host} in the mapping, or require TLS client certificates.
 */
public final class MppsScp implements DimseService {

    private static final Logger LOG = LoggerFactory.getLogger(MppsScp.class);
    /** Error ID (0000,0903) of PS3.4 F.7.2.2.2 for an N-SET of a step no longer IN PROGRESS. */
    public static final int ERROR_ID_NO_LONGER_UPDATABLE = 0xA710;
    static final String NO_LONGER_UPDATABLE = "Performed Procedure Step Object may no longer be updated";

    private final PerformedStepService service;
    private final MppsMapper mapper;

    public MppsScp(PerformedStepService service, MppsMapper mapper) {
        this.service = service;
        this.mapper = mapper;
    }

    public MppsScp(PerformedStepService service) {
        this(service, new MppsMapper());
    }

    @Override
    public Set<String> sopClasses() {
        return Set.of(Implementation.MODALITY_PERFORMED_PROCEDURE_STEP);
    }

    @Override
    public Set<Integer> commandFields() {
        return Set.of(CommandField.N_CREATE_RQ, CommandField.N_SET_RQ);
    }

    @Override
    public void handle(ServiceContext ctx) throws IOException {
        Command rq = ctx.request().command();
        if (rq.commandField() == CommandField.N_CREATE_RQ) {
            create(ctx, rq);
        } else {
            set(ctx, rq);
        }
    }

    private void create(ServiceContext ctx, Command rq) throws IOException {
        String uid = rq.getString(Command.AFFECTED_SOP_INSTANCE_UID);
        if (uid == null || uid.isEmpty()) {
            uid = newUid(); // PS3.7 10.1.5.1: the SCP assigns it and returns it in the response
        } else if (!validUid(uid)) {
            // PS3.5 9.1: digits and dots, at most 64 characters; one over 64 failed
            // as an internal error (with the store's stack trace at WARN), and "not-a-uid" was kept
            LOG.info("MPPS N-CREATE from {} refused: Affected SOP Instance UID is not a UID", ctx.callingAeTitle());
            respond(ctx, rq, null, Status.INVALID_OBJECT_INSTANCE, null,
                    "Affected SOP Instance UID is not a valid UID", null);
            return;
        }
        Attributes attrs = decode(ctx, uid);
        if (attrs == null) {
            return;
        }
        Optional<MppsFailure> invalid = mapper.validateCreate(attrs);
        if (invalid.isPresent()) {
            LOG.info("MPPS N-CREATE from {} refused: {}", ctx.callingAeTitle(), invalid.get().comment());
            respond(ctx, rq, uid, invalid.get().status(), invalid.get().tagArray(), invalid.get().comment(), null);
            return;
        }
        String performedStation = attrs.getString(Tag.PerformedStationAETitle);
        if (!sameAe(performedStation, ctx.callingAeTitle())) {
            LOG.warn("MPPS N-CREATE from {} refused: Performed Station AE Title is {} (another console)",
                    ctx.callingAeTitle(), performedStation);
            respond(ctx, rq, uid, Status.INVALID_ATTRIBUTE_VALUE, new int[] {Tag.PerformedStationAETitle},
                    "Performed Station AE Title is not the calling AE title", null);
            return;
        }
        PerformedStep step = mapper.toPerformedStep(uid, attrs);
        PerformedStepService.Result result = service.create(step);
        LOG.info("MPPS N-CREATE from {} ({} SPS ID(s) named): {}", ctx.callingAeTitle(), step.scheduledStepIds().size(), result);
        answer(ctx, rq, uid, result);
    }

    /**
     * A UID as PS3.5 9.1 writes it: 1 to 64 characters, numeric components, dot-separated (a component's leading
     * zero, which some consoles write, is tolerated: such an MPPS is still the exam's).
     */
    static boolean validUid(String uid) {
        return uid.length() <= 64 && UID.matcher(uid).matches();
    }

    private static final java.util.regex.Pattern UID = java.util.regex.Pattern.compile("[0-9]+(\\.[0-9]+)*");

    private void set(ServiceContext ctx, Command rq) throws IOException {
        String uid = rq.getString(Command.REQUESTED_SOP_INSTANCE_UID);
        if (uid == null || uid.isEmpty()) {
            respond(ctx, rq, null, Status.INVALID_OBJECT_INSTANCE, null, "Requested SOP Instance UID missing", null);
            return;
        }
        Attributes modifications = decode(ctx, uid);
        if (modifications == null) {
            return;
        }
        Optional<PerformedStep> stored = service.find(uid);
        if (stored.isEmpty()) {
            LOG.info("MPPS N-SET from {} for an unknown instance", ctx.callingAeTitle());
            respond(ctx, rq, uid, Status.NO_SUCH_SOP_INSTANCE, null, "No such Performed Procedure Step", null);
            return;
        }
        if (!MppsMapper.IN_PROGRESS.equals(stored.get().status())) {
            LOG.info("MPPS N-SET from {} on a step already {}", ctx.callingAeTitle(), stored.get().status());
            respond(ctx, rq, uid, Status.PROCESSING_FAILURE, null, NO_LONGER_UPDATABLE, ERROR_ID_NO_LONGER_UPDATABLE);
            return;
        }
        Attributes storedAttrs;
        try {
            storedAttrs = MppsMapper.decode(stored.get().dataset());
        } catch (DicomCodecException e) {
            LOG.warn("MPPS N-SET from {}: stored instance cannot be decoded", ctx.callingAeTitle(), e);
            respond(ctx, rq, uid, Status.PROCESSING_FAILURE, null, "Stored instance unreadable", null);
            return;
        }
        String creator = storedAttrs.getString(Tag.PerformedStationAETitle);
        if (!sameAe(creator, ctx.callingAeTitle())) {
            LOG.warn("MPPS N-SET from {} refused: the step was created by {}", ctx.callingAeTitle(), creator);
            respond(ctx, rq, uid, Status.PROCESSING_FAILURE, null,
                    "Created by another AE: not yours to update", null);
            return;
        }
        Optional<MppsFailure> invalid = mapper.validateSet(storedAttrs, modifications);
        if (invalid.isPresent()) {
            LOG.info("MPPS N-SET from {} refused: {}", ctx.callingAeTitle(), invalid.get().comment());
            respond(ctx, rq, uid, invalid.get().status(), invalid.get().tagArray(), invalid.get().comment(), null);
            return;
        }
        PerformedStep step = mapper.toPerformedStep(uid, mapper.merge(storedAttrs, modifications));
        PerformedStepService.Result result = service.update(step);
        LOG.info("MPPS N-SET from {} to {}: {}", ctx.callingAeTitle(), step.status(), result);
        answer(ctx, rq, uid, result);
    }

    private Attributes decode(ServiceContext ctx, String uid) throws IOException {
        Command rq = ctx.request().command();
        byte[] data = ctx.request().dataSet();
        if (data == null) {
            respond(ctx, rq, uid, Status.MISSING_ATTRIBUTE, null, "No attribute list", null);
            return null;
        }
        try {
            return DicomReader.read(data, TransferSyntax.requireSupported(ctx.presentationContext().transferSyntax()));
        } catch (DicomCodecException e) {
            LOG.info("MPPS from {}: attribute list cannot be decoded ({})", ctx.callingAeTitle(), e.getMessage());
            respond(ctx, rq, uid, Status.PROCESSING_FAILURE, null, "Attribute list cannot be decoded", null);
            return null;
        }
    }

    private void answer(ServiceContext ctx, Command rq, String uid, PerformedStepService.Result result) throws IOException {
        switch (result) {
            case OK -> respond(ctx, rq, uid, Status.SUCCESS, null, null, null);
            case DUPLICATE_INSTANCE -> respond(ctx, rq, uid, Status.DUPLICATE_SOP_INSTANCE, null,
                    "Performed Procedure Step already exists", null);
            case NO_SUCH_INSTANCE -> respond(ctx, rq, uid, Status.NO_SUCH_SOP_INSTANCE, null,
                    "No such Performed Procedure Step", null);
            case NOT_IN_PROGRESS -> respond(ctx, rq, uid, Status.PROCESSING_FAILURE, null, NO_LONGER_UPDATABLE,
                    ERROR_ID_NO_LONGER_UPDATABLE);
            case INVALID_STATUS -> respond(ctx, rq, uid, Status.INVALID_ATTRIBUTE_VALUE,
                    new int[] {Tag.PerformedProcedureStepStatus}, "Performed Procedure Step Status not allowed", null);
        }
    }

    private static void respond(ServiceContext ctx, Command rq, String uid, int status, int[] tags, String comment,
                                Integer errorId) throws IOException {
        Command rsp = Command.response(rq, status, false);
        if (uid != null) {
            rsp.set(Command.AFFECTED_SOP_INSTANCE_UID, uid);
        }
        if (tags != null && tags.length > 0) {
            rsp.set(Command.ATTRIBUTE_IDENTIFIER_LIST, tags);
        }
        if (comment != null) {
            rsp.set(Command.ERROR_COMMENT, MwlFindScp.clip(comment));
        }
        if (errorId != null) {
            rsp.set(Command.ERROR_ID, errorId);
        }
        ctx.respond(rsp, null);
    }

    /** AE titles compare without their padding spaces (PS3.5: leading and trailing spaces are not significant). */
    private static boolean sameAe(String a, String b) {
        return a != null && b != null && a.strip().equals(b.strip());
    }

    /** A UUID-derived UID (PS3.5 B.2). */
    static String newUid() {
        return UidGenerator.fromUuid(UUID.randomUUID());
    }
}
