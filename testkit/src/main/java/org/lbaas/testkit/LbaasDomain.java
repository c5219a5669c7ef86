package org.lbaas.testkit;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Provide;
import net.jqwik.api.domains.DomainContextBase;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.Pool;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * A jqwik domain that provides valid lbaas objects for {@code @ForAll} parameters. Switch it on
 * with one annotation on a property or a container:
 *
 * <pre>{@code
 * @Property
 * @Domain(LbaasDomain.class)
 * void anyLoadBalancer(@ForAll LoadBalancer lb, @ForAll Member member) { ... }
 * }</pre>
 *
 * It provides {@link LoadBalancer}, {@link Pool}, {@link Member}, {@link HealthMonitor},
 * {@link Vip}, {@link SessionPersistence} and {@link Subnet}, all drawn from
 * {@link LbArbitraries} with default knobs. Members and VIPs stand alone (each with a pool of its
 * own); take a {@code LoadBalancer} when parts must fit together. Like any jqwik domain, it
 * replaces the default domain: also add {@code @Domain(DomainContext.Global.class)} to keep
 * jqwik's built-in types.
 */
public class LbaasDomain extends DomainContextBase {

    /** Creates the domain; jqwik does this. */
    public LbaasDomain() {
    }

    /**
     * Valid load balancers.
     *
     * @return {@link LbArbitraries#loadBalancers()}
     */
    @Provide
    public Arbitrary<LoadBalancer> loadBalancers() {
        return LbArbitraries.loadBalancers();
    }

    /**
     * Valid pools.
     *
     * @return {@link LbArbitraries#pools()}
     */
    @Provide
    public Arbitrary<Pool> pools() {
        return LbArbitraries.pools();
    }

    /**
     * Valid members, each of some pool and tenant.
     *
     * @return members of random pools
     */
    @Provide
    public Arbitrary<Member> members() {
        return LbArbitraries.pools().flatMap(p -> LbArbitraries.members(p.id(), p.tenantId()));
    }

    /**
     * Valid health monitors.
     *
     * @return {@link LbArbitraries#healthMonitors()}
     */
    @Provide
    public Arbitrary<HealthMonitor> healthMonitors() {
        return LbArbitraries.healthMonitors();
    }

    /**
     * Valid VIPs, each with a pool and subnet of its own.
     *
     * @return {@link LbArbitraries#vips()}
     */
    @Provide
    public Arbitrary<Vip> vips() {
        return LbArbitraries.vips();
    }

    /**
     * Valid session persistence of every kind.
     *
     * @return {@link LbArbitraries#sessionPersistences()}
     */
    @Provide
    public Arbitrary<SessionPersistence> sessionPersistences() {
        return LbArbitraries.sessionPersistences();
    }

    /**
     * Valid subnets.
     *
     * @return {@link LbArbitraries#subnets()}
     */
    @Provide
    public Arbitrary<Subnet> subnets() {
        return LbArbitraries.subnets();
    }
}
