package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client address the audit trail records, behind reverse proxies or not (http.trustedProxies). */
class ClientAddressTest {

    private static InetAddress ip(String s) {
        return ClientAddress.literal(s);
    }

    private static List<String> xff(String... headers) {
        return Arrays.asList(headers);
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsNeverBelieved() {
        assertThat(ClientAddress.PEER_ONLY.of(ip("127.0.0.1"), xff("203.0.113.7"))).isEqualTo("127.0.0.1");
        assertThat(ClientAddress.trusting(List.of()).of(ip("127.0.0.1"), xff("203.0.113.7"))).isEqualTo("127.0.0.1");
        assertThat(ClientAddress.trusting(null).of(ip("10.1.2.3"), null)).isEqualTo("10.1.2.3");
    }

    @Test
    void fromATrustedProxyTheClientIsTheAddressTheProxyAppended() {
        ClientAddress c = ClientAddress.trusting(List.of("127.0.0.1"));
        assertThat(c.of(ip("127.0.0.1"), xff("203.0.113.7"))).isEqualTo("203.0.113.7");
        // no header: the proxy itself
        assertThat(c.of(ip("127.0.0.1"), null)).isEqualTo("127.0.0.1");
        assertThat(c.of(ip("127.0.0.1"), xff())).isEqualTo("127.0.0.1");
    }

    @Test
    void aClientCannotChooseItsAddressByWritingTheHeaderItself() {
        ClientAddress c = ClientAddress.trusting(List.of("127.0.0.1"));
        // the client sent "X-Forwarded-For: 10.9.9.9"; the proxy appended the address it really came from
        assertThat(c.of(ip("127.0.0.1"), xff("10.9.9.9, 198.51.100.20"))).isEqualTo("198.51.100.20");
        // a peer that is not a trusted proxy (someone calling the port directly) is not believed
        assertThat(c.of(ip("192.0.2.50"), xff("10.9.9.9"))).isEqualTo("192.0.2.50");
    }

    @Test
    void trustedProxiesInTheChainArePassedOver() {
        ClientAddress c = ClientAddress.trusting(List.of("10.0.0.1", "10.0.0.2"));
        // client -> 10.0.0.2 (front) -> 10.0.0.1 (inner) -> gateway
        assertThat(c.of(ip("10.0.0.1"), xff("172.16.5.9, 10.0.0.2"))).isEqualTo("172.16.5.9");
        // two headers read as one list, in order
        assertThat(c.of(ip("10.0.0.1"), xff("172.16.5.9", "10.0.0.2"))).isEqualTo("172.16.5.9");
        // only proxies: the leftmost
        assertThat(c.of(ip("10.0.0.1"), xff("10.0.0.2"))).isEqualTo("10.0.0.2");
    }

    @Test
    void anEntryThatIsNotAnAddressEndsTheWalkAtTheLastAddressRead() {
        ClientAddress c = ClientAddress.trusting(List.of("10.0.0.1", "10.0.0.2"));
        assertThat(c.of(ip("10.0.0.1"), xff("unknown"))).isEqualTo("10.0.0.1");
        assertThat(c.of(ip("10.0.0.1"), xff("172.16.5.9, evil.example, 10.0.0.2"))).isEqualTo("10.0.0.2");
        assertThat(c.of(ip("10.0.0.1"), xff(""))).isEqualTo("10.0.0.1");
        assertThat(c.of(ip("10.0.0.1"), xff("1.2.3.999"))).isEqualTo("10.0.0.1");
    }

    @Test
    void portsAndIpv6AsProxiesWriteThem() {
        ClientAddress c = ClientAddress.trusting(List.of("::1", "127.0.0.1"));
        assertThat(c.of(ip("::1"), xff("203.0.113.7:51234"))).isEqualTo("203.0.113.7");
        assertThat(c.of(ip("127.0.0.1"), xff("[2001:db8::1]:443"))).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(c.of(ip("127.0.0.1"), xff("2001:DB8::1"))).isEqualTo("2001:db8:0:0:0:0:0:1");
        // the same proxy written in another IPv6 form is the same address
        assertThat(ClientAddress.trusting(List.of("0:0:0:0:0:0:0:1")).of(ip("::1"), xff("192.0.2.1")))
                .isEqualTo("192.0.2.1");
    }

    @Test
    void onlyLiteralsAreReadNeverANameToResolve() {
        assertThat(ClientAddress.literal("192.168.1.10")).isNotNull();
        assertThat(ClientAddress.literal("::ffff:192.0.2.1")).isNotNull();
        for (String notAnAddress : List.of("localhost", "gateway.chu.example", "1.2.3", "1.2.3.4.5", "01.2.3.4444",
                "1.2.3.-4", "a:b:c:zz", ".:", "fe80::1%eth0", "", " 1.2.3.4", "10.0.0.0/8")) {
            assertThat(ClientAddress.literal(notAnAddress)).as(notAnAddress).isNull();
        }
        assertThatThrownBy(() -> ClientAddress.trusting(List.of("localhost")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http.trustedProxies: 'localhost' is not an IP address");
    }
}
