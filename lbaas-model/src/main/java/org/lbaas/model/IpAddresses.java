package org.lbaas.model;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Parses and prints IP address literals without ever consulting DNS.
 *
 * <p>Only IPv4 dotted-quad and IPv6 literals in ASCII are accepted; host names, IPv6 scope ids
 * ({@code fe80::1%eth0}) and bracketed forms are rejected. IPv4-mapped IPv6 literals
 * ({@code ::ffff:192.0.2.1}) are read as the IPv4 address they map.
 */
public final class IpAddresses {

    private IpAddresses() {
    }

    /**
     * Parses an IP literal.
     *
     * @param text the literal
     * @return the address, or empty when {@code text} is not an IPv4 or IPv6 literal
     */
    public static Optional<InetAddress> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 45 || text.indexOf('%') >= 0
                || !text.chars().allMatch(c -> c < 0x80)) {
            return Optional.empty();
        }
        if (!InetAddresses.isInetAddress(text)) {
            return Optional.empty();
        }
        return Optional.of(InetAddresses.forString(text));
    }

    /**
     * Parses an IP literal or throws a violation at {@code path}.
     *
     * @param text the literal
     * @param path where it comes from, for the error
     * @return the address
     * @throws ValidationException when the text is not an IP literal
     */
    public static InetAddress parse(String text, String path) {
        return parse(text).orElseThrow(() -> ValidationException.of(path, text, "must be an IPv4 or IPv6 address literal"));
    }

    /**
     * Prints the canonical text form: dotted quad for IPv4, RFC 5952 for IPv6 (lower case,
     * longest run of zeros compressed), without brackets and without a scope id.
     *
     * @param address the address
     * @return its literal
     */
    public static String toText(InetAddress address) {
        return InetAddresses.toAddrString(unscoped(address));
    }

    private static InetAddress unscoped(InetAddress address) {
        if (address instanceof Inet6Address && isScoped((Inet6Address) address)) {
            try {
                return InetAddress.getByAddress(address.getAddress());
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return address;
    }

    private static boolean isScoped(Inet6Address address) {
        return address.getScopeId() != 0 || address.getScopedInterface() != null;
    }

    /** Returns 4 for an IPv4 address, 6 for an IPv6 one. */
    public static int version(InetAddress address) {
        return address instanceof Inet4Address ? 4 : 6;
    }

    /**
     * Returns whether the address can be a member: a unicast address that is not unspecified,
     * loopback, multicast, the IPv4 limited broadcast, an IPv6 link-local address (which would
     * need a scope) or an IPv6 address that carries a scope id (built in code; literals never do).
     *
     * @param address the address
     * @return whether it can receive balanced traffic
     */
    public static boolean isUsableUnicast(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isMulticastAddress()) {
            return false;
        }
        if (address instanceof Inet4Address) {
            byte[] b = address.getAddress();
            return !(b[0] == (byte) 255 && b[1] == (byte) 255 && b[2] == (byte) 255 && b[3] == (byte) 255);
        }
        return !(address instanceof Inet6Address
                && (address.isLinkLocalAddress() || isScoped((Inet6Address) address)));
    }
}
