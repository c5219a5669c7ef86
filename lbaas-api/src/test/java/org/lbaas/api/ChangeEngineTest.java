package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;

@DisplayName("the change engine")
class ChangeEngineTest {

    private static final UUID POOL = UUID.fromString("00000000-0000-4000-8000-00000000000a");

    private final ServiceState state = new ServiceState();
    private final FlakyRepository repository = new FlakyRepository();
    private final FakeDriver driver = new FakeDriver();
    private final ExecutorService notifier = Executors.newSingleThreadExecutor();
    private final ChangeEngine engine = new ChangeEngine(state, repository.repository, Clock.systemUTC(), StatusListener.NONE, notifier);
    private final DriverRunner runner = new DriverRunner(state, engine, driver, Duration.ofSeconds(5),
            Executors.newFixedThreadPool(2), true, Executors.newSingleThreadScheduledExecutor(),
            ServiceMetrics.NONE);

    {
        engine.attach(runner);
    }

    @AfterEach
    void stop() {
        synchronized (state.lock) {
            state.close();
        }
        runner.stopTimer();
        runner.stopExecutor();
        notifier.shutdownNow();
    }

    private static TrackedLoadBalancer lb(String name) {
        Pool pool = Pool.builder().id(POOL).tenantId(Fixtures.TENANT).subnetId(Fixtures.SUBNET_ID).protocol(Protocol.HTTP)
                .name(name).build();
        return TrackedLoadBalancer.create(pool, Fixtures.SUBNET);
    }

    /** Stores the pool as {@code next} (pending since this change) and waits for its pool's status. */
    private Pending<Status> put(TrackedLoadBalancer next) {
        return engine.change(() -> ChangeEngine.Plan.of(List.of(), List.of(POOL)), tx -> {
            engine.stage(tx, POOL, next.pendingSince(POOL, tx.version).withRevision(tx.version));
            return engine.pending(tx, next.pool().status(), List.of(ObjectKey.pool(POOL)),
                    () -> state.lbOrThrow(POOL).pool().status());
        });
    }

    private Optional<TrackedLoadBalancer> inMemory() {
        synchronized (state.lock) {
            return state.loadBalancer(POOL);
        }
    }

    @Test
    @DisplayName("a change is written before it returns, applied by the driver, and its stage completes once settled")
    void writtenAppliedSettled() {
        Pending<Status> p = put(lb("web"));
        assertEquals(Status.PENDING_CREATE, p.accepted());
        assertEquals(1, repository.inner.load().loadBalancers().size());
        assertEquals(Status.ACTIVE, Fixtures.await(p.outcome()));
        assertEquals("web", driver.applied.get(POOL).pool().name());
        assertEquals(Status.ACTIVE, repository.inner.load().loadBalancers().get(0).pool().status());
        assertEquals(Status.ACTIVE, inMemory().orElseThrow().pool().status());
        assertTrue(inMemory().orElseThrow().pending().isEmpty());
    }

    @Test
    @DisplayName("a refused change leaves memory, the repository and the runner as they were")
    void refused() {
        ConflictException e = assertThrows(ConflictException.class,
                () -> engine.change(() -> ChangeEngine.Plan.of(List.of(), List.of(POOL)), tx -> {
                    engine.stage(tx, POOL, lb("web").pendingSince(POOL, tx.version).withRevision(tx.version));
                    throw new ConflictException(ObjectKind.POOL, "", ConflictException.Reason.IN_USE, "refused");
                }));
        assertEquals("refused", e.getMessage());
        assertEquals(Optional.empty(), inMemory());
        synchronized (state.lock) {
            assertEquals(Optional.empty(), runner.runtime(POOL));
        }
        assertEquals(0, repository.saves.get());
        assertEquals(0, driver.applies.get());
    }

    @Test
    @DisplayName("a failed write restores memory, tries to write the previous document back, and throws")
    void failedWrite() {
        Fixtures.done(put(lb("web")));
        int applies = driver.applies.get();
        int saves = repository.saves.get();
        repository.failing.set(true);
        TrackedLoadBalancer renamed = inMemory().orElseThrow();
        renamed = renamed.withPool(renamed.pool().toBuilder().name("renamed").status(Status.PENDING_UPDATE).build());
        TrackedLoadBalancer next = renamed;
        StorageException e = assertThrows(StorageException.class, () -> put(next));
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
        assertEquals("web", inMemory().orElseThrow().pool().name());
        assertEquals(Status.ACTIVE, inMemory().orElseThrow().pool().status());
        assertEquals(saves + 2, repository.saves.get());
        assertEquals(applies, driver.applies.get());
        repository.failing.set(false);
        assertEquals("web", repository.inner.load().loadBalancers().get(0).pool().name());
    }

    @Test
    @DisplayName("the service's own change that changes nothing writes nothing")
    void internalNothing() {
        Fixtures.done(put(lb("web")));
        int saves = repository.saves.get();
        ReentrantLock lock;
        synchronized (state.lock) {
            lock = runner.runtime(POOL).orElseThrow().writeLock;
        }
        engine.internal(lock, () -> null);
        assertEquals(saves, repository.saves.get());
        assertFalse(lock.isLocked());
    }
}
