package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.api.Fixtures.SUBNET_ID;
import static org.lbaas.api.Fixtures.TENANT;
import static org.lbaas.api.Fixtures.done;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;

/**
 * Many threads change many load balancers at once, with random operations (including moves that
 * lock two pools and monitor updates that lock several). Afterwards every outcome completed, no
 * object is pending, and the service, the driver and the file store agree.
 */
class ConcurrencyTest {

    static final int THREADS = 8;
    static final int POOLS = 20;
    static final int OPS_PER_THREAD = 60;

    @Test
    void randomOperationsFromManyThreadsAgreeEverywhere(@TempDir Path dir) throws Exception {
        FakeDriver driver = new FakeDriver();
        Repository store = Repository.fileStore(dir);
        LoadBalancerService service = Fixtures.builder(driver).repository(store).threads(4)
                .driverDeadline(Duration.ofSeconds(20)).build();
        List<UUID> pools = new ArrayList<>();
        List<UUID> monitors = new ArrayList<>();
        for (int i = 0; i < POOLS; i++) {
            Protocol protocol = i % 2 == 0 ? Protocol.HTTP : Protocol.TCP;
            pools.add(done(service.createPool(PoolCreate.of(TENANT, SUBNET_ID, protocol, LbMethod.ROUND_ROBIN))).id());
        }
        for (int i = 0; i < 4; i++) {
            monitors.add(done(service.createHealthMonitor(HealthMonitorCreate.of(TENANT, MonitorType.TCP, 5, 2, 3))).id());
        }
        List<CompletionStage<?>> outcomes = Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicInteger> refused = Collections.synchronizedMap(new HashMap<>());
        AtomicInteger accepted = new AtomicInteger();
        List<Throwable> unexpected = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = 1000L + t;
                futures.add(callers.submit(() -> {
                    Random random = new Random(seed);
                    go.await();
                    for (int i = 0; i < OPS_PER_THREAD; i++) {
                        try {
                            Pending<?> p = randomOperation(service, random, pools, monitors);
                            outcomes.add(p.outcome());
                            accepted.incrementAndGet();
                        } catch (NotFoundException | ConflictException | InvalidStateException | InvalidRequestException e) {
                            refused.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                        } catch (RuntimeException | Error e) {
                            unexpected.add(e);
                        }
                    }
                    return null;
                }));
            }
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                go.countDown();
                for (Future<?> f : futures) {
                    f.get();
                }
                for (CompletionStage<?> o : List.copyOf(outcomes)) {
                    try {
                        Fixtures.await(o);
                    } catch (NotFoundException e) {
                        // the object was deleted by another thread before it settled: a valid outcome
                    }
                }
            }, "deadlock or an outcome that never completed");
        } finally {
            callers.shutdownNow();
            assertTrue(callers.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of(), unexpected);
        assertTrue(accepted.get() > THREADS * OPS_PER_THREAD / 2, "most operations were accepted: " + accepted + " " + refused);
        assertEquals(List.of(), driver.overlaps, "the driver was called twice at once for one load balancer");

        // Nothing is pending, and the driver was last told exactly what the service holds.
        for (PoolView view : service.listPools()) {
            assertFalse(view.pool().status().isPending(), view.toString());
            assertTrue(view.healthMonitorsStatus().stream().noneMatch(a -> a.status().isPending()), view.toString());
            LoadBalancer held = service.loadBalancer(view.id());
            assertEquals(settled(held), settled(driver.applied.get(view.id())), "driver view of " + view.id());
        }
        assertTrue(service.listMembers().stream().noneMatch(m -> m.status().isPending()));
        assertTrue(service.listVips().stream().noneMatch(v -> v.status().isPending()));
        assertTrue(service.listMembers().stream().allMatch(m -> m.status() == Status.ACTIVE || m.status() == Status.DISABLED));
        Set<UUID> live = service.listPools().stream().map(PoolView::id).collect(Collectors.toSet());
        assertEquals(live, driver.applied.keySet(), "deleted pools were removed from the driver");

        // The store holds the same objects with the same statuses.
        Repository.Contents stored = new FileRepository(dir, () -> { }).load();
        Map<UUID, StoredLoadBalancer> byId = stored.loadBalancers().stream()
                .collect(Collectors.toMap(StoredLoadBalancer::id, s -> s));
        assertEquals(live, byId.keySet());
        for (PoolView view : service.listPools()) {
            StoredLoadBalancer s = byId.get(view.id());
            assertEquals(view.pool(), s.pool());
            assertEquals(view.vipId().map(service::getVip), s.vip());
            assertEquals(view.memberIds().stream().map(service::getMember).toList(), s.members());
            assertEquals(view.healthMonitorsStatus(), s.associations());
        }
        assertEquals(service.listHealthMonitors().stream().map(HealthMonitorView::monitor).collect(Collectors.toSet()),
                Set.copyOf(stored.healthMonitors()));

        // A service restarted on the store sees the same.
        List<PoolView> before = service.listPools();
        List<Member> membersBefore = service.listMembers();
        service.close();
        try (LoadBalancerService again = Fixtures.builder(new FakeDriver()).repository(Repository.fileStore(dir)).build()) {
            assertEquals(Set.copyOf(before), Set.copyOf(again.listPools()));
            assertEquals(Set.copyOf(membersBefore), Set.copyOf(again.listMembers()));
        }
    }

    /** Performs one random operation; returns its pending result. */
    private static Pending<?> randomOperation(LoadBalancerService s, Random r, List<UUID> pools, List<UUID> monitors) {
        UUID pool = pools.get(r.nextInt(pools.size()));
        int dice = r.nextInt(100);
        if (dice < 25) {
            return s.createMember(MemberCreate.of(TENANT, pool, "192.0.2." + (1 + r.nextInt(12)), 80 + r.nextInt(2)));
        }
        List<Member> members = s.listMembers();
        if (dice < 40 && !members.isEmpty()) {
            Member m = members.get(r.nextInt(members.size()));
            MemberUpdate u = MemberUpdate.empty().withWeight(r.nextInt(257));
            if (r.nextInt(4) == 0) {
                u = u.withPoolId(pool);
            }
            if (r.nextInt(5) == 0) {
                u = u.withAdminStateUp(r.nextBoolean());
            }
            return s.updateMember(m.id(), u);
        }
        if (dice < 50 && !members.isEmpty()) {
            return s.deleteMember(members.get(r.nextInt(members.size())).id());
        }
        if (dice < 58) {
            return s.updatePool(pool, PoolUpdate.empty().withLbMethod(LbMethod.values()[r.nextInt(3)])
                    .withAdminStateUp(r.nextInt(6) != 0));
        }
        UUID monitor = monitors.get(r.nextInt(monitors.size()));
        if (dice < 66) {
            return s.associate(pool, monitor);
        }
        if (dice < 72) {
            return s.disassociate(pool, monitor);
        }
        if (dice < 76) {
            return s.updateHealthMonitor(monitor, HealthMonitorUpdate.empty().withTiming(5 + r.nextInt(5), 1 + r.nextInt(4)));
        }
        if (dice < 84) {
            PoolView view = s.getPool(pool);
            return s.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, view.pool().protocol(), pool));
        }
        List<Vip> vips = s.listVips();
        if (dice < 93 && !vips.isEmpty()) {
            Vip v = vips.get(r.nextInt(vips.size()));
            VipUpdate u = VipUpdate.empty().withConnectionLimit(r.nextInt(1000));
            if (r.nextBoolean()) {
                u = u.withSessionPersistence(SessionPersistence.sourceIp());
            }
            if (r.nextInt(6) == 0) {
                u = u.withPoolId(pool);
            }
            return s.updateVip(v.id(), u);
        }
        if (dice < 98 && !vips.isEmpty()) {
            return s.deleteVip(vips.get(r.nextInt(vips.size())).id());
        }
        return r.nextBoolean() ? s.retry(pool) : s.deletePool(pool);
    }

    /** The load balancer with every status made ACTIVE, to compare what was applied with what is held. */
    private static LoadBalancer settled(LoadBalancer lb) {
        return new LoadBalancer(lb.subnet(), lb.pool().withStatus(Status.ACTIVE, ""),
                lb.vip().map(v -> v.withStatus(Status.ACTIVE, "")),
                lb.members().stream().map(m -> m.withStatus(Status.ACTIVE, "")).toList(),
                lb.healthMonitors());
    }
}
