package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.api.Fixtures.SUBNET;
import static org.lbaas.api.Fixtures.SUBNET_ID;
import static org.lbaas.api.Fixtures.TENANT;
import static org.lbaas.api.Fixtures.done;
import static org.lbaas.api.Fixtures.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;

/** A service restarted on the same store sees everything acknowledged; crashes lose nothing acknowledged. */
class RestartTest {

    @TempDir
    Path dir;

    /** A TCP round-robin pool of {@link Fixtures#TENANT} as a crash may have left it in the store. */
    private static Pool storedPool(UUID id, Status status) {
        return Pool.builder().id(id).tenantId(TENANT).subnetId(SUBNET_ID).protocol(Protocol.TCP)
                .lbMethod(LbMethod.ROUND_ROBIN).status(status).build();
    }

    /** A member on port 80 of a stored pool, as a builder for whatever else a test sets. */
    private static Member.Builder storedMember(UUID id, UUID poolId, String address, Status status) {
        return Member.builder().id(id).tenantId(TENANT).poolId(poolId).address(address).protocolPort(80).status(status);
    }

    @Test
    @DisplayName("a new service over the same file store sees the same objects and reconciles them with the driver")
    void restartSeesEverything() {
        FakeDriver first = new FakeDriver();
        PoolView pool;
        Member member;
        HealthMonitorView monitor;
        Vip vip;
        LoadBalancer lb;
        try (LoadBalancerService s = Fixtures.builder(first).repository(Repository.fileStore(dir)).build()) {
            pool = done(s.createPool(pool(Protocol.HTTP).withName("web")));
            member = done(s.createMember(MemberCreate.of(TENANT, pool.id(), "2001:db8::10", 8080).withWeight(3)));
            monitor = done(s.createHealthMonitor(HealthMonitorCreate.of(TENANT, MonitorType.HTTP, 5, 3, 2)));
            done(s.associate(pool.id(), monitor.id()));
            vip = done(s.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, pool.id())
                    .withSessionPersistence(SessionPersistence.appCookie("SID")).withConnectionLimit(500)));
            pool = s.getPool(pool.id());
            monitor = s.getHealthMonitor(monitor.id());
            lb = s.loadBalancer(pool.id());
        }
        FakeDriver second = new FakeDriver();
        try (LoadBalancerService s = Fixtures.builder(second).repository(Repository.fileStore(dir)).build()) {
            assertEquals(List.of(pool), s.listPools());
            assertEquals(member, s.getMember(member.id()));
            assertEquals(monitor, s.getHealthMonitor(monitor.id()));
            assertEquals(vip, s.getVip(vip.id()));
            assertEquals(lb, s.loadBalancer(pool.id()));
            assertEquals(List.of(List.of(lb)), second.reconciles);
            // nothing was pending, so nothing is applied again
            assertEquals(0, second.applies.get());
            // and it goes on working
            Vip renamed = done(s.updateVip(vip.id(), VipUpdate.empty().withName("renamed")));
            assertEquals(vip.sessionPersistence(), renamed.sessionPersistence());
        }
    }

    @Test
    @DisplayName("what a crash left PENDING is re-applied on start: creates and updates become ACTIVE, deletes finish")
    void pendingIsReapplied() {
        Repository repo = Repository.inMemory();
        UUID poolId = UUID.randomUUID();
        Pool p = storedPool(poolId, Status.PENDING_UPDATE);
        Member created = storedMember(UUID.randomUUID(), poolId, "192.0.2.1", Status.PENDING_CREATE).build();
        Member deleted = storedMember(UUID.randomUUID(), poolId, "192.0.2.2", Status.PENDING_DELETE).build();
        Member steady = storedMember(UUID.randomUUID(), poolId, "192.0.2.3", Status.DISABLED).adminStateUp(false).build();
        HealthMonitor hm = HealthMonitor.builder().id(UUID.randomUUID()).tenantId(TENANT).type(MonitorType.TCP).build();
        repo.save(hm);
        repo.save(new StoredLoadBalancer(3, p, SUBNET, Optional.empty(), Optional.empty(), List.of(created, deleted, steady),
                List.of(new PoolMonitorAssociation(poolId, hm.id(), Status.PENDING_CREATE, ""))));
        FakeDriver driver = new FakeDriver();
        try (LoadBalancerService s = Fixtures.builder(driver).repository(repo).build()) {
            // reconcile is told the desired state: the member being deleted is not in it
            assertEquals(List.of(created.id(), steady.id()), driver.reconciles.get(0).iterator().next().members().stream()
                    .map(Member::id).toList());
            eventually(() -> !s.getPool(poolId).pool().status().isPending());
            assertEquals(Status.ACTIVE, s.getPool(poolId).pool().status());
            assertEquals(Status.ACTIVE, s.getMember(created.id()).status());
            assertEquals(Status.DISABLED, s.getMember(steady.id()).status());
            assertThrows(NotFoundException.class, () -> s.getMember(deleted.id()));
            assertEquals(Status.ACTIVE, s.getPool(poolId).healthMonitorsStatus().get(0).status());
            StoredLoadBalancer after = repo.load().loadBalancers().get(0);
            assertEquals(2, after.members().size());
            assertTrue(after.members().stream().noneMatch(m -> m.status().isPending()));
        }
    }

    @Test
    @DisplayName("a pool left PENDING_DELETE by a crash is removed on start")
    void pendingPoolDeleteFinishes() {
        Repository repo = Repository.inMemory();
        UUID poolId = UUID.randomUUID();
        Pool p = storedPool(poolId, Status.PENDING_DELETE);
        repo.save(new StoredLoadBalancer(1, p, SUBNET, Optional.empty(), Optional.empty(), List.of(), List.of()));
        FakeDriver driver = new FakeDriver();
        try (LoadBalancerService s = Fixtures.builder(driver).repository(repo).build()) {
            eventually(() -> s.listPools().isEmpty());
            assertEquals(List.of(), driver.reconciles.get(0), "a pool being deleted is not desired");
            assertEquals(1, driver.removes.get());
            assertEquals(List.of(), repo.load().loadBalancers());
        }
    }

    @Test
    @DisplayName("a member move cut by a crash between its two writes keeps the member once, in the newer document")
    void interruptedMove() {
        Repository repo = Repository.inMemory();
        Pool a = storedPool(UUID.randomUUID(), Status.ACTIVE);
        Pool b = a.toBuilder().id(UUID.randomUUID()).build();
        UUID memberId = UUID.randomUUID();
        Member inA = storedMember(memberId, a.id(), "192.0.2.1", Status.ACTIVE).build();
        Member inB = inA.toBuilder().poolId(b.id()).weight(9).status(Status.PENDING_UPDATE).build();
        // the target (b) was written with revision 8; the source (a) still has its older document
        repo.save(new StoredLoadBalancer(5, a, SUBNET, Optional.empty(), Optional.empty(), List.of(inA), List.of()));
        repo.save(new StoredLoadBalancer(8, b, SUBNET, Optional.empty(), Optional.empty(), List.of(inB), List.of()));
        try (LoadBalancerService s = Fixtures.builder(new FakeDriver()).repository(repo).build()) {
            eventually(() -> !s.getMember(memberId).status().isPending());
            assertEquals(b.id(), s.getMember(memberId).poolId());
            assertEquals(9, s.getMember(memberId).weight());
            assertEquals(List.of(), s.getPool(a.id()).memberIds());
            assertEquals(1, s.listMembers().size());
        }
        Map<UUID, Integer> counts = new java.util.HashMap<>();
        repo.load().loadBalancers().forEach(lb -> counts.put(lb.id(), lb.members().size()));
        assertEquals(Map.of(a.id(), 0, b.id(), 1), counts, "the repaired documents were written back");
    }

    @Test
    @DisplayName("a write interrupted before its rename keeps the acknowledged document intact")
    void crashBeforeRename() throws IOException {
        AtomicBoolean crash = new AtomicBoolean();
        FileRepository crashing = new FileRepository(dir, () -> {
            if (crash.get()) {
                throw new IllegalStateException("simulated crash between write and rename");
            }
        });
        PoolView p;
        Member m;
        try (LoadBalancerService s = Fixtures.builder(new FakeDriver()).repository(crashing).build()) {
            p = done(s.createPool(pool(Protocol.TCP)));
            m = done(s.createMember(MemberCreate.of(TENANT, p.id(), "192.0.2.1", 80)));
            crash.set(true);
            StorageException e = assertThrows(StorageException.class,
                    () -> s.createMember(MemberCreate.of(TENANT, p.id(), "192.0.2.2", 80)));
            assertEquals(ObjectKind.POOL, e.kind());
            assertEquals(p.id().toString(), e.id());
            // the refused change was taken back in memory too
            assertEquals(List.of(m.id()), s.getPool(p.id()).memberIds());
            assertEquals(List.of(m), s.listMembers());
            crash.set(false);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "the temporary file was cleaned up");
        }
        try (LoadBalancerService s = Fixtures.builder(new FakeDriver()).repository(Repository.fileStore(dir)).build()) {
            assertEquals(List.of(m), s.listMembers());
            assertEquals(p.pool().id(), s.getPool(p.id()).pool().id());
        }
    }

    @Test
    @DisplayName("a temporary file left by a crashed writer (torn write, no rename) is ignored and deleted on load")
    void leftoverTempFile() throws IOException {
        PoolView p;
        try (LoadBalancerService s = Fixtures.builder(new FakeDriver()).repository(Repository.fileStore(dir)).build()) {
            p = done(s.createPool(pool(Protocol.TCP).withName("kept")));
        }
        Process gone = new ProcessBuilder("true").start();
        try {
            gone.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Path torn = dir.resolve(".pool-" + p.id() + "." + gone.pid() + "-123456.tmp");
        Files.writeString(torn, "{\"format\":1,\"revision\":99,\"pool\":{\"id\":\"" + p.id() + "\",\"na");
        try (LoadBalancerService s = Fixtures.builder(new FakeDriver()).repository(Repository.fileStore(dir)).build()) {
            assertEquals("kept", s.getPool(p.id()).pool().name());
            assertEquals(Status.ACTIVE, s.getPool(p.id()).pool().status());
        }
        assertFalse(Files.exists(torn));
    }

    @Test
    @DisplayName("a failing store refuses the change, and a failing status write leaves the change to be re-applied")
    void failingStore() {
        FlakyRepository store = new FlakyRepository();
        AtomicBoolean fail = store.failing;
        Repository inner = store.inner;
        Repository flaky = store.repository;
        FakeDriver driver = new FakeDriver();
        try (LoadBalancerService s = Fixtures.builder(driver).repository(flaky).driverDeadline(Duration.ofSeconds(5)).build()) {
            PoolView p = done(s.createPool(pool(Protocol.TCP)));
            fail.set(true);
            assertThrows(StorageException.class, () -> s.updatePool(p.id(), PoolUpdate.empty().withName("lost")));
            assertThrows(StorageException.class, () -> s.createHealthMonitor(HealthMonitorCreate.of(TENANT, MonitorType.TCP, 5, 5, 3)));
            assertEquals("", s.getPool(p.id()).pool().name());
            assertEquals(List.of(), s.listHealthMonitors());
            assertEquals(1, driver.applies.get(), "a refused change never reaches the driver");
            fail.set(false);
            assertEquals("kept", done(s.updatePool(p.id(), PoolUpdate.empty().withName("kept"))).pool().name());
        }
        assertEquals("kept", inner.load().loadBalancers().get(0).pool().name());
    }

    private static void eventually(java.util.function.BooleanSupplier condition) {
        Fixtures.eventually("the restarted service settled", Duration.ofSeconds(10), condition);
    }
}
