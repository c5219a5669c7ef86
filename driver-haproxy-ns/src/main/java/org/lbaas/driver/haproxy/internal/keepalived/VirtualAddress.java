package org.lbaas.driver.haproxy.internal.keepalived;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An address keepalived adds to a device while its instance is MASTER.
 *
 * @param address the address, IPv4 or IPv6 without zone
 * @param prefixLength 1 to 32 (IPv4) or 1 to 128 (IPv6)
 * @param device the Linux interface that carries it
 */
public record VirtualAddress(InetAddress address, int prefixLength, String device) {

    public VirtualAddress {
        KeepalivedTokens.prefix("address", address, prefixLength);
        KeepalivedTokens.interfaceName("device", device);
    }

    /**
     * Returns a host address (/32 or /128) on a device, the form a load balancer's VIP takes.
     *
     * @param address the address
     * @param device the device
     * @return the virtual address
     */
    public static VirtualAddress host(InetAddress address, String device) {
        KeepalivedTokens.requireNonNull("address", address);
        return new VirtualAddress(address, address instanceof Inet6Address ? 128 : 32, device);
    }

    /** The text keepalived reads: {@code addr/len dev DEVICE}. */
    String text(String field) {
        try {
            return KeepalivedTokens.prefix(field, address, prefixLength) + " dev " + KeepalivedTokens.interfaceName(field, device);
        } catch (KeepalivedConfigException e) {
            throw new IllegalStateException("validated in the constructor", e);
        }
    }
}
