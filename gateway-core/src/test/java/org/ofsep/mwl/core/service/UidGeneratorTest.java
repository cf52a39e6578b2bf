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
    void underTheUuidArcUidsAreTimeOrderedAsNumbersAndAsText() {
        java.time.Instant t0 = java.time.Instant.parse("2026-12-04T23:00:00Z");
        String earlier = new UidGenerator("2.25", java.time.Clock.fixed(t0, java.time.ZoneOffset.UTC)).next();
        String later = new UidGenerator("2.25", java.time.Clock.fixed(t0.plusMillis(1), java.time.ZoneOffset.UTC))
                .next();
        String muchLater = new UidGenerator("2.25", java.time.Clock.fixed(t0.plus(java.time.Duration.ofDays(3650)),
                java.time.ZoneOffset.UTC)).next();
        assertThat(new BigInteger(later.substring(5))).isGreaterThan(new BigInteger(earlier.substring(5)));
        assertThat(later).isGreaterThan(earlier); // the store's index compares them as text
        assertThat(muchLater).hasSameSizeAs(earlier).isGreaterThan(later);
        // the millisecond is the UUID's first 48 bits
        UUID u = new UUID(new BigInteger(earlier.substring(5)).shiftRight(64).longValue(), 0);
        assertThat(u.getMostSignificantBits() >>> 16).isEqualTo(t0.toEpochMilli());
        // UIDs made in the same millisecond still differ (74 random bits)
        UidGenerator sameMilli = new UidGenerator("2.25", java.time.Clock.fixed(t0, java.time.ZoneOffset.UTC));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(sameMilli.next())).isTrue();
        }
    }

    @Test
    void underTheUuidArcAUidIsOneIntegerFromAUuid() {
        for (String root : new String[] {"2.25", "2.25.1"}) {
            UidGenerator gen = new UidGenerator(root);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                String uid = gen.next();
                assertThat(uid).matches("2\\.25\\.[1-9][0-9]*");
                assertThat(UidGenerator.isValid(uid)).isTrue();
                BigInteger n = new BigInteger(uid.substring(5));
                assertThat(n.bitLength()).isLessThanOrEqualTo(128);
                // a time-ordered (version 7, IETF variant) UUID: bits 76-79 hold 7, bits 62-63 hold 10
                assertThat(n.shiftRight(76).and(BigInteger.valueOf(0xF)).intValue()).isEqualTo(7);
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
