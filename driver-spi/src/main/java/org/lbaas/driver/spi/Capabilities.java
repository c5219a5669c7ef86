package org.lbaas.driver.spi;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.Protocol;
import org.lbaas.model.Vip;
import org.lbaas.model.Violation;

/**
 * What a driver supports. The service checks every request against it before anything changes,
 * so an unsupported feature is a clear error at the call instead of a broken data plane later.
 *
 * @param protocols the protocols a VIP and pool may use
 * @param lbMethods the balancing methods
 * @param persistenceTypes the session persistence kinds
 * @param monitorTypes the health monitor kinds
 * @param maxMembers the most members in one pool
 * @param maxMonitorsPerPool the most monitors associated with one pool
 * @param maxConnectionLimit the largest explicit VIP connection limit ({@code -1}, unlimited, is
 *     always accepted and the driver picks its own ceiling)
 * @param ipv6 whether VIPs and members may be IPv6
 * @param instanceAddresses how many addresses on the VIP's subnet each load balancer needs besides
 *     its VIP (one per instance the driver runs, such as the two of an active/standby pair; 0 when
 *     it needs none). The service allocates them with the VIP, the way it allocates VIP addresses,
 *     and passes them in {@link LoadBalancer#instanceAddresses()}: every load balancer with a VIP
 *     that the service hands this driver carries exactly this many (after a start-up on a subnet
 *     that ran out, possibly fewer: then the service refuses its changes, see {@link #unsupported}),
 *     on the VIP's subnet, distinct from every VIP's address and from every other load balancer's
 *     instance addresses there, and never the address of one of its own members (when allocated
 *     they are no member's address at all); a load balancer without a VIP carries none. They stay
 *     the same while the VIP exists and are released when it is deleted.
 */
