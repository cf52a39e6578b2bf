package org.ofsep.mwl.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JSON Schema that editors use agrees with the shipped mapping and with the loader on common mistakes. */
class MappingSchemaTest {
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        Path file = ShippedMapping.FILE.resolveSibling("mapping.schema.json");
        JsonNode node = new ObjectMapper().readTree(Files.readString(file));
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(node);
    }

    private static Set<ValidationMessage> validate(String yaml) throws Exception {
        return schema.validate(new YAMLMapper().readTree(yaml));
    }

    @Test
    void shippedMappingValidatesAgainstTheSchemaAndLoads() throws Exception {
        assertThat(validate(ShippedMapping.text())).isEmpty();
        assertThat(ShippedMapping.load().stations()).hasSize(4);
    }

    @Test
    void schemaRejectsAnUnknownKey() throws Exception {
        String yaml = ShippedMapping.edit("  - name: \"IRM 2 - GE\"\n", "  - name: \"IRM 2 - GE\"\n    colour: blue\n");
        assertThat(validate(yaml)).extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains("colour"));
    }

    @Test
    void schemaRejectsALinearAgent() throws Exception {
        String yaml = ShippedMapping.edit("      - name: gadoteridol\n", "      - name: gadodiamide\n");
        assertThat(validate(yaml)).isNotEmpty();
    }

    @Test
    void schemaRejectsATooLongCodeValueAndAnOrderControlKeyWithoutUnderscore() throws Exception {
        assertThat(validate(ShippedMapping.edit("value: OFSEP-ROUTINE, scheme: 99OFSEP",
                "value: OFSEP-ROUTINE-LONGER, scheme: 99OFSEP"))).isNotEmpty();
        assertThat(validate(ShippedMapping.edit("  NW_: SCHEDULE", "  NW: SCHEDULE"))).isNotEmpty();
    }
}
