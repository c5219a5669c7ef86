package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.api.Fixtures.SUBNET_ID;
import static org.lbaas.api.Fixtures.TENANT;
import static org.lbaas.api.Fixtures.done;
import static org.lbaas.api.Fixtures.eventually;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.model.Member;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;

/** Two services over one {@linkplain Repository.Shared shared} store: each follows the other's changes and loses none. */
class SharedStoreServiceTest {

    static final Duration VISIBLE = Duration.ofSeconds(10);

    private final SharedMemoryStore store = new SharedMemoryStore();
    private LoadBalancerService a;
    private LoadBalancerService b;

    @BeforeEach
    void twoServices() {
        a = Fixtures.builder(new FakeDriver()).repository(store.view()).build();
        b = Fixtures.builder(new FakeDriver()).repository(store.view()).build();
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    @DisplayName("a pool and member made on A show on B with their statuses; B's update shows on A; a delete on B goes from A")
    void followsTheOther() {
        PoolView p = done(a.createPool(Fixtures.pool(Protocol.HTTP)));
        Member m = done(a.createMember(MemberCreate.of(TENANT, p.id(), "10.0.0.7", 80)));
        eventually("B shows them ACTIVE", VISIBLE, () -> b.listMembers().stream()
                .anyMatch(x -> x.id().equals(m.id()) && x.status() == Status.ACTIVE)
                && b.getPool(p.id()).pool().status() == Status.ACTIVE);
        done(b.updatePool(p.id(), PoolUpdate.empty().withName("by-b")));
        eventually("A shows B's name", VISIBLE, () -> a.getPool(p.id()).pool().name().equals("by-b"));
        done(b.deleteMember(m.id()));
        done(b.deletePool(p.id()));
        eventually("the pool is gone from A", VISIBLE, () -> a.listPools().isEmpty());
        assertThrows(NotFoundException.class, () -> a.getPool(p.id()));
    }

    @Test
    @DisplayName("20 members on A and 20 on B added to one pool at once: all 40 stored and shown on both, conflicts retried")
    void concurrentMembers() throws Exception {
        PoolView p = done(a.createPool(Fixtures.pool(Protocol.HTTP)));
        eventually("B shows the pool", VISIBLE, () -> b.listPools().size() == 1);
        ExecutorService threads = Executors.newFixedThreadPool(40);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Member>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                LoadBalancerService on = i % 2 == 0 ? a : b;
                String address = "10.0.0." + (100 + i);
                futures.add(threads.submit(() -> {
                    go.await();
                    return done(on.createMember(MemberCreate.of(TENANT, p.id(), address, 80)));
                }));
            }
            go.countDown();
            Set<UUID> added = new HashSet<>();
            for (Future<Member> f : futures) {
                try {
                    added.add(f.get(60, TimeUnit.SECONDS).id());
                } catch (ExecutionException e) {
                    throw new AssertionError("a create failed: " + e.getCause(), e.getCause());
                }
            }
            assertEquals(40, added.size());
            Set<UUID> stored = new HashSet<>();
            store.loadBalancer(p.id()).orElseThrow().members().forEach(x -> stored.add(x.id()));
            assertEquals(added, stored);
            for (LoadBalancerService on : List.of(a, b)) {
                eventually("all 40 ACTIVE on each service", VISIBLE, () -> {
                    List<Member> ms = on.listMembers();
                    return ms.size() == 40 && ms.stream().allMatch(x -> x.status() == Status.ACTIVE);
                });
            }
            assertTrue(store.conflicts > 0, "the two services did conflict (else the test proves nothing)");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    @DisplayName("the same requested VIP address on A and B at once: one VIP gets it, the other call is a conflict naming it")
    void sameAddressOnce() throws Exception {
        PoolView p1 = done(a.createPool(Fixtures.pool(Protocol.HTTP)));
        PoolView p2 = done(b.createPool(Fixtures.pool(Protocol.HTTP)));
        eventually("both pools on both", VISIBLE, () -> a.listPools().size() == 2 && b.listPools().size() == 2);
        InetAddress wanted = InetAddress.getByName("10.0.0.50");
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Vip>> calls = List.of(
                    threads.submit(() -> {
                        go.await();
                        return done(a.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, p1.id()).withAddress(wanted)));
                    }),
                    threads.submit(() -> {
                        go.await();
                        return done(b.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, p2.id()).withAddress(wanted)));
                    }));
            go.countDown();
            int won = 0;
            List<ConflictException> lost = new ArrayList<>();
            for (Future<Vip> f : calls) {
                try {
                    assertEquals(wanted, f.get(30, TimeUnit.SECONDS).address());
                    won++;
                } catch (ExecutionException e) {
                    lost.add((ConflictException) e.getCause());
                }
            }
            assertEquals(1, won);
            assertEquals(1, lost.size());
            assertEquals(ConflictException.Reason.ADDRESS_IN_USE, lost.get(0).reason());
            assertTrue(lost.get(0).getMessage().contains("10.0.0.50"), lost.get(0).getMessage());
            assertEquals(1, store.loadBalancers().stream().filter(lb -> lb.vip().isPresent()).count());
        } finally {
            threads.shutdownNow();
        }
    }
}
