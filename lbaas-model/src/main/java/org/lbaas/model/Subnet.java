package org.lbaas.model;

import java.net.InetAddress;
import java.util.Optional;
import java.util.UUID;

/**
 * The subnet a VIP lives on: what the driver needs to plumb the VIP (prefix length, gateway).
 *
 * <p>Rules: {@code id} is a UUID; {@code name} is at most 255 characters without control
 * characters; the gateway, when there is one, lies inside {@code cidr}, has its IP version, and is
 * not the network's first or (for IPv4) broadcast address.
 *
 * @param id the subnet's id
 * @param name a display name, may be empty
 * @param cidr the network
 * @param gateway the default gateway, if the subnet has one
 */
public record Subnet(UUID id, String name, Cidr cidr, Optional<InetAddress> gateway) {

    public Subnet {
        gateway = gateway == null ? Optional.empty() : gateway;
        Violations v = new Violations();
        v.required(id, "id");
        Rules.text(v, name, "name", Rules.MAX_TEXT);
        if (v.required(cidr, "cidr") && gateway.isPresent()) {
            InetAddress gw = gateway.get();
            if (v.check(cidr.contains(gw), "gateway_ip", IpAddresses.toText(gw), "must lie inside cidr " + cidr)) {
                v.check(!gw.equals(cidr.network()) || cidr.prefixLength() >= (cidr.ipVersion() == 4 ? 31 : 127),
                        "gateway_ip", IpAddresses.toText(gw), "must not be the network address of " + cidr);
                v.check(!gw.equals(cidr.lastAddress()) || cidr.ipVersion() != 4 || cidr.prefixLength() >= 31,
                        "gateway_ip", IpAddresses.toText(gw), "must not be the broadcast address of " + cidr);
            }
        }
        v.throwIfAny();
    }

    /**
     * Creates a subnet from its text forms.
     *
     * @param id the id
     * @param cidr the CIDR text
     * @param gateway the gateway literal, or {@code null} for none
     * @return the subnet, named after its CIDR
     */
    public static Subnet of(UUID id, String cidr, String gateway) {
        Violations v = new Violations();
        Optional<Cidr> network = v.nested("", () -> Cidr.parse(cidr));
        Optional<InetAddress> gw = Optional.empty();
        if (gateway != null) {
            gw = IpAddresses.parse(gateway);
            v.check(gw.isPresent(), "gateway_ip", gateway, "must be an IPv4 or IPv6 address literal");
        }
        v.throwIfAny();
        return new Subnet(id, "", network.orElseThrow(), gw);
    }

    /** Returns 4 or 6. */
    public int ipVersion() {
        return cidr.ipVersion();
    }
}
