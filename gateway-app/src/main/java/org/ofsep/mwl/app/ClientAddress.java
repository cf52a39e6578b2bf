package org.ofsep.mwl.app;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Who is on the other end of an admin HTTP request, for the audit trail, the session and the logs. Without reverse
 * proxies it is the TCP peer. When the peer is one of {@code http.trustedProxies}, the address a proxy put in
 * {@code X-Forwarded-For} is taken instead: the list is read from the right (each proxy appends the address it
 * received the request from), trusted proxies are passed over, and the first other address is the client's. An
 * entry that is not an IP address ends the walk at the last address read, and a peer that is not a trusted proxy
 * is never believed: anyone can send the header.
 *
 * <p>Only IP literals are read, never a name: nothing here resolves DNS.
 */
public final class ClientAddress {

    private final Set<InetAddress> trustedProxies;

    private ClientAddress(Set<InetAddress> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /** No proxy trusted: the TCP peer is the client. */
    public static final ClientAddress PEER_ONLY = new ClientAddress(Set.of());

    /**
     * @param proxies {@code http.trustedProxies}: IP addresses, IPv4 or IPv6
     * @throws IllegalArgumentException naming the first value that is not an IP address
     */
    public static ClientAddress trusting(Collection<String> proxies) {
        List<InetAddress> parsed = new ArrayList<>();
        for (String p : proxies == null ? List.<String>of() : proxies) {
            InetAddress a = p == null ? null : literal(p.trim());
            if (a == null) {
                throw new IllegalArgumentException("http.trustedProxies: '" + p + "' is not an IP address (list the"
                        + " address each reverse proxy in front of the admin port connects from, e.g. 127.0.0.1;"
                        + " ranges and host names are not read)");
            }
            parsed.add(a);
        }
        return parsed.isEmpty() ? PEER_ONLY : new ClientAddress(Set.copyOf(parsed));
    }

    /**
     * The client's address as text.
     *
     * @param peer         the TCP peer
     * @param forwardedFor every {@code X-Forwarded-For} header of the request, in order (null or empty: none)
     */
    public String of(InetAddress peer, List<String> forwardedFor) {
        if (peer == null) {
            return null;
        }
        InetAddress client = peer;
        if (trustedProxies.contains(peer) && forwardedFor != null && !forwardedFor.isEmpty()) {
            List<String> hops = new ArrayList<>();
            for (String header : forwardedFor) {
                if (header != null) {
                    for (String hop : header.split(",", -1)) {
                        hops.add(hop.trim());
                    }
                }
            }
            for (int i = hops.size() - 1; i >= 0; i--) {
                InetAddress hop = literal(withoutPort(hops.get(i)));
                if (hop == null) {
                    break; // not an address ("unknown", a name, garbage): the last hop read is all we know
                }
                client = hop;
                if (!trustedProxies.contains(hop)) {
                    break;
                }
            }
        }
        return client.getHostAddress();
    }

    /** "203.0.113.7:51234" and "[2001:db8::1]:443" as some proxies write them, without the port. */
    static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            return close < 0 ? hop : hop.substring(1, close);
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && colon == hop.lastIndexOf(':') && hop.indexOf('.') > 0) {
            return hop.substring(0, colon); // one colon after a dotted IPv4 address: a port
        }
        return hop;
    }

    /** An IPv4 or IPv6 literal, or null; never a DNS lookup. */
    static InetAddress literal(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) {
            return null;
        }
        if (s.indexOf(':') < 0) {
            return ipv4(s);
        }
        if (s.charAt(0) != ':' && Character.digit(s.charAt(0), 16) < 0) {
            return null; // the JDK takes a text as a literal only from its first character: never give it a name
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                return null; // zone ids ("%eth0") and anything else
            }
        }
        try {
            // a text with a colon, made of hex digits, colons and dots only, is parsed by the JDK as an IPv6
            // literal or refused; it is never looked up
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static InetAddress ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3) {
                return null;
            }
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                char c = p.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            bytes[i] = (byte) v;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null; // cannot happen for four bytes
        }
    }
}
