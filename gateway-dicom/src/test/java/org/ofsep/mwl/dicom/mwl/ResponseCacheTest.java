package org.ofsep.mwl.dicom.mwl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.DicomWriter;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.TransferSyntax;
import org.ofsep.mwl.dicom.data.VR;

/** A cached response serves only the same item, station, requested keys and transfer syntax. */
class ResponseCacheTest {

    private static final TransferSyntax TS = TransferSyntax.EXPLICIT_VR_LE;
    private final WorklistResponseBuilder builder = new WorklistResponseBuilder();
    private final Station siemens = Items.station(Vendor.SIEMENS, "MR_SIEMENS", false);
    private final WorklistItem item = Items.dupre("ISO_IR 100").withId(42);

    private ResponseCache.Response response(WorklistItem i, Station s, WorklistResponseBuilder.Plan plan) {
        Attributes a = plan.build(i, s);
        return new ResponseCache.Response(a, DicomWriter.write(a, TS));
    }

    @Test
    void theSameRequestForTheSameItemIsServed() {
        ResponseCache cache = new ResponseCache(10);
        WorklistResponseBuilder.Plan plan = builder.plan(WorklistResponseBuilderTest.consoleIdentifier());
        ResponseCache.Response r = response(item, siemens, plan);
        cache.put(item, siemens, plan.shape(), TS, r);

        // another query with the same keys but other matching values: same shape, same response
        Attributes otherValues = WorklistResponseBuilderTest.consoleIdentifier();
        otherValues.getItem(Tag.ScheduledProcedureStepSequence, 0)
                .setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261126");
        String shape = builder.plan(otherValues).shape();
        assertThat(shape).isEqualTo(plan.shape());
        // an equal item read again from the store (a new object) is the same item
        WorklistItem reread = Items.dupre("ISO_IR 100").withId(42);
        assertThat(cache.get(reread, siemens, shape, TS)).isSameAs(r);
        assertThat(cache.get(reread, siemens, shape, TS).encoded()).isEqualTo(response(reread, siemens, plan).encoded());
    }

    @Test
    void anyChangeToTheItemStationKeysOrTransferSyntaxIsAMiss() {
        ResponseCache cache = new ResponseCache(10);
        WorklistResponseBuilder.Plan plan = builder.plan(WorklistResponseBuilderTest.consoleIdentifier());
        cache.put(item, siemens, plan.shape(), TS, response(item, siemens, plan));

        assertThat(cache.get(item.withStatus(SpsStatus.STARTED), siemens, plan.shape(), TS)).isNull();
        assertThat(cache.get(item.withPatient(new Patient("PAT1", "HOSP", "DUPRE^HELENE",
                item.patient().birthDate(), "F")), siemens, plan.shape(), TS)).isNull();
        assertThat(cache.get(Items.dupre("ISO_IR 192").withId(42), siemens, plan.shape(), TS)).isNull();
        // the same AE title now configured as another vendor (mapping reload): other protocol codes
        Station nowGe = new Station(siemens.name(), siemens.aeTitle(), Vendor.GE, siemens.model(),
                siemens.fieldStrengthTesla(), siemens.modality(), siemens.host(), siemens.fuzzyNames());
        assertThat(cache.get(item, nowGe, plan.shape(), TS)).isNull();
        assertThat(cache.get(item, siemens, plan.shape(), TransferSyntax.IMPLICIT_VR_LE)).isNull();
        Attributes moreKeys = WorklistResponseBuilderTest.consoleIdentifier();
        moreKeys.setEmpty(Tag.IssuerOfPatientID, VR.LO);
        assertThat(builder.plan(moreKeys).shape()).isNotEqualTo(plan.shape());
        assertThat(cache.get(item, siemens, builder.plan(moreKeys).shape(), TS)).isNull();
        Attributes wholeSps = WorklistResponseBuilderTest.consoleIdentifier();
        wholeSps.getItem(Tag.ScheduledProcedureStepSequence, 0).getSequence(Tag.ScheduledProtocolCodeSequence)
                .add(new Attributes());
        wholeSps.getItem(Tag.ScheduledProcedureStepSequence, 0).getItem(Tag.ScheduledProtocolCodeSequence, 0)
                .setEmpty(Tag.CodeValue, VR.SH);
        assertThat(builder.plan(wholeSps).shape()).isNotEqualTo(plan.shape());
        // still there for the original request
        assertThat(cache.get(item, siemens, plan.shape(), TS)).isNotNull();
    }

    @Test
    void aNewResponseForAnItemReplacesTheOldOne() {
        ResponseCache cache = new ResponseCache(10);
        WorklistResponseBuilder.Plan plan = builder.plan(WorklistResponseBuilderTest.consoleIdentifier());
        cache.put(item, siemens, plan.shape(), TS, response(item, siemens, plan));
        WorklistItem renamed = item.withPatient(new Patient("PAT1", "HOSP", "MARTIN^ANNE", null, "F"));
        ResponseCache.Response fresh = response(renamed, siemens, plan);
        cache.put(renamed, siemens, plan.shape(), TS, fresh);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get(renamed, siemens, plan.shape(), TS)).isSameAs(fresh);
        assertThat(cache.get(item, siemens, plan.shape(), TS)).isNull();
        assertThat(fresh.dataset().getString(Tag.PatientName)).isEqualTo("MARTIN^ANNE");
    }

    @Test
    void theCacheIsBounded() {
        ResponseCache cache = new ResponseCache(100);
        WorklistResponseBuilder.Plan plan = builder.plan(WorklistResponseBuilderTest.consoleIdentifier());
        ResponseCache.Response r = response(item, siemens, plan);
        for (long id = 1; id <= 1_000; id++) {
            cache.put(item.withId(id), siemens, plan.shape(), TS, r);
            assertThat(cache.size()).isLessThanOrEqualTo(100);
        }
        assertThat(cache.get(item.withId(1_000), siemens, plan.shape(), TS)).isSameAs(r);
    }
}
