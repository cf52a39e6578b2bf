package org.ofsep.mwl.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.mapping.MappingDocument.CardName;
import org.ofsep.mwl.core.mapping.MappingDocument.Region;
import org.ofsep.mwl.core.order.OrderAction;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.order.ProcedureRequest;

class MappingLoaderTest {

    private static ProcedureRequest procedure(Map<String, String> fields, String ipc9) {
        return new ProcedureRequest("ACC1", null, new ProtocolCode("24590-2", "LN", "MR Brain"), null, "MR", null,
                null, null, null, ipc9, fields, List.of());
    }

    @Test
    void shippedMappingLoadsWithFourStationsOnePerVendor() {
        MappingSnapshot m = ShippedMapping.load();
        assertThat(m.stations()).extracting(Station::aeTitle)
                .containsExactly("MR_SIEMENS", "MR_GE", "MR_PHILIPS", "MR_CANON");
        assertThat(m.stations()).extracting(Station::vendor).containsExactly(Vendor.values()[0], Vendor.GE,
                Vendor.PHILIPS, Vendor.CANON);
        assertThat(m.stations()).allSatisfy(s -> {
            assertThat(s.fieldStrengthTesla()).isIn(1.5, 3.0);
            assertThat(s.modality()).isEqualTo("MR");
        });
        assertThat(m.station("MR_GE")).map(Station::vendor).contains(Vendor.GE);
        assertThat(m.station("UNKNOWN")).isEmpty();
    }

    @Test
    void shippedOrderControlDefaults() {
        MappingSnapshot m = ShippedMapping.load();
        assertThat(m.orderAction("NW", "SC")).contains(OrderAction.SCHEDULE);
        assertThat(m.orderAction("NW", "IP")).contains(OrderAction.SCHEDULE);
        assertThat(m.orderAction("NW", null)).contains(OrderAction.SCHEDULE);
        assertThat(m.orderAction("NW", "")).contains(OrderAction.SCHEDULE);
        assertThat(m.orderAction("XO", "SC")).contains(OrderAction.UPDATE);
        assertThat(m.orderAction("XO", "CM")).contains(OrderAction.COMPLETE);
        assertThat(m.orderAction("SC", "CM")).contains(OrderAction.COMPLETE);
        assertThat(m.orderAction("SC", "IP")).contains(OrderAction.START);
        assertThat(m.orderAction("CA", "CA")).contains(OrderAction.CANCEL);
        assertThat(m.orderAction("CA", null)).contains(OrderAction.CANCEL);
        assertThat(m.orderAction("DC", "CA")).contains(OrderAction.DISCONTINUE);
        assertThat(m.orderAction("XO", null)).isEmpty();
        assertThat(m.orderAction("XO", "")).isEmpty();
        assertThat(m.orderAction("ZZ", "SC")).isEmpty();
    }

    @Test
    void stationSelectionIpc9ThenRulesThenDefault() {
        MappingSnapshot m = ShippedMapping.load();
        assertThat(m.selectStation(null, procedure(Map.of("OBR-21", "IRM3"), "MR_CANON")).aeTitle())
                .isEqualTo("MR_CANON");
        assertThat(m.selectStation(null, procedure(Map.of("OBR-21", "IRM3"), "NOT_CONFIGURED")).aeTitle())
                .isEqualTo("MR_PHILIPS");
        assertThat(m.selectStation(null, procedure(Map.of("OBR-21", "IRM2"), null)).aeTitle()).isEqualTo("MR_GE");
        assertThat(m.selectStation(null, procedure(Map.of("PV1-3", "X"), null)).aeTitle()).isEqualTo("MR_SIEMENS");
    }

    @Test
    void noDefaultStationAndNoRuleRefusesTheOrder() {
        MappingSnapshot m = MappingLoader.parse(ShippedMapping.edit("  default: MR_SIEMENS\n", ""), "t.yaml");
        assertThatThrownBy(() -> m.selectStation(null, procedure(Map.of(), null)))
                .isInstanceOf(OrderRejectedException.class).hasMessageContaining("no station rule");
    }

    @Test
    void procedureRegionsAndCodes() {
        MappingSnapshot m = ShippedMapping.load();
        assertThat(m.region(new ProtocolCode("24590-2", "LN", null))).isEqualTo(Region.BRAIN);
        assertThat(m.region(new ProtocolCode("24980-5", "LN", null))).isEqualTo(Region.SPINE);
        assertThat(m.region(new ProtocolCode("UNLISTED", "99X", null))).isEqualTo(Region.BRAIN);
        assertThat(m.defaultCode(CardName.FULL, true).value()).isEqualTo("OFSEP-FULL-GD");
        assertThat(m.defaultCode(CardName.SPINE, false).value()).isEqualTo("OFSEP-SPINE");
        assertThat(m.vendorCodes(CardName.ROUTINE, false)).containsOnlyKeys(Vendor.values());
    }
}
