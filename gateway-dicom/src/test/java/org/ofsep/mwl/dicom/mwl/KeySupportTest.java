package org.ofsep.mwl.dicom.mwl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.VR;

/**
 * Which keys the worklist SCP matches, and which it only returns (PS3.4 Table K.6-1 and C.4.1.1.4): a key not
 * supported as asked makes the pending responses 0xFF01; a required matching key is matched.
 */
class KeySupportTest {

    private final Station siemens = Items.station(Vendor.SIEMENS, "MR_SIEMENS", false);
    private final WorklistItem item = Items.dupre(null);

    /** The item's response to {@code id}, checked against {@code id}'s matching keys, as MwlFindScp does. */
    private boolean matches(Attributes id) throws Exception {
        Attributes response = new WorklistResponseBuilder().build(item, siemens, id);
        return new WorklistQueryTranslator(false, 0).translate(id, siemens).residual().matches(response);
    }

    private static Attributes withSps() {
        Attributes id = new Attributes();
        id.setEmpty(Tag.PatientName, VR.PN);
        id.addItem(Tag.ScheduledProcedureStepSequence).setEmpty(Tag.ScheduledProcedureStepID, VR.SH);
        return id;
    }

    @Test
    void supportedKeysAskedAsTheyAreSupportedGiveNoWarning() {
        Attributes id = WorklistResponseBuilderTest.consoleIdentifier();
        assertThat(WorklistResponseBuilder.hasUnsupportedKeys(id)).isFalse();
        Attributes returnOnly = withSps();
        returnOnly.setEmpty(Tag.Allergies, VR.LO);
        returnOnly.setString(Tag.RequestedProcedurePriority, VR.SH, "*"); // universal: nothing to match
        returnOnly.getItem(Tag.ScheduledProcedureStepSequence, 0).setEmpty(Tag.PreMedication, VR.LO);
        assertThat(WorklistResponseBuilder.hasUnsupportedKeys(returnOnly)).isFalse();
    }

    /**
     * Requested Procedure Priority (PS3.4 Table K.6-1: an optional matching key) is returned with the order's
     * priority and matched: a value is no longer a key the gateway ignores (0xFF01), and a step without a priority
     * comes back with it empty and matches only universal matching.
     */
    @Test
    void requestedProcedurePriorityIsReturnedWithItsValueAndMatched() throws Exception {
        WorklistItem stat = org.ofsep.mwl.dicom.service.InMemoryWorklist.withPriority(item,
                org.ofsep.mwl.core.domain.RequestedPriority.STAT);
        Attributes asked = withSps();
        asked.setEmpty(Tag.RequestedProcedurePriority, VR.SH);
        assertThat(new WorklistResponseBuilder().build(stat, siemens, asked).getString(Tag.RequestedProcedurePriority))
                .isEqualTo("STAT");
        Attributes none = new WorklistResponseBuilder().build(item, siemens, asked);
        assertThat(none.contains(Tag.RequestedProcedurePriority)).isTrue();
        assertThat(none.getString(Tag.RequestedProcedurePriority)).isNull();
        for (String[] key : new String[][] {{"STAT"}, {"ST*"}, {"ROUTINE", "STAT"}}) {
            Attributes id = withSps();
            id.setString(Tag.RequestedProcedurePriority, VR.SH, key);
            String as = String.join("\\", key);
            assertThat(WorklistResponseBuilder.hasUnsupportedKeys(id)).as(as).isFalse();
            assertThat(matchesItem(stat, id)).as(as).isTrue();
            assertThat(matchesItem(item, id)).as(as).isFalse();
        }
        Attributes routine = withSps();
        routine.setString(Tag.RequestedProcedurePriority, VR.SH, "ROUTINE");
        assertThat(matchesItem(stat, routine)).isFalse();
        Attributes any = withSps();
        any.setString(Tag.RequestedProcedurePriority, VR.SH, "*");
        assertThat(matchesItem(item, any)).isTrue();
    }

    private boolean matchesItem(WorklistItem i, Attributes id) throws Exception {
        Attributes response = new WorklistResponseBuilder().build(i, siemens, id);
        return new WorklistQueryTranslator(false, 0).translate(id, siemens).residual().matches(response);
    }

