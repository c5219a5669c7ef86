package org.lbaas.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.domains.Domain;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.Pool;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/** A user switches the domain on with one annotation and takes lbaas objects as parameters. */
class LbaasDomainTest {

    @Property(tries = 300)
    @Domain(LbaasDomain.class)
    void theDomainProvidesValidObjectsOfEveryType(@ForAll LoadBalancer lb, @ForAll Pool pool, @ForAll Member member,
                                                  @ForAll HealthMonitor monitor, @ForAll Vip vip,
                                                  @ForAll SessionPersistence persistence, @ForAll Subnet subnet) {
        assertEquals(lb, Rebuild.loadBalancer(lb));
        assertEquals(pool, Rebuild.pool(pool));
        assertEquals(member, Rebuild.member(member));
        assertEquals(monitor, Rebuild.monitor(monitor));
        assertEquals(vip, Rebuild.vip(vip));
        assertEquals(persistence, Rebuild.persistence(persistence));
        assertEquals(subnet, Rebuild.subnet(subnet));
    }
}
