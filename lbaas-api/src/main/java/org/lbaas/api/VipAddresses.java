package org.lbaas.api;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.lbaas.model.Cidr;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.Subnet;

/**
 * VIP and instance address allocation, pure functions: from a subnet, the addresses already taken
 * on it and the address a request names (if any), the address a new VIP gets, or why it gets none;
 * and the instance addresses ({@link org.lbaas.model.LoadBalancer#instanceAddresses()}) that come
 * with it, chosen the same way as a VIP address the request does not name.
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

    /** The requested address is taken on the subnet: by another VIP, or as an instance address. */
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
     * @param inUse the addresses taken on the subnet (VIPs' and instance addresses; for a choice
     *     without request, any other address to avoid too)
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
     * Chooses free addresses as {@link #allocate} chooses a VIP address the request does not name:
     * each the first host address not taken, by {@code taken} or by the addresses chosen before it.
     *
     * @param subnet the subnet
     * @param taken the addresses not to choose
     * @param count how many to choose
     * @return {@code count} addresses in order, or fewer when the subnet has no more free ones
     */
    static List<InetAddress> free(Subnet subnet, Set<InetAddress> taken, int count) {
        Objects.requireNonNull(subnet, "subnet");
        Set<InetAddress> used = new HashSet<>(Objects.requireNonNull(taken, "taken"));
        List<InetAddress> chosen = new ArrayList<>();
        while (chosen.size() < count) {
            Optional<InetAddress> next = firstFree(subnet, used);
            if (next.isEmpty()) {
                break;
            }
            chosen.add(next.get());
            used.add(next.get());
        }
        return List.copyOf(chosen);
    }

    /**
     * Why a subnet cannot give a load balancer its instance addresses.
     *
     * @param subnet the subnet
     * @param needed how many the driver needs
     * @param free how many were free
     * @return the reason, naming the subnet and the count
     */
    static String tooFewForInstances(Subnet subnet, int needed, int free) {
        return "subnet " + subnet.id() + " (" + subnet.cidr() + ") has too few free addresses: the driver needs " + needed
                + " address" + (needed == 1 ? "" : "es") + " for its instances besides the vip's, and " + free
                + (free == 1 ? " is" : " are") + " free";
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
