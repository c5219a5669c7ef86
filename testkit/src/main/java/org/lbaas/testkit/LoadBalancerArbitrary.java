package org.lbaas.testkit;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.arbitraries.ArbitraryDecorator;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * Generates valid {@link LoadBalancer}s, configured by fluent, immutable knobs: every {@code with…}
 * method returns a new arbitrary and leaves this one unchanged, so a configured arbitrary can be
 * shared and refined freely.
 *
 * <p>Whatever the knobs, every generated load balancer is valid: members have distinct ids and
 * distinct {@code (address, protocol_port)}; the VIP address lies inside the subnet and is neither
 * its gateway nor its network, broadcast or anycast address; the VIP, members and monitors share
 * the pool's tenant; session persistence fits the protocol (cookies only with HTTP); instance
 * addresses (none unless {@link #withInstanceAddresses(int)} asks) follow the same address rules and
 * are no VIP's or member's address.
 *
 * <p>Defaults: 0 to 5 members, 0 to 2 monitors of any type, every protocol, IPv4 and IPv6 (IPv4
 * more often), a VIP in most load balancers, and persistence on about half of the VIPs. Knobs that
 * cannot be satisfied together (persistence without a VIP, cookie persistence with only TCP) fail
 * with an {@link IllegalStateException} naming the conflict when values are generated.
 *
 * <p>Obtain one from {@link LbArbitraries#loadBalancers()}.
 */
public final class LoadBalancerArbitrary extends ArbitraryDecorator<LoadBalancer> {

    private enum VipMode { SOMETIMES, ALWAYS, NEVER }

    private enum PersistenceMode { SOMETIMES, REQUIRED, NEVER }

    private final int minMembers;
    private final int maxMembers;
    private final Set<Protocol> protocols;
    private final PersistenceMode persistenceMode;
    private final Set<PersistenceType> persistenceTypes;
    private final int minMonitors;
    private final int maxMonitors;
    private final Set<MonitorType> monitorTypes;
    private final int ipVersion;
    private final VipMode vipMode;
    private final int instanceAddresses;

    LoadBalancerArbitrary() {
        this(0, 5, EnumSet.allOf(Protocol.class), PersistenceMode.SOMETIMES, EnumSet.allOf(PersistenceType.class), 0, 2,
                EnumSet.allOf(MonitorType.class), 0, VipMode.SOMETIMES, 0);
    }

    private LoadBalancerArbitrary(int minMembers, int maxMembers, Set<Protocol> protocols, PersistenceMode persistenceMode,
                                  Set<PersistenceType> persistenceTypes, int minMonitors, int maxMonitors,
                                  Set<MonitorType> monitorTypes, int ipVersion, VipMode vipMode, int instanceAddresses) {
        this.minMembers = minMembers;
        this.maxMembers = maxMembers;
        // EnumSets: their iteration order is fixed, so a seed reproduces a run (Set.copyOf's is not).
        this.protocols = EnumSet.copyOf(protocols);
        this.persistenceMode = persistenceMode;
        this.persistenceTypes = EnumSet.copyOf(persistenceTypes);
        this.minMonitors = minMonitors;
        this.maxMonitors = maxMonitors;
        this.monitorTypes = EnumSet.copyOf(monitorTypes);
        this.ipVersion = ipVersion;
        this.vipMode = vipMode;
        this.instanceAddresses = instanceAddresses;
    }

    /**
     * Returns an arbitrary whose load balancers have between {@code min} and {@code max} members.
     *
     * @param min the fewest members, at least 0
     * @param max the most members, at least {@code min}
     * @return the new arbitrary
     * @throws IllegalArgumentException when the bounds are not {@code 0 <= min <= max}
     */
    public LoadBalancerArbitrary withMembers(int min, int max) {
        checkBounds(min, max, "members");
        return new LoadBalancerArbitrary(min, max, protocols, persistenceMode, persistenceTypes, minMonitors, maxMonitors,
                monitorTypes, ipVersion, vipMode, instanceAddresses);
    }

    /**
     * Returns an arbitrary whose pools (and VIPs) use one of these protocols.
     *
     * @param allowed at least one protocol
     * @return the new arbitrary
     */
    public LoadBalancerArbitrary withProtocols(Protocol... allowed) {
        return new LoadBalancerArbitrary(minMembers, maxMembers, nonEmpty(allowed, Protocol.class, "protocols"),
                persistenceMode, persistenceTypes, minMonitors, maxMonitors, monitorTypes, ipVersion, vipMode, instanceAddresses);
    }

    /**
     * Returns an arbitrary whose load balancers always have a VIP with session persistence of one of
     * these kinds. Protocols are narrowed to those the kinds fit (cookie kinds need HTTP).
     *
     * @param allowed at least one persistence kind
     * @return the new arbitrary
     */
    public LoadBalancerArbitrary withPersistence(PersistenceType... allowed) {
        return new LoadBalancerArbitrary(minMembers, maxMembers, protocols, PersistenceMode.REQUIRED,
                nonEmpty(allowed, PersistenceType.class, "persistence types"), minMonitors, maxMonitors, monitorTypes,
                ipVersion, vipMode, instanceAddresses);
    }

    /**
     * Returns an arbitrary whose VIPs never have session persistence.
     *
     * @return the new arbitrary
     */
    public LoadBalancerArbitrary withoutPersistence() {
        return new LoadBalancerArbitrary(minMembers, maxMembers, protocols, PersistenceMode.NEVER,
                EnumSet.allOf(PersistenceType.class), minMonitors, maxMonitors, monitorTypes, ipVersion, vipMode, instanceAddresses);
    }

    /**
     * Returns an arbitrary whose load balancers have between {@code min} and {@code max} associated
     * health monitors (with distinct ids).
     *
     * @param min the fewest monitors, at least 0
     * @param max the most monitors, at least {@code min}
     * @return the new arbitrary
     */
    public LoadBalancerArbitrary withMonitors(int min, int max) {
        checkBounds(min, max, "monitors");
        return new LoadBalancerArbitrary(minMembers, maxMembers, protocols, persistenceMode, persistenceTypes, min, max,
                monitorTypes, ipVersion, vipMode, instanceAddresses);
    }

    /**
     * Returns an arbitrary whose monitors are of these types.
     *
     * @param allowed at least one monitor type
     * @return the new arbitrary
     */
    public LoadBalancerArbitrary withMonitorTypes(MonitorType... allowed) {
        return new LoadBalancerArbitrary(minMembers, maxMembers, protocols, persistenceMode, persistenceTypes, minMonitors,
                maxMonitors, nonEmpty(allowed, MonitorType.class, "monitor types"), ipVersion, vipMode, instanceAddresses);
    }

    /**
     * Returns an arbitrary whose subnet, VIP and members are all IPv4.
     *
     * @return the new arbitrary
     */
    public LoadBalancerArbitrary ipv4Only() {
        return withIpVersion(4);
    }

    /**
     * Returns an arbitrary whose subnet, VIP and members are all IPv6.
     *
     * @return the new arbitrary
     */
    public LoadBalancerArbitrary ipv6Only() {
        return withIpVersion(6);
    }

    /**
     * Returns an arbitrary whose load balancers always have a VIP.
     *
     * @return the new arbitrary
     */
    public LoadBalancerArbitrary withVip() {
        return withVipMode(VipMode.ALWAYS);
    }

    /**
     * Returns an arbitrary whose load balancers never have a VIP (a pool not yet deployable).
     *
     * @return the new arbitrary
     */
    public LoadBalancerArbitrary withoutVip() {
        return withVipMode(VipMode.NEVER);
    }

    /**
     * Returns an arbitrary whose load balancers with a VIP carry {@code count} instance addresses
     * ({@link LoadBalancer#instanceAddresses()}), as a service gives them to a driver that declares
     * that many: on the subnet, in ordinal order, never its gateway, network, broadcast or anycast
     * address, the VIP's or a member's, and distinct; each the first such address after the VIP's
     * (wrapping around the subnet). Subnets are drawn among those with room for the VIP, the most
     * members and the instance addresses. Load balancers without a VIP carry none. The default is 0.
     *
     * @param count how many, at least 0
     * @return the new arbitrary
     * @throws IllegalArgumentException when {@code count} is negative
     */
    public LoadBalancerArbitrary withInstanceAddresses(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("instance addresses: need at least 0, got " + count);
        }
        return new LoadBalancerArbitrary(minMembers, maxMembers, protocols, persistenceMode, persistenceTypes, minMonitors,
                maxMonitors, monitorTypes, ipVersion, vipMode, count);
    }

    private LoadBalancerArbitrary withIpVersion(int version) {
        return new LoadBalancerArbitrary(minMembers, maxMembers, protocols, persistenceMode, persistenceTypes, minMonitors,
                maxMonitors, monitorTypes, version, vipMode, instanceAddresses);
    }

    private LoadBalancerArbitrary withVipMode(VipMode mode) {
        return new LoadBalancerArbitrary(minMembers, maxMembers, protocols, persistenceMode, persistenceTypes, minMonitors,
                maxMonitors, monitorTypes, ipVersion, mode, instanceAddresses);
    }

    @Override
    protected Arbitrary<LoadBalancer> arbitrary() {
        List<Protocol> usable = usableProtocols();
        Arbitrary<Optional<Gen.VipSeed>> vips = vipSeeds(effectiveVipMode());
        // One combination of independent seeds, no flatMap: fast to generate and good to shrink.
        Arbitrary<Subnet> subnets = instanceAddresses == 0 ? Gen.subnets(ipVersion)
                : Gen.subnets(ipVersion).filter(s -> Gen.vipRoom(s).compareTo(
                        BigInteger.valueOf(1L + maxMembers + instanceAddresses)) >= 0);
        return Combinators.combine(subnets, Gen.tenantIds(), Arbitraries.of(usable), Gen.poolSeeds(), vips,
                Gen.memberSeedLists(minMembers, maxMembers), Gen.monitorSeedLists(monitorTypes, minMonitors, maxMonitors))
                .as((subnet, tenant, protocol, poolSeed, vipSeed, memberSeeds, monitorSeeds) -> {
                    Pool pool = poolSeed.toPool(tenant, protocol, subnet.id());
                    int family = ipVersion != 0 ? ipVersion : subnet.ipVersion();
                    List<Member> members = new ArrayList<>();
                    memberSeeds.forEach(m -> members.add(m.toMember(pool.id(), tenant, family, ipVersion != 0)));
                    List<HealthMonitor> monitors = new ArrayList<>();
                    monitorSeeds.forEach(m -> monitors.add(m.toMonitor(tenant)));
                    Optional<Vip> vip = vipSeed.map(v -> v.toVip(pool, subnet));
                    List<InetAddress> instances = vip.map(v -> Gen.instanceAddresses(subnet, v.address(),
                            members.stream().map(Member::address).toList(), instanceAddresses)).orElse(List.of());
                    return new LoadBalancer(subnet, pool, vip, members, monitors, instances);
                });
    }

    private List<Protocol> usableProtocols() {
        List<Protocol> usable = new ArrayList<>();
        for (Protocol p : Protocol.values()) {
            boolean fits = persistenceMode != PersistenceMode.REQUIRED || !Gen.fitting(persistenceTypes, p).isEmpty();
            if (protocols.contains(p) && fits) {
                usable.add(p);
            }
        }
        if (usable.isEmpty()) {
            throw new IllegalStateException("no protocol among " + protocols + " fits persistence " + persistenceTypes
                    + " (cookie persistence needs HTTP)");
        }
        return usable;
    }

    private VipMode effectiveVipMode() {
        if (persistenceMode == PersistenceMode.REQUIRED) {
            if (vipMode == VipMode.NEVER) {
                throw new IllegalStateException("withPersistence(...) needs a VIP, but withoutVip() was asked for");
            }
            return VipMode.ALWAYS;
        }
        return vipMode;
    }

    /**
     * VIP seeds. Required persistence is drawn from the requested kinds; a kind that does not fit
     * the protocol chosen later becomes SOURCE_IP, which is then among the kinds (the protocols were
     * narrowed to those some kind fits, and only SOURCE_IP fits TCP and HTTPS).
     */
    private Arbitrary<Optional<Gen.VipSeed>> vipSeeds(VipMode mode) {
        if (mode == VipMode.NEVER) {
            return Arbitraries.just(Optional.empty());
        }
        Set<PersistenceType> kinds = persistenceMode == PersistenceMode.NEVER
                ? EnumSet.noneOf(PersistenceType.class) : persistenceTypes;
        Arbitrary<Optional<Gen.VipSeed>> present = Gen.vipSeeds(kinds, persistenceMode == PersistenceMode.REQUIRED)
                .map(Optional::of);
        if (mode == VipMode.ALWAYS) {
            return present;
        }
        return Arbitraries.frequencyOf(Gen.weight(1, Arbitraries.just(Optional.<Gen.VipSeed>empty())), Gen.weight(6, present));
    }

    private static void checkBounds(int min, int max, String what) {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException(what + ": need 0 <= min <= max, got " + min + ".." + max);
        }
    }

    private static <E extends Enum<E>> Set<E> nonEmpty(E[] values, Class<E> type, String what) {
        Objects.requireNonNull(values, what);
        if (values.length == 0) {
            throw new IllegalArgumentException(what + ": give at least one");
        }
        Arrays.stream(values).forEach(v -> Objects.requireNonNull(v, what));
        EnumSet<E> set = EnumSet.noneOf(type);
        set.addAll(Arrays.asList(values));
        return set;
    }

    /** Describes the knobs, for jqwik's reports. */
    @Override
    public String toString() {
        return "LoadBalancerArbitrary[members " + minMembers + ".." + maxMembers + ", protocols " + protocols
                + ", persistence " + persistenceMode + " " + persistenceTypes + ", monitors " + minMonitors + ".."
                + maxMonitors + " " + monitorTypes + ", ip " + (ipVersion == 0 ? "v4+v6" : "v" + ipVersion) + ", vip "
                + vipMode + ", instance addresses " + instanceAddresses + "]";
    }
}
