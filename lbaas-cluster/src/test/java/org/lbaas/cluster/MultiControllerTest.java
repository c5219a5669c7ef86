package org.lbaas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.cluster.ClusterFixture.SUBNET;
import static org.lbaas.cluster.ClusterFixture.TENANT;
import static org.lbaas.cluster.ClusterFixture.done;
import static org.lbaas.cluster.ClusterFixture.eventually;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.ConflictException;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.NotFoundException;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.PoolUpdate;
import org.lbaas.api.PoolView;
import org.lbaas.api.Repository;
import org.lbaas.api.StoredLoadBalancer;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.api.VipCreate;
import org.lbaas.driver.memory.InMemoryDriver;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;

/**
 * Two controllers, each a {@link LoadBalancerService} over its own client, {@link ZooKeeperRepository},
 * {@link ClusterDriver} and {@link Scheduler}, over one store and two agents with in-memory drivers.
 */
class MultiControllerTest extends ZooKeeperTest {

    static final Duration VISIBLE = Duration.ofSeconds(10);

    private final List<InMemoryDriver> dataPlane = new ArrayList<>();
    private LoadBalancerService a;
    private LoadBalancerService b;

    @BeforeEach
    void twoControllersTwoAgents() {
        for (int i = 1; i <= 2; i++) {
            InMemoryDriver d = ClusterFixture.inMemory();
            dataPlane.add(d);
            zk.agent("node-" + i, d);
        }
        a = controller("controller-a");
        b = controller("controller-b");
    }

    private LoadBalancerService controller(String name) {
        CuratorFramework client = zk.client();
        ZooKeeperRepository store = ZooKeeperRepository.create(client);
        Scheduler scheduler = zk.closeLater(Scheduler.builder().client(client).id(name).grace(Duration.ofSeconds(2)).build()
                .start());
        ClusterDriver driver = zk.closeLater(ClusterDriver.builder().client(client).store(store).scheduler(scheduler)
                .applyTimeout(Duration.ofSeconds(15)).build());
        return zk.closeLater(LoadBalancerService.builder().driver(driver).repository(store)
                .subnets(SubnetRegistry.of(SUBNET)).driverDeadline(Duration.ofSeconds(25)).threads(8).build());
    }

    private static PoolView pool(LoadBalancerService on) {
        return done(on.createPool(PoolCreate.of(TENANT, SUBNET.id(), Protocol.HTTP, LbMethod.ROUND_ROBIN)));
    }

