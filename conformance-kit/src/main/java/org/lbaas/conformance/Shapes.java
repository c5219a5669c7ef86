package org.lbaas.conformance;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * Load balancers the kit hands to a driver directly, built within (or deliberately beyond) the
 * driver's declared capabilities, and the choices the kit makes among what a driver supports.
 */
final class Shapes {

    static final String TENANT = "conformance-kit";
    static final Subnet SUBNET4 = Subnet.of(UUID.fromString("c0f0c0f0-0000-4000-8000-000000000004"), "10.91.0.0/24", "10.91.0.1");
    static final Subnet SUBNET6 = Subnet.of(UUID.fromString("c0f0c0f0-0000-4000-8000-000000000006"), "fd00:91::/64", "fd00:91::1");
    /** The subnet of load balancers the kit hands to the driver directly (never through the service). */
    static final Subnet DIRECT4 = Subnet.of(UUID.fromString("c0f0c0f0-0000-4000-8000-000000000095"), "10.95.0.0/24", "10.95.0.1");
    /** The most members the kit builds to reach a declared member limit. */
    static final int MEMBER_LIMIT_REACH = 2000;
    /** The most monitors the kit builds to reach a declared monitor limit. */
    static final int MONITOR_LIMIT_REACH = 16;
    /** The most instance addresses ({@link Capabilities#instanceAddresses()}) the kit gives a load balancer. */
    static final int MOST_INSTANCE_ADDRESSES = 59;

    private final Capabilities caps;
    private final AtomicInteger next = new AtomicInteger();

    Shapes(Capabilities caps) {
        this.caps = caps;
    }

    Capabilities capabilities() {
        return caps;
    }

    /** The protocol the kit uses when the test does not care: HTTP, else TCP, else HTTPS. */
    Protocol protocol() {
        return first(caps.protocols().contains(Protocol.HTTP), Protocol.HTTP, caps.protocols().contains(Protocol.TCP),
                Protocol.TCP, Protocol.HTTPS);
    }

    /** The balancing method the kit uses when the test does not care. */
    LbMethod method() {
        for (LbMethod m : LbMethod.values()) {
            if (caps.lbMethods().contains(m)) {
                return m;
            }
        }
        throw new AssertionError("the driver declares no balancing method at all: " + caps);
    }

    /** A supported method other than the given one, if there is one. */
    Optional<LbMethod> otherMethod(LbMethod than) {
        return caps.lbMethods().stream().filter(m -> m != than).sorted().findFirst();
    }