    @Test
    void aValueOnAKeyThatIsReturnedButNotMatchedIsWarnedAbout() throws Exception {
        Attributes id = withSps();
        id.setString(Tag.Allergies, VR.LO, "IODE");
        assertThat(matches(id)).isTrue(); // not matched (the gateway holds no allergies)...
        assertThat(WorklistResponseBuilder.hasUnsupportedKeys(id)).isTrue(); // ...and said so: 0xFF01
        Attributes location = withSps();
        location.getItem(Tag.ScheduledProcedureStepSequence, 0).setString(Tag.ScheduledProcedureStepLocation, VR.SH, "SALLE 2");
        assertThat(WorklistResponseBuilder.hasUnsupportedKeys(location)).isTrue();
    }

    @Test
    void aSupportedKeyAtALevelWhereTheGatewayHasNoneIsWarnedAbout() throws Exception {
        Attributes id = withSps();
        id.setString(Tag.Modality, VR.CS, "CT"); // Modality belongs in the SPS sequence
        assertThat(matches(id)).isTrue();
        assertThat(WorklistResponseBuilder.hasUnsupportedKeys(id)).isTrue();
    }

    @Test
    void scheduledPerformingPhysiciansNameIsARequiredKeyAndIsMatched() throws Exception {
        Attributes id = withSps();
        id.getItem(Tag.ScheduledProcedureStepSequence, 0).setString(Tag.ScheduledPerformingPhysicianName, VR.PN, "SMITH^JOHN");
        assertThat(matches(id)).isFalse(); // the step has no performing physician
        assertThat(WorklistResponseBuilder.hasUnsupportedKeys(id)).isFalse();
        Attributes universal = withSps();
        universal.getItem(Tag.ScheduledProcedureStepSequence, 0).setString(Tag.ScheduledPerformingPhysicianName, VR.PN, "*");
        assertThat(matches(universal)).isTrue();
    }

    /**
     * Coding Scheme Version in the code sequences and the two keys of a Referenced Study Sequence item, which
     * Siemens, GE and Philips consoles ask for, are supported return keys: returned empty (no item in Referenced
     * Study Sequence), without the 0xFF01 warning every response carried before (found by an independent review;
     * dcmjs-dimse stops at FF01). A value on them is not matched, and said so.
     */
    @Test
    void codingSchemeVersionAndReferencedStudyItemKeysAreReturnedWithoutAWarning() throws Exception {
        Attributes id = withSps();
        Attributes code = id.getItem(Tag.ScheduledProcedureStepSequence, 0).addItem(Tag.ScheduledProtocolCodeSequence);
        code.setEmpty(Tag.CodeValue, VR.SH);
        code.setEmpty(Tag.CodingSchemeVersion, VR.SH);
        id.addItem(Tag.RequestedProcedureCodeSequence).setEmpty(Tag.CodingSchemeVersion, VR.SH);
        Attributes ref = id.addItem(Tag.ReferencedStudySequence);
        ref.setEmpty(Tag.ReferencedSOPClassUID, VR.UI);
        ref.setEmpty(Tag.ReferencedSOPInstanceUID, VR.UI);
        assertThat(WorklistResponseBuilder.hasUnsupportedKeys(id)).isFalse();
        assertThat(matches(id)).isTrue();
        Attributes response = new WorklistResponseBuilder().build(item, siemens, id);
        Attributes returned = response.getItem(Tag.ScheduledProcedureStepSequence, 0)
                .getItem(Tag.ScheduledProtocolCodeSequence, 0);
        assertThat(returned.contains(Tag.CodingSchemeVersion)).isTrue();
        assertThat(returned.getString(Tag.CodingSchemeVersion)).isNull();
        assertThat(returned.getString(Tag.CodeValue)).isNotBlank();
        assertThat(response.getSequence(Tag.ReferencedStudySequence)).isEmpty();
        Attributes versioned = withSps();
        versioned.getItem(Tag.ScheduledProcedureStepSequence, 0).addItem(Tag.ScheduledProtocolCodeSequence)
                .setString(Tag.CodingSchemeVersion, VR.SH, "1.0");
        assertThat(matches(versioned)).isTrue();
        assertThat(WorklistResponseBuilder.hasUnsupportedKeys(versioned)).isTrue();
    }

