package org.lbaas.api;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.lbaas.model.Cidr;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.Subnet;

/**
 * VIP address allocation, a pure function: from a subnet, the addresses VIPs already use on it and
 * the address a request names (if any), the address a new VIP gets, or why it gets none.
 *
 * <p>A requested address is taken as it is when it lies in the subnet and no VIP uses it; the
 * model's rules for a VIP address (not the gateway, network or broadcast address) are checked by
 * {@link org.lbaas.model.LoadBalancer}, not here. Without a request, the first host address of the
 * subnet is chosen that is not its network address, its IPv4 broadcast address, its gateway or in
 * use, and is a usable unicast address ({@link IpAddresses#isUsableUnicast}).
 */
final class VipAddresses {

    private VipAddresses() {
    }

    /** What an allocation came to. */
    sealed interface Allocation {
        /** Returns why no address was chosen, naming the address or the subnet; empty when one was. */
        String reason();
    }

    /** The VIP gets this address. */
    record Chosen(InetAddress address) implements Allocation {
        @Override
        public String reason() {
            return "";
        }
    }

    /** The requested address is used by another VIP on the subnet. */
    record InUse(InetAddress address, String reason) implements Allocation {
    }

    /** The requested address does not lie in the subnet. */
    record OutsideSubnet(InetAddress address, String reason) implements Allocation {
    }

    /** No address was requested and the subnet has no free one. */
    record Exhausted(String reason) implements Allocation {
    }

    /**
     * Chooses the address of a new VIP.
     *
     * @param subnet the VIP's subnet
     * @param inUse the addresses of the subnet's VIPs
     * @param requested the address the request names, or empty to choose one
     * @return the chosen address, or why there is none
     */
    static Allocation allocate(Subnet subnet, Set<InetAddress> inUse, Optional<InetAddress> requested) {
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(inUse, "inUse");
        Objects.requireNonNull(requested, "requested");
        if (requested.isPresent()) {
            InetAddress address = requested.get();
            String text = IpAddresses.toText(address);
            if (!subnet.cidr().contains(address)) {
                return new OutsideSubnet(address,
                        "address " + text + " is outside subnet " + subnet.id() + " (" + subnet.cidr() + ")");
            }
            if (inUse.contains(address)) {
                return new InUse(address, "address " + text + " on subnet " + subnet.id() + " is in use");
            }
            return new Chosen(address);
        }
        return firstFree(subnet, inUse).<Allocation>map(Chosen::new).orElseGet(() -> new Exhausted(
                "subnet " + subnet.id() + " (" + subnet.cidr() + ") has no free address for a vip"));
    }

    /**
     * Walks the subnet's host addresses in order. The walk skips used addresses and the gateway
     * freely, but gives up after a few addresses that are free and still not usable (a subnet of
     * loopback or multicast addresses), so a huge IPv6 subnet is never walked through.
     */
    private static Optional<InetAddress> firstFree(Subnet subnet, Set<InetAddress> inUse) {
        Cidr cidr = subnet.cidr();
        byte[] raw = cidr.network().getAddress();
        int bits = raw.length * 8;
        int hostBits = bits - cidr.prefixLength();
        BigInteger base = new BigInteger(1, raw);
        BigInteger size = BigInteger.ONE.shiftLeft(hostBits);
        boolean small = hostBits <= 1;
        BigInteger first = small ? BigInteger.ZERO : BigInteger.ONE;
        BigInteger last = small || cidr.ipVersion() == 6 ? size.subtract(BigInteger.ONE) : size.subtract(BigInteger.TWO);
        long budget = inUse.size() + 3L;
        for (BigInteger off = first; off.compareTo(last) <= 0 && budget > 0; off = off.add(BigInteger.ONE)) {
            InetAddress candidate = toAddress(base.add(off), raw.length);
            if (subnet.gateway().map(candidate::equals).orElse(false) || inUse.contains(candidate)) {
                continue;
            }
            budget--;
            if (IpAddresses.isUsableUnicast(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static InetAddress toAddress(BigInteger value, int length) {
        byte[] b = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(b.length, length);
        System.arraycopy(b, b.length - copy, out, length - copy, copy);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