    /** The monitor type the kit uses, if the driver carries any monitor: TCP, HTTP, HTTPS, then PING. */
    Optional<MonitorType> monitorType() {
        if (caps.maxMonitorsPerPool() < 1) {
            return Optional.empty();
        }
        for (MonitorType t : List.of(MonitorType.TCP, MonitorType.HTTP, MonitorType.HTTPS, MonitorType.PING)) {
            if (caps.monitorTypes().contains(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** A persistence kind that fits the protocol and is supported, if any. */
    Optional<SessionPersistence> persistenceFor(Protocol protocol) {
        if (caps.persistenceTypes().contains(PersistenceType.SOURCE_IP)) {
            return Optional.of(SessionPersistence.sourceIp());
        }
        if (protocol.isHttp() && caps.persistenceTypes().contains(PersistenceType.HTTP_COOKIE)) {
            return Optional.of(SessionPersistence.httpCookie());
        }
        if (protocol.isHttp() && caps.persistenceTypes().contains(PersistenceType.APP_COOKIE)) {
            return Optional.of(SessionPersistence.appCookie("JSESSIONID"));
        }
        return Optional.empty();
    }

    /** A connection limit the driver accepts and that is not its maximum. */
    int modestConnectionLimit() {
        return Math.min(100, caps.maxConnectionLimit());
    }

    /**
     * A deployable IPv4 load balancer with a fresh pool id, {@code members} members and no monitor,
     * using the default protocol and method.
     */
    LoadBalancer deployable(int members) {
        int n = next.getAndIncrement();
        UUID poolId = UUID.randomUUID();
        Protocol protocol = protocol();
        Pool pool = Pool.builder().id(poolId).tenantId(TENANT).name("kit-" + n).subnetId(DIRECT4.id()).protocol(protocol)
                .lbMethod(method()).status(Status.ACTIVE).build();
        // the VIP at .10 + block * k, its instance addresses right after it: distinct for 240 / block load balancers
        int instances = caps.instanceAddresses();
        if (instances > MOST_INSTANCE_ADDRESSES) {
            throw new IllegalStateException("the kit builds at most " + MOST_INSTANCE_ADDRESSES
                    + " instance addresses per load balancer; the driver declares " + instances);
        }
        int block = instances + 1;
        int vipHost = 10 + block * (n % (240 / block));
        Vip vip = Vip.builder().id(UUID.randomUUID()).tenantId(TENANT).name("kit-" + n).subnetId(DIRECT4.id())
                .address("10.95.0." + vipHost).portId(UUID.randomUUID()).protocolPort(80).protocol(protocol)
                .poolId(poolId).status(Status.ACTIVE).build();
        List<InetAddress> instanceAddresses = new ArrayList<>();
        for (int i = 1; i <= instances; i++) {
            instanceAddresses.add(IpAddresses.parse("10.95.0." + (vipHost + i), "instance address"));
        }
        LoadBalancer lb = new LoadBalancer(DIRECT4, pool, Optional.of(vip), List.of(), List.of(), instanceAddresses);
        return withMemberCount(lb, members);
    }

    /** The load balancer with exactly {@code count} members: its own first ones, then new ones. */
    LoadBalancer withMemberCount(LoadBalancer lb, int count) {
        List<Member> members = new ArrayList<>(lb.members().subList(0, Math.min(count, lb.members().size())));
        int i = members.size();
        while (members.size() < count) {
            members.add(member(lb, ipv4Member(i++)));
        }
        return lb.withMembers(members);
    }

    /** The load balancer with one more member. */
    LoadBalancer withExtraMember(LoadBalancer lb) {
        int i = lb.members().size();
        InetAddress address;
        do {
            address = ipv4Member(i++);
        } while (hasAddress(lb, address));
        List<Member> members = new ArrayList<>(lb.members());
        members.add(member(lb, address));
        return lb.withMembers(members);
    }

    /** The load balancer with member {@code index} changed. */
    static LoadBalancer withMember(LoadBalancer lb, int index, java.util.function.UnaryOperator<Member.Builder> change) {
        List<Member> members = new ArrayList<>(lb.members());
        members.set(index, change.apply(members.get(index).toBuilder()).build());
        return lb.withMembers(members);
    }

    /** The load balancer without a VIP (not deployable), and so without instance addresses, as the service makes it. */
    static LoadBalancer withoutVip(LoadBalancer lb) {
        return lb.withVip(Optional.empty()).withInstanceAddresses(List.of());
    }

    /** The load balancer with its VIP admin down (not deployable). */
    static LoadBalancer withVipDown(LoadBalancer lb) {
        return lb.withVip(lb.vip().map(v -> v.toBuilder().adminStateUp(false).build()));
    }

    Member member(LoadBalancer lb, InetAddress address) {
        return Member.builder().id(UUID.randomUUID()).tenantId(TENANT).poolId(lb.id()).address(address).protocolPort(8080)
                .weight(1).status(Status.ACTIVE).build();
    }

    HealthMonitor monitor(MonitorType type) {
        HealthMonitor.Builder b = HealthMonitor.builder().id(UUID.randomUUID()).tenantId(TENANT).type(type).delay(5)
                .timeout(3).maxRetries(3);
        if (type.isHttp()) {
            b.httpCheck(HttpCheck.defaults());
        }
        return b.build();
    }

    /**
     * A load balancer that needs something this driver did not declare, with what it is; empty
     * only when the driver declares every feature and no limit the kit can reach.
     */
    Optional<Beyond> beyondCapabilities() {
        LoadBalancer base = deployable(1);
        for (Protocol p : Protocol.values()) {
            if (!caps.protocols().contains(p)) {
                return Optional.of(new Beyond("protocol " + p, withProtocol(base, p)));
            }
        }
        for (LbMethod m : LbMethod.values()) {
            if (!caps.lbMethods().contains(m)) {
                return Optional.of(new Beyond("lb_method " + m,
                        base.withPool(base.pool().toBuilder().lbMethod(m).build())));
            }
        }
        for (MonitorType t : MonitorType.values()) {
            if (!caps.monitorTypes().contains(t)) {
                return Optional.of(new Beyond("a " + t + " health monitor", base.withHealthMonitors(List.of(monitor(t)))));
            }
        }
        for (PersistenceType t : PersistenceType.values()) {
            if (!caps.persistenceTypes().contains(t)) {
                SessionPersistence sp = switch (t) {
                    case SOURCE_IP -> SessionPersistence.sourceIp();
                    case HTTP_COOKIE -> SessionPersistence.httpCookie();
                    case APP_COOKIE -> SessionPersistence.appCookie("JSESSIONID");
                };
                LoadBalancer lb = t.usesCookies() ? withProtocol(base, Protocol.HTTP) : base;
                return Optional.of(new Beyond(t + " session persistence",
                        lb.withVip(lb.vip().map(v -> v.toBuilder().sessionPersistence(sp).build()))));
            }
        }
        if (!caps.ipv6()) {
            List<Member> members = List.of(member(base, IpAddresses.parse("fd00:92::10", "address")));
            return Optional.of(new Beyond("an IPv6 member", base.withMembers(members)));
        }
        if (caps.maxMonitorsPerPool() < MONITOR_LIMIT_REACH && !caps.monitorTypes().isEmpty()) {
            MonitorType t = caps.monitorTypes().stream().sorted().findFirst().orElseThrow();
            List<HealthMonitor> monitors = new ArrayList<>();
            for (int i = 0; i <= caps.maxMonitorsPerPool(); i++) {
                monitors.add(monitor(t));
            }
            return Optional.of(new Beyond(monitors.size() + " health monitors (declared most: " + caps.maxMonitorsPerPool() + ")",
                    base.withHealthMonitors(monitors)));
        }
        if (caps.maxConnectionLimit() < Integer.MAX_VALUE) {
            int limit = caps.maxConnectionLimit() + 1;
            return Optional.of(new Beyond("connection limit " + limit + " (declared most: " + caps.maxConnectionLimit() + ")",
                    base.withVip(base.vip().map(v -> v.toBuilder().connectionLimit(limit).build()))));
        }
        if (caps.maxMembers() < MEMBER_LIMIT_REACH) {
            return Optional.of(new Beyond((caps.maxMembers() + 1) + " members (declared most: " + caps.maxMembers() + ")",
                    withMemberCount(base, caps.maxMembers() + 1)));
        }
        return Optional.empty();
    }

    /**
     * A load balancer beyond the capabilities, and what it needs.
     *
     * @param what the undeclared feature, for messages
     * @param lb the load balancer
     */
    record Beyond(String what, LoadBalancer lb) {
    }

    private static LoadBalancer withProtocol(LoadBalancer lb, Protocol p) {
        Pool pool = lb.pool().toBuilder().protocol(p).build();
        Optional<Vip> vip = lb.vip().map(v -> v.toBuilder().protocol(p).sessionPersistence(null).build());
        return new LoadBalancer(lb.subnet(), pool, vip, lb.members(), lb.healthMonitors(), lb.instanceAddresses());
    }

    static InetAddress ipv4Member(int i) {
        return IpAddresses.parse("10.92." + (i / 250) + "." + (i % 250 + 1), "address");
    }

    private static boolean hasAddress(LoadBalancer lb, InetAddress address) {
        return lb.members().stream().anyMatch(m -> m.address().equals(address));
    }

    private static <T> T first(boolean a, T ta, boolean b, T tb, T fallback) {
        return a ? ta : b ? tb : fallback;
    }
}
