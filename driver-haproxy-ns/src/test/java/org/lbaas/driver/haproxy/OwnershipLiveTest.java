package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Protocol;

/**
 * Two drivers on two state directories with the same default prefix ({@code qlbaas-}) on one
 * host: each reconciles with only its own desired set, and both load balancers keep serving.
 * Pool ids are random, so the namespaces are unique on the host.
 */
class OwnershipLiveTest extends LiveEnvTest {

    HaproxyNsDriver a;
    HaproxyNsDriver b;
    final List<LoadBalancer> created = new ArrayList<>();

    @BeforeEach
    void setUp() {
        a = env.newDriver(Map.of("namespace_prefix", "qlbaas-", "state_dir", temp.resolve("a").toString()));
        b = env.newDriver(Map.of("namespace_prefix", "qlbaas-", "state_dir", temp.resolve("b").toString()));
    }

    @AfterEach
    void tearDown() {
        // each removes its own, also after a failure (the environment is closed after this)
        for (HaproxyNsDriver d : new HaproxyNsDriver[] {a, b}) {
            try {
                d.reconcile(List.of());
            } catch (RuntimeException e) {
                System.err.println("cleanup reconcile failed: " + e);
            }
        }
        List<String> left = HostView.system().namespaces().stream()
                .filter(n -> created.stream().anyMatch(lb -> n.endsWith(lb.id().toString()))).toList();
        assertEquals(List.of(), left, "namespaces left behind");
    }

    private static void assertServes(LiveEnv env, LoadBalancer lb) {
        Map<String, Integer> hits = LiveEnv.byBackend(env.requests(lb, 6));
        assertEquals(6, hits.entrySet().stream().filter(e -> !e.getKey().startsWith("failed")).mapToInt(Map.Entry::getValue).sum(),
                "all requests through " + lb.vip().orElseThrow().address() + " answered: " + hits);
    }

    @Test
    void twoStateDirectoriesWithOnePrefixKeepEachOthersLoadBalancers() {
        LoadBalancer lbA = env.withBackends(env.lb(Protocol.HTTP), "a", "b");
        LoadBalancer lbB = env.withBackends(env.lb(Protocol.HTTP), "c");
        created.add(lbA);
        created.add(lbB);
        a.apply(Optional.empty(), lbA);
        b.apply(Optional.empty(), lbB);
        assertServes(env, lbA);
        assertServes(env, lbB);

        ReconcileReport ra = a.reconcile(List.of(lbA));
        ReconcileReport rb = b.reconcile(List.of(lbB));
        assertEquals(Set.of(lbA.id()), ra.adopted());
        assertEquals(Set.of(lbB.id()), rb.adopted());
        assertEquals(Set.of(), ra.removed());
        assertEquals(Set.of(), rb.removed());
        assertTrue(ra.foreign().contains("namespace qlbaas-" + lbB.id() + ": not recorded in " + temp.resolve("a")), ra.foreign().toString());
        assertTrue(rb.foreign().contains("namespace qlbaas-" + lbA.id() + ": not recorded in " + temp.resolve("b")), rb.foreign().toString());
        // a reconcile with nothing desired removes only its own
        ReconcileReport emptyA = env.newDriver(Map.of("namespace_prefix", "qlbaas-", "state_dir", temp.resolve("a").toString()))
                .reconcile(List.of(lbA));
        assertEquals(Set.of(lbA.id()), emptyA.adopted());
        assertServes(env, lbA);
        assertServes(env, lbB);
        System.out.println("MEASURED foreign reported by a: " + ra.foreign().size() + ", by b: " + rb.foreign().size());

        a.remove(lbA.id());
        assertServes(env, lbB);
        assertTrue(HostView.system().namespaceExists("qlbaas-" + lbB.id()));
        b.remove(lbB.id());
        assertTrue(!HostView.system().namespaceExists("qlbaas-" + lbA.id()) && !HostView.system().namespaceExists("qlbaas-" + lbB.id()),
                "each removed its own: nothing is left");
    }
}
