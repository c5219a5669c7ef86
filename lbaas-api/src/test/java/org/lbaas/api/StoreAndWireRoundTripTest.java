package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.lbaas.api.json.NeutronJson;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;
import org.lbaas.testkit.LbArbitraries;

/**
 * A load balancer survives the store (write, read) and the wire (document, and each object as the
 * API shows it) unchanged: both go through the one mapping.
 */
class StoreAndWireRoundTripTest {

    private static final NeutronJson JSON = NeutronJson.standard();

    @Provide
    Arbitrary<LoadBalancer> loadBalancers() {
        return LbArbitraries.loadBalancers();
    }

    /** As the service stores it: a revision, and each monitor's association with its own status. */
    @Provide
    Arbitrary<StoredLoadBalancer> stored() {
        return Combinators.combine(loadBalancers(), Arbitraries.longs().greaterOrEqual(0),
                Arbitraries.of(Status.class).list().ofSize(3), Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40))
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

    @Provide
    Arbitrary<HealthMonitor> monitors() {
        return LbArbitraries.healthMonitors();
    }

    @Property(tries = 200)
    void theStoreReadsBackWhatItWrote(@ForAll("stored") StoredLoadBalancer lb, @ForAll("monitors") HealthMonitor monitor)
            throws IOException {
        assertEquals(lb, StoreCodec.readLoadBalancer(StoreCodec.write(lb)));
        assertEquals(monitor, StoreCodec.readHealthMonitor(StoreCodec.write(monitor)));
    }

    @Property(tries = 200)
    void theWireReadsBackWhatItWrote(@ForAll("loadBalancers") LoadBalancer lb) {
        assertEquals(lb, JSON.readDocument(JSON.writeDocument(lb)));
        List<PoolMonitorAssociation> associations = lb.healthMonitors().stream()
                .map(m -> new PoolMonitorAssociation(lb.id(), m.id(), Status.ACTIVE, "")).toList();
        PoolView pool = new PoolView(lb.pool(), lb.members().stream().map(Member::id).toList(),
                lb.healthMonitors().stream().map(HealthMonitor::id).toList(), associations, lb.vip().map(Vip::id));
        // each part as the API shows it, through the same mapping
        List<Object> parts = List.of(pool, lb.members(), lb.vip(), lb.subnet());
        List<Object> read = List.of(JSON.readPool(JSON.writePool(pool)), JSON.readMembers(JSON.writeMembers(lb.members())),
                lb.vip().map(v -> JSON.readVip(JSON.writeVip(v))), JSON.readSubnet(JSON.writeSubnet(lb.subnet())));
        assertEquals(parts, read);
    }
}