    /**
     * PS3.4 C.2.2.2.6: a code sequence key with a value returns the matching code items only (a Siemens station's
     * item holds its vendor code and the 99OFSEP one: a query for 99OFSEP got both; found by an independent review).
     * An item whose codes match none is not returned at all; a key item without values returns every code.
     */
    @Test
    void aCodeSequenceKeyReturnsOnlyTheMatchingCodeItems() throws Exception {
        Attributes id = withSps();
        Attributes code = id.getItem(Tag.ScheduledProcedureStepSequence, 0).addItem(Tag.ScheduledProtocolCodeSequence);
        code.setString(Tag.CodingSchemeDesignator, VR.SH, "99OFSEP");
        code.setEmpty(Tag.CodeValue, VR.SH);
        assertThat(matches(id)).isTrue();
        Attributes response = new WorklistResponseBuilder().build(item, siemens, id);
        assertThat(response.getItem(Tag.ScheduledProcedureStepSequence, 0).getSequence(Tag.ScheduledProtocolCodeSequence))
                .singleElement().satisfies(c -> assertThat(c.getString(Tag.CodeValue))
                        .isEqualTo(Items.OFSEP_FULL_GD.value()));
        // the reference projection says the same
        Attributes full = new WorklistResponseBuilder().render(item, siemens);
        assertThat(WorklistResponseBuilder.project(full, id).getItem(Tag.ScheduledProcedureStepSequence, 0)
                .getSequence(Tag.ScheduledProtocolCodeSequence)).hasSize(1);
        Attributes vendor = withSps();
        vendor.getItem(Tag.ScheduledProcedureStepSequence, 0).addItem(Tag.ScheduledProtocolCodeSequence)
                .setString(Tag.CodeValue, VR.SH, "SEP_*");
        assertThat(new WorklistResponseBuilder().build(item, siemens, vendor)
                .getItem(Tag.ScheduledProcedureStepSequence, 0).getSequence(Tag.ScheduledProtocolCodeSequence))
                .singleElement().satisfies(c -> assertThat(c.getString(Tag.CodeValue))
                        .isEqualTo(Items.SIEMENS_FULL_GD.value()));
        Attributes all = withSps();
        all.getItem(Tag.ScheduledProcedureStepSequence, 0).addItem(Tag.ScheduledProtocolCodeSequence)
                .setEmpty(Tag.CodeValue, VR.SH);
        assertThat(new WorklistResponseBuilder().build(item, siemens, all)
                .getItem(Tag.ScheduledProcedureStepSequence, 0).getSequence(Tag.ScheduledProtocolCodeSequence))
                .hasSize(2);
        // two identifiers that differ only by the scheme asked get different responses: different cache shapes
        Attributes siemensScheme = withSps();
        Attributes other = siemensScheme.getItem(Tag.ScheduledProcedureStepSequence, 0)
                .addItem(Tag.ScheduledProtocolCodeSequence);
        other.setString(Tag.CodingSchemeDesignator, VR.SH, "99SIEMENS");
        other.setEmpty(Tag.CodeValue, VR.SH);
        assertThat(new WorklistResponseBuilder().plan(id).shape())
                .isNotEqualTo(new WorklistResponseBuilder().plan(siemensScheme).shape());
    }

    @Test
    void longCodeValueIsAMatchingKeyInCodeSequences() throws Exception {
        Attributes id = withSps();
        id.getItem(Tag.ScheduledProcedureStepSequence, 0).addItem(Tag.ScheduledProtocolCodeSequence)
                .setString(Tag.LongCodeValue, VR.UC, "NO-SUCH-PROTOCOL-CODE-VALUE");
        assertThat(matches(id)).isFalse();
        assertThat(WorklistResponseBuilder.hasUnsupportedKeys(id)).isFalse();
        Attributes code = withSps();
        code.getItem(Tag.ScheduledProcedureStepSequence, 0).addItem(Tag.ScheduledProtocolCodeSequence)
                .setString(Tag.CodeValue, VR.SH, Items.SIEMENS_FULL_GD.value());
        assertThat(matches(code)).isTrue();
    }
}
