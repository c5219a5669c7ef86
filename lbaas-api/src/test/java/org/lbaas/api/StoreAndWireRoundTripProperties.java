package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.lbaas.api.json.LoadBalancerArbitraries;
import org.lbaas.api.json.NeutronJson;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;

/**
 * A load balancer survives the store (write, read) and the wire (document, and each object as the
 * API shows it) unchanged: both go through the one mapping.
 */
class StoreAndWireRoundTripProperties {

    private static final NeutronJson JSON = NeutronJson.standard();

    @Provide
    Arbitrary<LoadBalancer> loadBalancers() {
        return LoadBalancerArbitraries.loadBalancers();
    }

    /** As the service stores it: a revision, and each monitor's association with its own status. */
    @Provide
    Arbitrary<StoredLoadBalancer> stored() {
        return Combinators.combine(loadBalancers(), Arbitraries.longs().greaterOrEqual(0),
                Arbitraries.of(Status.class).list().ofSize(3), LoadBalancerArbitraries.texts())
                .as((lb, revision, statuses, why) -> {
                    List<PoolMonitorAssociation> associations = new java.util.ArrayList<>();
                    for (int i = 0; i < lb.healthMonitors().size(); i++) {
                        associations.add(new PoolMonitorAssociation(lb.id(), lb.healthMonitors().get(i).id(),
                                statuses.get(i), why));
                    }
                    return new StoredLoadBalancer(revision, lb.pool(), lb.subnet(), lb.vip(),
                            lb.vip().map(v -> lb.subnet()), lb.members(), associations);
                });
    }

    @Property(tries = 300)
    void aStoredLoadBalancerReadsBackEqual(@ForAll("stored") StoredLoadBalancer lb) throws IOException {
        assertEquals(lb, StoreCodec.readLoadBalancer(StoreCodec.write(lb)));
    }

    @Property(tries = 300)
    void storedMonitorsReadBackEqual(@ForAll("loadBalancers") LoadBalancer lb) throws IOException {
        for (HealthMonitor m : lb.healthMonitors()) {
            assertEquals(m, StoreCodec.readHealthMonitor(StoreCodec.write(m)));
        }
    }

    @Property(tries = 300)
    void aLoadBalancerDocumentReadsBackEqual(@ForAll("loadBalancers") LoadBalancer lb) {
        assertEquals(lb, JSON.readDocument(JSON.writeDocument(lb)));
    }

    @Property(tries = 300)
    void everyPartAsTheApiShowsItReadsBackEqual(@ForAll("stored") StoredLoadBalancer lb) {
        PoolView pool = new PoolView(lb.pool(), lb.members().stream().map(Member::id).toList(),
                lb.associations().stream().map(PoolMonitorAssociation::monitorId).toList(), lb.associations(),
                lb.vip().map(Vip::id));
        assertEquals(pool, JSON.readPool(JSON.writePool(pool)));
        assertEquals(lb.members(), JSON.readMembers(JSON.writeMembers(lb.members())));
        assertEquals(lb.vip(), lb.vip().map(v -> JSON.readVip(JSON.writeVip(v))));
        assertEquals(lb.poolSubnet(), JSON.readSubnet(JSON.writeSubnet(lb.poolSubnet())));
    }
}
