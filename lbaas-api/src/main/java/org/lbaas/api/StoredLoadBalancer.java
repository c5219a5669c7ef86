package org.lbaas.api;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.model.Member;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * One load balancer (a pool with its members, health monitor associations and VIP) as a
 * {@link Repository} stores it: everything that belongs to the pool, with every status and the
 * subnets, in one document. The driver gets the same load balancer as an
 * {@link org.lbaas.model.LoadBalancer} (without statuses, with the monitors themselves).
 *
 * <p>The {@code revision} grows with every change the service makes; when a crash interrupts a
 * change that touches two load balancers (a member or VIP moved between pools), the copy in the
 * document with the higher revision wins on load.
 *
 * @param revision the service's change counter when the document was last changed
 * @param pool the pool
 * @param poolSubnet the pool's subnet
 * @param vip the VIP, if the pool has one
 * @param vipSubnet the VIP's subnet, present exactly when the VIP is
 * @param members the members, in creation order
 * @param associations the pool's health monitor associations with their statuses
 * @param instanceAddresses the addresses on the VIP's subnet reserved for the driver's instances
 *     ({@link org.lbaas.model.LoadBalancer#instanceAddresses()}), allocated with the VIP; empty
 *     without a VIP
 */
public record StoredLoadBalancer(long revision, Pool pool, Subnet poolSubnet, Optional<Vip> vip,
                                 Optional<Subnet> vipSubnet, List<Member> members,
                                 List<PoolMonitorAssociation> associations, List<InetAddress> instanceAddresses) {

    public StoredLoadBalancer {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(poolSubnet, "poolSubnet");
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(vipSubnet, "vipSubnet");
        members = List.copyOf(members);
        associations = List.copyOf(associations);
        instanceAddresses = List.copyOf(instanceAddresses);
        if (vip.isPresent() != vipSubnet.isPresent()) {
            throw new IllegalArgumentException("a stored VIP needs its subnet, and only a VIP has one");
        }
        if (vip.isEmpty() && !instanceAddresses.isEmpty()) {
            throw new IllegalArgumentException("instance addresses are allocated with a VIP, and pool " + pool.id()
                    + " has none");
        }
        for (Member m : members) {
            if (!m.poolId().equals(pool.id())) {
                throw new IllegalArgumentException("member " + m.id() + " belongs to pool " + m.poolId() + ", not " + pool.id());
            }
        }
        for (PoolMonitorAssociation a : associations) {
            if (!a.poolId().equals(pool.id())) {
                throw new IllegalArgumentException("association of monitor " + a.monitorId() + " names pool " + a.poolId());
            }
        }
    }

    /**
     * Creates a stored load balancer without instance addresses.
     *
     * @param revision see the record component
     * @param pool see the record component
     * @param poolSubnet see the record component
     * @param vip see the record component
     * @param vipSubnet see the record component
     * @param members see the record component
     * @param associations see the record component
     */
    public StoredLoadBalancer(long revision, Pool pool, Subnet poolSubnet, Optional<Vip> vip, Optional<Subnet> vipSubnet,
                              List<Member> members, List<PoolMonitorAssociation> associations) {
        this(revision, pool, poolSubnet, vip, vipSubnet, members, associations, List.of());
    }

    /** Returns the pool's id, which identifies the load balancer. */
    public UUID id() {
        return pool.id();
    }
}
