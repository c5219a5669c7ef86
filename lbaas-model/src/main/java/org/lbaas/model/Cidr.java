package org.lbaas.model;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in CIDR notation, such as {@code 20.20.20.0/24} or {@code 2001:db8::/64}.
 *
 * <p>Invariants: the prefix length is 0..32 for IPv4 and 0..128 for IPv6, and the network address
 * has no host bits set ({@code 20.20.20.1/24} is rejected: write {@code 20.20.20.0/24}).
 *
 * @param network the network address
 * @param prefixLength the number of leading bits that name the network
 */
public record Cidr(InetAddress network, int prefixLength) {

    public Cidr {
        Violations v = new Violations();
        if (v.required(network, "cidr")) {
            int bits = bits(network);
            if (v.range(prefixLength, 0, bits, "cidr")) {
                v.check(Arrays.equals(mask(network.getAddress(), prefixLength), network.getAddress()), "cidr",
                        IpAddresses.toText(network) + "/" + prefixLength,
                        "must be a network address: host bits must be zero");
            }
        }
        v.throwIfAny();
    }

    /**
     * Parses {@code address/prefix}.
     *
     * @param text the CIDR text
     * @return the network
     * @throws ValidationException (path {@code cidr}) when the text is not a CIDR
     */
    public static Cidr parse(String text) {
        String rule = "must be a CIDR such as 192.0.2.0/24 or 2001:db8::/64";
        if (text == null) {
            throw ValidationException.of("cidr", null, "is required");
        }
        int slash = text.indexOf('/');
        if (slash < 0 || slash == text.length() - 1 || text.length() - slash > 4) {
            throw ValidationException.of("cidr", text, rule);
        }
        InetAddress address = IpAddresses.parse(text.substring(0, slash))
                .orElseThrow(() -> ValidationException.of("cidr", text, rule));
        String prefix = text.substring(slash + 1);
        if (!prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ValidationException.of("cidr", text, rule);
        }
        return new Cidr(address, Integer.parseInt(prefix));
    }

    /** Returns 4 or 6. */
    public int ipVersion() {
        return IpAddresses.version(network);
    }

    /**
     * Returns whether the address lies in this network (an address of the other IP version never
     * does).
     *
     * @param address the address
     * @return whether it is inside
     */
    public boolean contains(InetAddress address) {
        if (bits(address) != bits(network)) {
            return false;
        }
        return Arrays.equals(mask(address.getAddress(), prefixLength), network.getAddress());
    }

    /**
     * Returns the IPv4 broadcast address of this network (all host bits set), or the last address
     * of an IPv6 network.
     */
    public InetAddress lastAddress() {
        byte[] b = network.getAddress();
        int total = b.length * 8;
        BigInteger hostMask = BigInteger.ONE.shiftLeft(total - prefixLength).subtract(BigInteger.ONE);
        BigInteger last = new BigInteger(1, b).or(hostMask);
        byte[] raw = last.toByteArray();
        byte[] out = new byte[b.length];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns {@code address/prefix} in canonical form. */
    @Override
    public String toString() {
        return IpAddresses.toText(network) + "/" + prefixLength;
    }

    private static int bits(InetAddress address) {
        return address instanceof Inet4Address ? 32 : 128;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - keep)));
        }
        return out;
    }
}
