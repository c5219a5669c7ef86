package org.lbaas.model;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One load balancer as a driver receives it: a pool with its VIP (if it has one yet), its members,
 * the health monitors associated with it and the VIP's subnet. This is what Neutron LBaaS v1 called
 * the "logical device"; it is valid as a whole.
 *
 * <p>Besides the rules of each part, it enforces the rules between them:
 * <ul>
 *   <li>the VIP belongs to this pool ({@code vip.pool_id == pool.id}) and there is at most one;</li>
 *   <li>the VIP's protocol equals the pool's;</li>
 *   <li>the VIP is on {@code subnet} ({@code vip.subnet_id == subnet.id}); its address lies inside
 *       the subnet's CIDR, is not its gateway, and (IPv4, prefix up to /30) is neither the network
 *       nor the broadcast address;</li>
 *   <li>every member belongs to this pool; member ids are unique, and so is each member's
 *       {@code (address, protocol_port)};</li>
 *   <li>health monitor ids are unique;</li>
 *   <li>the VIP, the members and the monitors belong to the pool's tenant;</li>
 *   <li>each instance address is a usable unicast address on {@code subnet} under the same rules
 *       as the VIP's address (inside the CIDR, not the gateway, network, broadcast or
 *       subnet-router anycast address), distinct from the other instance addresses, from the
 *       VIP's address and from every member's address.</li>
 * </ul>
 * Violations are reported with paths such as {@code members[2].protocol_port},
 * {@code vip.address} or {@code instance_addresses[1]}, all at once.
 *
 * @param subnet the subnet of the VIP
 * @param pool the pool
 * @param vip the VIP in front of the pool, empty while it has none (then nothing is deployed)
 * @param members the pool's members, in a stable order
 * @param healthMonitors the monitors associated with the pool, in a stable order
 * @param instanceAddresses addresses on the load balancer's subnet reserved for the data plane's
 *     instances (one per instance the driver runs, in ordinal order: element {@code i} is instance
 *     {@code i}'s); empty when the driver needs none. The service allocates them together with the
 *     VIP, as it allocates VIP addresses, and keeps them while the VIP exists; they are never a
 *     member's or a VIP's address. They are not part of Neutron's API.
 */
public record LoadBalancer(Subnet subnet, Pool pool, Optional<Vip> vip, List<Member> members,
                           List<HealthMonitor> healthMonitors, List<InetAddress> instanceAddresses) {

    public LoadBalancer {
        vip = vip == null ? Optional.empty() : vip;
        Violations v = new Violations();
        v.required(subnet, "subnet");
        v.required(pool, "pool");
        if (v.required(members, "members")) {
            for (int i = 0; i < members.size(); i++) {
                v.required(members.get(i), "members[" + i + "]");
            }
        }
        if (v.required(healthMonitors, "health_monitors")) {
            for (int i = 0; i < healthMonitors.size(); i++) {
                v.required(healthMonitors.get(i), "health_monitors[" + i + "]");
            }
        }
        if (v.required(instanceAddresses, "instance_addresses")) {
            for (int i = 0; i < instanceAddresses.size(); i++) {
                v.required(instanceAddresses.get(i), "instance_addresses[" + i + "]");
            }
        }
        v.throwIfAny();
        members = List.copyOf(members);
        healthMonitors = List.copyOf(healthMonitors);
        instanceAddresses = List.copyOf(instanceAddresses);
        checkVip(v, subnet, pool, vip);
        checkMembers(v, pool, members);
        checkMonitors(v, pool, healthMonitors);
        checkInstanceAddresses(v, subnet, vip, members, instanceAddresses);
        v.throwIfAny();
    }

    /**
     * Creates a load balancer whose driver needs no instance addresses.
     *
     * @param subnet the subnet of the VIP
     * @param pool the pool
     * @param vip the VIP, or empty
     * @param members the members
     * @param healthMonitors the associated monitors
     * @throws ValidationException listing every broken rule
     */
    public LoadBalancer(Subnet subnet, Pool pool, Optional<Vip> vip, List<Member> members,
                        List<HealthMonitor> healthMonitors) {
        this(subnet, pool, vip, members, healthMonitors, List.of());
    }

    /**
     * Returns a load balancer of a pool that has no VIP, members or monitors yet.
     *
     * @param subnet the subnet its VIP will be on
     * @param pool the pool
     * @return the load balancer
     */
    public static LoadBalancer of(Subnet subnet, Pool pool) {
        return new LoadBalancer(subnet, pool, Optional.empty(), List.of(), List.of());
    }

    /** Returns the pool's id, which identifies the load balancer. */
    public UUID id() {
        return pool.id();
    }

    /**
     * Returns whether a data plane should serve this load balancer: it has a VIP whose admin state
     * is up (v1 deployed nothing otherwise).
     */
    public boolean isDeployable() {
        return vip.map(Vip::adminStateUp).orElse(false);
    }

    /**
     * Finds a member by id.
     *
     * @param memberId the id
     * @return the member, if it is in this pool
     */
    public Optional<Member> member(UUID memberId) {
        Objects.requireNonNull(memberId, "memberId");
        return members.stream().filter(m -> m.id().equals(memberId)).findFirst();
    }

    /** Returns the monitors that take effect: those whose admin state is up. */
    public List<HealthMonitor> activeMonitors() {
        return healthMonitors.stream().filter(HealthMonitor::adminStateUp).toList();
    }

    /**
     * Returns a copy with another VIP.
     *
     * @param newVip the VIP, or empty
     * @return the copy, validated
     */
    public LoadBalancer withVip(Optional<Vip> newVip) {
        return new LoadBalancer(subnet, pool, newVip, members, healthMonitors, instanceAddresses);
    }

    /**
     * Returns a copy with other members.
     *
     * @param newMembers the members
     * @return the copy, validated
     */
    public LoadBalancer withMembers(List<Member> newMembers) {
        return new LoadBalancer(subnet, pool, vip, newMembers, healthMonitors, instanceAddresses);
    }

    /**
     * Returns a copy with another pool (same id).
     *
     * @param newPool the pool
     * @return the copy, validated
     */
    public LoadBalancer withPool(Pool newPool) {
        return new LoadBalancer(subnet, newPool, vip, members, healthMonitors, instanceAddresses);
    }

    /**
     * Returns a copy with other monitors.
     *
     * @param newMonitors the monitors
     * @return the copy, validated
     */
    public LoadBalancer withHealthMonitors(List<HealthMonitor> newMonitors) {
        return new LoadBalancer(subnet, pool, vip, members, newMonitors, instanceAddresses);
    }

    /**
     * Returns a copy with other instance addresses.
     *
     * @param newAddresses the addresses, one per instance in ordinal order
     * @return the copy, validated
     */
    public LoadBalancer withInstanceAddresses(List<InetAddress> newAddresses) {
        return new LoadBalancer(subnet, pool, vip, members, healthMonitors, newAddresses);
    }

    private static void checkVip(Violations v, Subnet subnet, Pool pool, Optional<Vip> maybeVip) {
        if (maybeVip.isEmpty()) {
            return;
        }
        Vip vip = maybeVip.get();
        v.check(vip.poolId().equals(pool.id()), "vip.pool_id", vip.poolId(), "must be the pool's id " + pool.id());
        v.check(vip.protocol() == pool.protocol(), "vip.protocol", vip.protocol(),
                "must equal the pool's protocol " + pool.protocol());
        v.check(vip.tenantId().equals(pool.tenantId()), "vip.tenant_id", vip.tenantId(),
                "must be the pool's tenant " + pool.tenantId());
        v.check(vip.subnetId().equals(subnet.id()), "vip.subnet_id", vip.subnetId(), "must be the subnet's id " + subnet.id());
        checkOnSubnet(v, subnet, vip.address(), "vip.address");
    }

    /**
     * The rules of an address a load balancer takes on its subnet (the VIP's, an instance's): inside
     * the CIDR, not the gateway, and not the network/broadcast (IPv4 up to /30) or subnet-router
     * anycast (IPv6 up to /126) address.
     */
    private static void checkOnSubnet(Violations v, Subnet subnet, InetAddress address, String path) {
        String text = IpAddresses.toText(address);
        Cidr cidr = subnet.cidr();
        if (!v.check(cidr.contains(address), path, text, "must lie inside the subnet " + cidr)) {
            return;
        }
        v.check(!subnet.gateway().map(address::equals).orElse(false), path, text, "must not be the subnet's gateway");
        if (cidr.ipVersion() == 4 && cidr.prefixLength() <= 30) {
            v.check(!address.equals(cidr.network()), path, text, "must not be the network address of " + cidr);
            v.check(!address.equals(cidr.lastAddress()), path, text, "must not be the broadcast address of " + cidr);
        } else if (cidr.ipVersion() == 6 && cidr.prefixLength() <= 126) {
            v.check(!address.equals(cidr.network()), path, text, "must not be the subnet-router anycast address of " + cidr);
        }
    }

    private static void checkInstanceAddresses(Violations v, Subnet subnet, Optional<Vip> vip, List<Member> members,
                                               List<InetAddress> addresses) {
        Map<InetAddress, Integer> seen = new HashMap<>();
        for (int i = 0; i < addresses.size(); i++) {
            String at = "instance_addresses[" + i + "]";
            InetAddress address = addresses.get(i);
            String text = IpAddresses.toText(address);
            if (!v.check(IpAddresses.isUsableUnicast(address), at, text,
                    "must be a unicast address (not unspecified, loopback, multicast, broadcast, IPv6 link-local or scoped)")) {
                continue;
            }
            checkOnSubnet(v, subnet, address, at);
            Integer first = seen.putIfAbsent(address, i);
            v.check(first == null, at, text, "must differ from the other instance addresses: it is already instance_addresses["
                    + first + "]");
            v.check(vip.map(x -> !x.address().equals(address)).orElse(true), at, text,
                    "must differ from the VIP's address");
        }
        for (int m = 0; m < members.size(); m++) {
            Integer instance = seen.get(members.get(m).address());
            v.check(instance == null, "members[" + m + "].address", IpAddresses.toText(members.get(m).address()),
                    "is reserved for load balancer instance " + instance + " and cannot be a member address");
        }
    }

    private static void checkMembers(Violations v, Pool pool, List<Member> members) {
        Set<UUID> ids = new HashSet<>();
        Map<String, Integer> endpoints = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            String at = "members[" + i + "]";
            Member m = members.get(i);
            v.check(m.poolId().equals(pool.id()), at + ".pool_id", m.poolId(), "must be the pool's id " + pool.id());
            v.check(m.tenantId().equals(pool.tenantId()), at + ".tenant_id", m.tenantId(),
                    "must be the pool's tenant " + pool.tenantId());
            v.check(ids.add(m.id()), at + ".id", m.id(), "must be unique among the pool's members");
            String endpoint = IpAddresses.toText(m.address()) + " port " + m.protocolPort();
            Integer first = endpoints.putIfAbsent(endpoint, i);
            v.check(first == null, at + ".address", IpAddresses.toText(m.address()),
                    "(address, protocol_port) must be unique in the pool: " + endpoint + " is already members[" + first + "]");
        }
    }

    private static void checkMonitors(Violations v, Pool pool, List<HealthMonitor> monitors) {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < monitors.size(); i++) {
            String at = "health_monitors[" + i + "]";
            HealthMonitor m = monitors.get(i);
            v.check(ids.add(m.id()), at + ".id", m.id(), "must be unique: a monitor is associated with a pool once");
            v.check(m.tenantId().equals(pool.tenantId()), at + ".tenant_id", m.tenantId(),
                    "must be the pool's tenant " + pool.tenantId());
        }
    }
}