    private static boolean visible(LoadBalancerService on, UUID poolId, Status status) {
        try {
            return on.getPool(poolId).pool().status() == status;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** What the data plane runs for a pool: the one agent's driver that runs it. */
    private Optional<LoadBalancer> running(UUID poolId) {
        return dataPlane.stream().map(d -> d.running(poolId)).flatMap(Optional::stream).findFirst();
    }

    @Test
    @DisplayName("a load balancer made on A shows on B with its statuses; B updates it, and A and the data plane follow")
    void visibleAndUpdatableOnTheOther() {
        PoolView p = pool(a);
        Member m = done(a.createMember(MemberCreate.of(TENANT, p.id(), "10.20.1.7", 8080)));
        Vip v = done(a.createVip(VipCreate.of(TENANT, SUBNET.id(), 80, Protocol.HTTP, p.id())));
        long t0 = System.nanoTime();
        eventually("B shows the pool, member and VIP ACTIVE", VISIBLE, () -> visible(b, p.id(), Status.ACTIVE)
                && b.getMember(m.id()).status() == Status.ACTIVE && b.getVip(v.id()).status() == Status.ACTIVE);
        System.out.printf("visible on the other controller after %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        assertEquals(v.address(), b.getVip(v.id()).address());

        PoolView renamed = done(b.updatePool(p.id(), PoolUpdate.empty().withName("renamed-on-b")));
        assertEquals(Status.ACTIVE, renamed.pool().status());
        eventually("A shows B's update, ACTIVE", VISIBLE, () -> a.getPool(p.id()).pool().name().equals("renamed-on-b")
                && a.getPool(p.id()).pool().status() == Status.ACTIVE);
        eventually("the data plane runs B's update", VISIBLE,
                () -> running(p.id()).map(lb -> lb.pool().name().equals("renamed-on-b")).orElse(false));
    }

    @Test
    @DisplayName("20 members added on A and 20 on B to one pool at once: all 40 in ZooKeeper, on both controllers and on the data plane")
    void concurrentMembersLoseNothing() throws Exception {
        PoolView p = pool(a);
        done(a.createVip(VipCreate.of(TENANT, SUBNET.id(), 80, Protocol.HTTP, p.id()))); // deployed: the data plane runs it
        eventually("B shows the pool", VISIBLE, () -> visible(b, p.id(), Status.ACTIVE));
        int each = 20;
        ExecutorService threads = Executors.newFixedThreadPool(2 * each);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Member>> futures = new ArrayList<>();
        long t0;
        try {
            for (int i = 0; i < 2 * each; i++) {
                LoadBalancerService on = i % 2 == 0 ? a : b;
                String address = "10.20.2." + (i + 1);
                Callable<Member> add = () -> {
                    go.await();
                    return done(on.createMember(MemberCreate.of(TENANT, p.id(), address, 8080)));
                };
                futures.add(threads.submit(add));
            }
            t0 = System.nanoTime();
            go.countDown();
            Set<UUID> added = new HashSet<>();
            for (Future<Member> f : futures) {
                try {
                    added.add(f.get(90, TimeUnit.SECONDS).id());
                } catch (ExecutionException e) {
                    throw new AssertionError("a member create failed: " + e.getCause(), e.getCause());
                }
            }
            System.out.printf("40 concurrent member creates on two controllers settled in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            assertEquals(2 * each, added.size());
            StoredLoadBalancer stored = storedInZooKeeper(p.id());
            assertEquals(added, ids(stored.members()), "members in ZooKeeper");
            for (LoadBalancerService on : List.of(a, b)) {
                eventually("every member ACTIVE on " + (on == a ? "A" : "B"), VISIBLE, () -> {
                    List<Member> ms = on.listMembers().stream().filter(m -> m.poolId().equals(p.id())).toList();
                    return ids(ms).equals(added) && ms.stream().allMatch(m -> m.status() == Status.ACTIVE);
                });
            }
            eventually("the data plane runs all 40 members", VISIBLE,
                    () -> running(p.id()).map(lb -> ids(lb.members()).equals(added)).orElse(false));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    @DisplayName("A and B create VIPs with the same requested address at once: one wins, the other gets a conflict naming the address")
    void sameAddressOnlyOnce() throws Exception {
        PoolView p1 = pool(a);
        PoolView p2 = pool(b);
        eventually("both pools on both controllers", VISIBLE, () -> visible(a, p2.id(), Status.ACTIVE)
                && visible(b, p1.id(), Status.ACTIVE));
        InetAddress wanted = InetAddress.getByName("10.20.0.50");
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Vip> onA = threads.submit(() -> {
                go.await();
                return done(a.createVip(VipCreate.of(TENANT, SUBNET.id(), 80, Protocol.HTTP, p1.id()).withAddress(wanted)));
            });
            Future<Vip> onB = threads.submit(() -> {
                go.await();
                return done(b.createVip(VipCreate.of(TENANT, SUBNET.id(), 80, Protocol.HTTP, p2.id()).withAddress(wanted)));
            });
            go.countDown();
            List<Vip> won = new ArrayList<>();
            List<ConflictException> lost = new ArrayList<>();
            for (Future<Vip> f : List.of(onA, onB)) {
                try {
                    won.add(f.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof ConflictException c)) {
                        throw new AssertionError("expected a conflict, got " + e.getCause(), e.getCause());
                    }
                    lost.add(c);
                }
            }
            assertEquals(1, won.size(), "exactly one VIP created: " + won + " " + lost);
            assertEquals(1, lost.size());
            assertEquals(wanted, won.get(0).address());
            ConflictException c = lost.get(0);
            assertEquals(ConflictException.Reason.ADDRESS_IN_USE, c.reason(), c.getMessage());
            assertTrue(c.getMessage().contains("10.20.0.50"), c.getMessage());
            for (LoadBalancerService on : List.of(a, b)) {
                eventually("one VIP with the address on each controller", VISIBLE,
                        () -> on.listVips().stream().filter(v -> v.address().equals(wanted)).count() == 1);
            }
            long inStore = freshLoad().loadBalancers().stream()
                    .filter(lb -> lb.vip().map(v -> v.address().equals(wanted)).orElse(false)).count();
            assertEquals(1, inStore, "VIPs with the address in ZooKeeper");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    @DisplayName("a member and a pool deleted on A disappear from B and from the data plane")
    void deleteOnOneGoneOnTheOther() {
        PoolView p = pool(a);
        Member m = done(a.createMember(MemberCreate.of(TENANT, p.id(), "10.20.1.8", 8080)));
        eventually("B shows the member", VISIBLE, () -> visible(b, p.id(), Status.ACTIVE)
                && b.listMembers().stream().anyMatch(x -> x.id().equals(m.id()) && x.status() == Status.ACTIVE));
        assertEquals(Optional.empty(), done(a.deleteMember(m.id())));
        eventually("the member is gone from B", VISIBLE, () -> b.listMembers().stream().noneMatch(x -> x.id().equals(m.id())));
        assertEquals(Optional.empty(), done(b.deletePool(p.id())));
        eventually("the pool is gone from A", VISIBLE, () -> a.listPools().stream().noneMatch(x -> x.id().equals(p.id())));
        assertThrows(NotFoundException.class, () -> a.getPool(p.id()));
        eventually("the data plane runs nothing", VISIBLE, () -> running(p.id()).isEmpty());
    }

    private Repository.Contents freshLoad() {
        return ZooKeeperRepository.create(zk.client()).load();
    }

    private StoredLoadBalancer storedInZooKeeper(UUID poolId) {
        return freshLoad().loadBalancers().stream().filter(lb -> lb.id().equals(poolId)).findFirst().orElseThrow();
    }

    private static Set<UUID> ids(List<Member> members) {
        Set<UUID> out = new HashSet<>();
        members.forEach(m -> out.add(m.id()));
        return out;
    }
}
