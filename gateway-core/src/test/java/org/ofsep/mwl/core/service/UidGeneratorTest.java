package org.ofsep.mwl.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Issue 16 #10: under 2.25 a UID is one integer from a UUID (PS3.5 B.2); under a registered root, root-based. */
class UidGeneratorTest {

    @Test
    void underTheUuidArcAUidIsOneIntegerFromARandomUuid() {
        for (String root : new String[] {"2.25", "2.25.1"}) {
            UidGenerator gen = new UidGenerator(root);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                String uid = gen.next();
                assertThat(uid).matches("2\\.25\\.[1-9][0-9]*");
                assertThat(UidGenerator.isValid(uid)).isTrue();
                BigInteger n = new BigInteger(uid.substring(5));
                assertThat(n.bitLength()).isLessThanOrEqualTo(128);
                // a random (version 4, IETF variant) UUID: bits 76-79 hold 4, bits 62-63 hold 10
                assertThat(n.shiftRight(76).and(BigInteger.valueOf(0xF)).intValue()).isEqualTo(4);
                assertThat(n.shiftRight(62).and(BigInteger.valueOf(3)).intValue()).isEqualTo(2);
                assertThat(seen.add(uid)).isTrue();
            }
        }
    }

    @Test
    void theUuidIsReadAsOneUnsignedInteger() {
        assertThat(UidGenerator.fromUuid(new UUID(0, 1))).isEqualTo("2.25.1");
        assertThat(UidGenerator.fromUuid(UUID.fromString("f81d4fae-7dec-11d0-a765-00a0c91e6bf6")))
                .isEqualTo("2.25.329800735698586629295641978511506172918"); // the example of PS3.5 B.2
    }

    @Test
    void underARegisteredRootUidsStayBelowIt() {
        UidGenerator gen = new UidGenerator("1.2.826.0.1.3680043.10.1234");
        String uid = gen.next();
        assertThat(uid).startsWith("1.2.826.0.1.3680043.10.1234.");
        assertThat(UidGenerator.isValid(uid)).isTrue();
        assertThat(gen.uuidDerived()).isFalse();
    }
}
