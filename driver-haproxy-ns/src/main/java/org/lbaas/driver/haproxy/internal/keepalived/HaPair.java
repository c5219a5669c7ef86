package org.lbaas.driver.haproxy.internal.keepalived;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The HA link of one active/standby pair: slot {@code s} of {@link HaAddressing#RANGE} is the
 * block {@code 169.254.192.0 + 8s} with prefix length {@value #PREFIX_LENGTH}; the instance of
 * ordinal {@code o} has host address {@code +1+o}, and {@code +3} is the link's own virtual address
 * (the address keepalived's adverts carry, as in Neutron's L3 HA; tenant addresses never go into
 * an advert). The VRRP router id is {@code s mod 255 + 1}.
 *
 * @param slot 0 to {@value HaAddressing#SLOTS} - 1
 */
public record HaPair(int slot) {

    /** Prefix length of one pair's block (8 addresses: network, two instances, link VIP, spare, broadcast). */
    public static final int PREFIX_LENGTH = 29;

    public HaPair {
        if (slot < 0 || slot >= HaAddressing.SLOTS) {
            throw new KeepalivedConfigException("slot", slot, "must be between 0 and " + (HaAddressing.SLOTS - 1));
        }
    }

    /**
     * Returns the HA link address of an instance.
     *
     * @param ordinal 0 or 1
     * @return the address in this pair's block
     */
    public Inet4Address address(int ordinal) {
        requireOrdinal(ordinal);
        return at(1 + ordinal);
    }

    /**
     * Returns the HA link address of the other instance of the pair.
     *
     * @param ordinal the instance's own ordinal, 0 or 1
     * @return the peer's address
     */
    public Inet4Address peerAddress(int ordinal) {
        requireOrdinal(ordinal);
        return address(1 - ordinal);
    }

    /**
     * Returns the virtual address of the HA link itself, held by the MASTER.
     *
     * @return the link VIP
     */
    public Inet4Address linkVip() {
        return at(3);
    }

    /**
     * Returns the VRRP virtual router id of this pair.
     *
     * @return 1 to 255
     */
    public int virtualRouterId() {
        return slot % 255 + 1;
    }

    /**
     * Returns the VRRP priority of an instance: 200 for ordinal 0, 100 for ordinal 1. Both start as
     * BACKUP without preemption (see {@link KeepalivedConfig}), so the priority only decides who wins
     * when both start together.
     *
     * @param ordinal 0 or 1
     * @return the priority
     */
    public static int priority(int ordinal) {
        requireOrdinal(ordinal);
        return ordinal == 0 ? 200 : 100;
    }

    static void requireOrdinal(int ordinal) {
        if (ordinal != 0 && ordinal != 1) {
            throw new KeepalivedConfigException("ordinal", ordinal, "must be 0 or 1 (an active/standby pair)");
        }
    }

    private Inet4Address at(int offset) {
        int base = HaAddressing.RANGE_BASE + slot * 8 + offset;
        byte[] bytes = {(byte) (base >>> 24), (byte) (base >>> 16), (byte) (base >>> 8), (byte) base};
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }
}