public record Capabilities(Set<Protocol> protocols, Set<LbMethod> lbMethods, Set<PersistenceType> persistenceTypes,
                           Set<MonitorType> monitorTypes, int maxMembers, int maxMonitorsPerPool,
                           int maxConnectionLimit, boolean ipv6, int instanceAddresses) {

    public Capabilities {
        protocols = Set.copyOf(Objects.requireNonNull(protocols, "protocols"));
        lbMethods = Set.copyOf(Objects.requireNonNull(lbMethods, "lbMethods"));
        persistenceTypes = Set.copyOf(Objects.requireNonNull(persistenceTypes, "persistenceTypes"));
        monitorTypes = Set.copyOf(Objects.requireNonNull(monitorTypes, "monitorTypes"));
        if (maxMembers < 0 || maxMonitorsPerPool < 0 || maxConnectionLimit < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
        if (instanceAddresses < 0) {
            throw new IllegalArgumentException("instanceAddresses must not be negative, was " + instanceAddresses);
        }
    }

    /**
     * Creates capabilities of a driver that needs no instance addresses.
     *
     * @param protocols the protocols a VIP and pool may use
     * @param lbMethods the balancing methods
     * @param persistenceTypes the session persistence kinds
     * @param monitorTypes the health monitor kinds
     * @param maxMembers the most members in one pool
     * @param maxMonitorsPerPool the most monitors associated with one pool
     * @param maxConnectionLimit the largest explicit VIP connection limit
     * @param ipv6 whether VIPs and members may be IPv6
     */
    public Capabilities(Set<Protocol> protocols, Set<LbMethod> lbMethods, Set<PersistenceType> persistenceTypes,
                        Set<MonitorType> monitorTypes, int maxMembers, int maxMonitorsPerPool, int maxConnectionLimit,
                        boolean ipv6) {
        this(protocols, lbMethods, persistenceTypes, monitorTypes, maxMembers, maxMonitorsPerPool, maxConnectionLimit,
                ipv6, 0);
    }

    /**
     * Returns a copy that declares another number of instance addresses.
     *
     * @param count how many addresses each load balancer needs besides its VIP, at least 0
     * @return the copy
     */
    public Capabilities withInstanceAddresses(int count) {
        return new Capabilities(protocols, lbMethods, persistenceTypes, monitorTypes, maxMembers, maxMonitorsPerPool,
                maxConnectionLimit, ipv6, count);
    }

    /**
     * Returns capabilities that support everything the model can express, with the given limits,
     * and need no instance addresses.
     *
     * @param maxMembers the most members in one pool
     * @param maxMonitorsPerPool the most monitors on one pool
     * @param maxConnectionLimit the largest explicit connection limit
     * @return the capabilities
     */
    public static Capabilities everything(int maxMembers, int maxMonitorsPerPool, int maxConnectionLimit) {
        return new Capabilities(EnumSet.allOf(Protocol.class), EnumSet.allOf(LbMethod.class),
                EnumSet.allOf(PersistenceType.class), EnumSet.allOf(MonitorType.class), maxMembers,
                maxMonitorsPerPool, maxConnectionLimit, true, 0);
    }

    /**
     * Refuses a load balancer that needs more than this driver supports, the way a driver refuses
     * it in {@code apply} or {@code reconcile} (the service checks before, so this guards direct
     * callers).
     *
     * @param lb the load balancer
     * @param driver the driver's name, which starts the operator's message
     * @throws DriverException (not retryable) naming every unsupported feature: the tenant is told
     *     {@code "the load balancer needs what this driver does not support: F; G"}, the operator
     *     {@code "<driver>: refused pool <id> beyond its capabilities: F; G"}
     */
    public void requireSupported(LoadBalancer lb, String driver) {
        Objects.requireNonNull(driver, "driver");
        List<Violation> unsupported = unsupported(lb);
        if (!unsupported.isEmpty()) {
            String features = String.join("; ", unsupported.stream().map(Violation::message).toList());
            throw new DriverException("the load balancer needs what this driver does not support: " + features,
                    driver + ": refused pool " + lb.id() + " beyond its capabilities: " + features, false);
        }
    }

    /**
     * Lists every way a load balancer needs more than this driver supports. Paths and wording follow
     * {@link Violation}: {@code pool.lb_method}, {@code health_monitors[1].type}, {@code members};
     * a load balancer with a VIP but fewer instance addresses than {@link #instanceAddresses()} is
     * reported at {@code instance_addresses} (the service never hands a driver one).
     *
     * @param lb the load balancer
     * @return the unsupported features; empty when the driver can carry it
     */
    public List<Violation> unsupported(LoadBalancer lb) {
        List<Violation> out = new ArrayList<>();
        Protocol protocol = lb.pool().protocol();
        check(out, protocols.contains(protocol), "pool.protocol", protocol, "protocol " + protocol + " is not supported by this driver; it supports " + sorted(protocols));
        check(out, lbMethods.contains(lb.pool().lbMethod()), "pool.lb_method", lb.pool().lbMethod(),
                "lb_method " + lb.pool().lbMethod() + " is not supported by this driver; it supports " + sorted(lbMethods));
        check(out, lb.members().size() <= maxMembers, "members", lb.members().size() + " members",
                "this driver carries at most " + maxMembers + " members per pool");
        check(out, lb.healthMonitors().size() <= maxMonitorsPerPool, "health_monitors", lb.healthMonitors().size() + " monitors",
                "this driver carries at most " + maxMonitorsPerPool + " health monitors per pool");
        for (int i = 0; i < lb.healthMonitors().size(); i++) {
            HealthMonitor m = lb.healthMonitors().get(i);
            check(out, monitorTypes.contains(m.type()), "health_monitors[" + i + "].type", m.type(),
                    "monitor type " + m.type() + " is not supported by this driver; it supports " + sorted(monitorTypes));
        }
        if (!ipv6) {
            for (int i = 0; i < lb.members().size(); i++) {
                check(out, IpAddresses.version(lb.members().get(i).address()) == 4, "members[" + i + "].address",
                        IpAddresses.toText(lb.members().get(i).address()), "this driver does not support IPv6");
            }
        }
        lb.vip().ifPresent(vip -> unsupportedVip(out, vip));
        if (lb.vip().isPresent()) {
            check(out, lb.instanceAddresses().size() >= instanceAddresses, "instance_addresses",
                    lb.instanceAddresses().size() + " addresses", "this driver needs " + instanceAddresses
                            + " instance addresses with a VIP (one per instance it runs)");
        }
        return List.copyOf(out);
    }

    private void unsupportedVip(List<Violation> out, Vip vip) {
        vip.sessionPersistence().ifPresent(sp -> check(out, persistenceTypes.contains(sp.type()),
                "vip.session_persistence.type", sp.type(),
                "session persistence " + sp.type() + " is not supported by this driver; it supports " + sorted(persistenceTypes)));
        check(out, vip.connectionLimit() <= maxConnectionLimit, "vip.connection_limit", vip.connectionLimit(),
                "this driver accepts connection limits up to " + maxConnectionLimit + " (or -1 for its own maximum)");
        if (!ipv6) {
            check(out, IpAddresses.version(vip.address()) == 4, "vip.address", IpAddresses.toText(vip.address()),
                    "this driver does not support IPv6");
        }
    }

    private static void check(List<Violation> out, boolean ok, String path, Object value, String rule) {
        if (!ok) {
            out.add(Violation.of(path, value, rule));
        }
    }

    private static <E extends Enum<E>> List<E> sorted(Set<E> set) {
        return set.stream().sorted().toList();
    }
}
