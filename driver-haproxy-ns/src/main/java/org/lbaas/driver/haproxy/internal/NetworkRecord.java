package org.lbaas.driver.haproxy.internal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * How an instance's network was plumbed, written to its state directory before the first
 * command runs, so that the instance can be torn down (and its OVS port removed) even by a new
 * process after a crash, and so that a change of VIP, subnet or interface driver is noticed.
 *
 * @param interfaceKind the interface driver ({@code linuxbridge}, {@code ovs}, {@code noop})
 * @param bridge the bridge the port joined ("" for noop)
 * @param namespace the network namespace
 * @param portId the VIP's port id
 * @param nsDevice the device in the namespace carrying the VIP ({@code lo} for noop)
 * @param hostDevice the root-namespace peer ("" when there is none)
 * @param mac the device's MAC ("" for noop)
 * @param address the address plumbed on {@code nsDevice}, canonical text: the VIP, or with an HA link the
 *     instance's own address on the VIP's subnet (keepalived adds the VIP on the MASTER)
 * @param prefixLength the subnet's prefix length (32 or 128 on {@code lo})
 * @param gateway the default gateway, "" for none
 * @param ha the instance's HA link when it is one of an active/standby pair
 */
public record NetworkRecord(String interfaceKind, String bridge, String namespace, UUID portId, String nsDevice,
                            String hostDevice, String mac, String address, int prefixLength, String gateway,
                            Optional<HaLink> ha) {

    /**
     * The HA link of one instance of an active/standby pair: a veth whose host end joins the HA
     * bridge, carrying the pair's VRRP adverts and stick-table replication on link-local addresses.
     *
     * @param slot the pair's block of the HA range ({@code keepalived.HaPair})
     * @param bridge the HA bridge
     * @param nsDevice the link's device in the namespace
     * @param hostDevice its peer in the root namespace
     * @param vip the load balancer's VIP, canonical text (keepalived holds it on the MASTER's {@code nsDevice})
     */
    public record HaLink(int slot, String bridge, String nsDevice, String hostDevice, String vip) {
        public HaLink {
            Objects.requireNonNull(bridge, "bridge");
            Objects.requireNonNull(nsDevice, "nsDevice");
            Objects.requireNonNull(hostDevice, "hostDevice");
            Objects.requireNonNull(vip, "vip");
        }
    }

    /** A record of a single instance, without HA link. */
    public NetworkRecord(String interfaceKind, String bridge, String namespace, UUID portId, String nsDevice,
                         String hostDevice, String mac, String address, int prefixLength, String gateway) {
        this(interfaceKind, bridge, namespace, portId, nsDevice, hostDevice, mac, address, prefixLength, gateway, Optional.empty());
    }

    public NetworkRecord {
        Objects.requireNonNull(interfaceKind, "interfaceKind");
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(portId, "portId");
        Objects.requireNonNull(nsDevice, "nsDevice");
        Objects.requireNonNull(hostDevice, "hostDevice");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(ha, "ha");
    }

    /** Returns whether the VIP is IPv6. */
    public boolean ipv6() {
        return address.indexOf(':') >= 0;
    }

    /** Returns the VIP: {@link #address} for a single instance, the HA link's VIP for one of a pair. */
    public String vip() {
        return ha.map(HaLink::vip).orElse(address);
    }

    /** Returns the properties text of this record. */
    public String toText() {
        return "# how this instance's network was plumbed (lbaas haproxy-ns driver)\n"
                + "interface_driver=" + interfaceKind + "\nbridge=" + bridge + "\nnamespace=" + namespace
                + "\nport_id=" + portId + "\nns_device=" + nsDevice + "\nhost_device=" + hostDevice + "\nmac=" + mac
                + "\naddress=" + address + "\nprefix_length=" + prefixLength + "\ngateway=" + gateway + "\n"
                + ha.map(h -> "ha_slot=" + h.slot() + "\nha_bridge=" + h.bridge() + "\nha_ns_device=" + h.nsDevice()
                        + "\nha_host_device=" + h.hostDevice() + "\nvip=" + h.vip() + "\n").orElse("");
    }

    private static Optional<HaLink> haLink(Properties p) {
        if (p.getProperty("ha_slot") == null) {
            return Optional.empty();
        }
        return Optional.of(new HaLink(Integer.parseInt(p.getProperty("ha_slot")), p.getProperty("ha_bridge", ""),
                p.getProperty("ha_ns_device", ""), p.getProperty("ha_host_device", ""), p.getProperty("vip", "")));
    }

    /**
     * Reads a record.
     *
     * @param file the record file
     * @return the record; empty when the file is missing or does not hold a valid record
     * @throws IOException when the file exists but cannot be read: the caller must not mistake
     *     that for "nothing was plumbed"
     */
    public static Optional<NetworkRecord> read(Path file) throws IOException {
        Optional<String> text = AtomicFiles.read(file);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(text.get()));
            return Optional.of(new NetworkRecord(p.getProperty("interface_driver", ""), p.getProperty("bridge", ""),
                    p.getProperty("namespace", ""), UUID.fromString(p.getProperty("port_id", "")),
                    p.getProperty("ns_device", ""), p.getProperty("host_device", ""), p.getProperty("mac", ""),
                    p.getProperty("address", ""), Integer.parseInt(p.getProperty("prefix_length", "-1")),
                    p.getProperty("gateway", ""), haLink(p)));
        } catch (IOException | RuntimeException e) {
            // a reader over a string fails only on a malformed record: treat it as no record
            return Optional.empty();
        }
    }
}
