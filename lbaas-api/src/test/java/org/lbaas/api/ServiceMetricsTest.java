package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.lbaas.api.Fixtures.SUBNET_ID;
import static org.lbaas.api.Fixtures.TENANT;
import static org.lbaas.api.Fixtures.done;
import static org.lbaas.api.Fixtures.eventually;
import static org.lbaas.api.Fixtures.pool;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.Observation;
import org.lbaas.model.Member;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;

/** The service's meters in a {@link SimpleMeterRegistry}, over the fake driver. */
class ServiceMetricsTest {

    final FakeDriver driver = new FakeDriver();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LoadBalancerService service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    LoadBalancerService start() {
        service = Fixtures.builder(driver).meterRegistry(registry).poolMetricsInterval(Duration.ofMillis(20))
                .selfHealing(Duration.ofMillis(20)).build();
        return service;
    }

    long driverCalls(String operation, String result, String exception) {
        Timer t = registry.find("lbaas.driver.calls").tags("operation", operation, "result", result, "exception", exception)
                .timer();
        return t == null ? 0 : t.count();
    }

    double transitions(String kind, String status) {
        var c = registry.find("lbaas.status.transitions").tags("kind", kind, "status", status).counter();
        return c == null ? 0 : c.count();
    }

    double loadBalancers(String status) {
        return registry.get("lbaas.load.balancers").tag("status", status).gauge().value();
    }

    double poolTraffic(UUID poolId, String direction) {
        FunctionCounter c = registry.find("lbaas.pool.traffic").tags("pool_id", poolId.toString(), "direction", direction)
                .functionCounter();
        return c == null ? -1 : c.count();
    }

    @Test
    @DisplayName("create, update and delete are counted: driver calls by operation, status transitions, load balancers by status, pool counters")
    void lifecycle() {
        start();
        assertEquals(1, driverCalls("reconcile", "success", "none"), "the start-up reconcile is timed");
        PoolView p = done(service.createPool(pool(Protocol.HTTP)));
        UUID id = p.id();
        Member m = done(service.createMember(MemberCreate.of(TENANT, id, "10.0.0.5", 80)));
        Vip v = done(service.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, id)));
        done(service.updatePool(id, PoolUpdate.empty().withName("renamed")));

        assertEquals(4, driverCalls("apply", "success", "none"), "create pool, member, vip and update pool");
        eventually("pool transitions counted", Duration.ofSeconds(5), () -> transitions("pool", "active") == 2);
        assertEquals(1, transitions("pool", "pending_create"));
        assertEquals(1, transitions("pool", "pending_update"));
        assertEquals(1, transitions("member", "active"));
        assertEquals(1, transitions("vip", "active"));
        assertEquals(1, loadBalancers("active"));
        assertEquals(0, loadBalancers("error"));
        eventually("self-healing probes timed", Duration.ofSeconds(5), () -> driverCalls("probe", "success", "none") > 0);

        // The driver's counters become per-pool meters, refreshed through observe.
        driver.observations.put(id, new Observation(new PoolStats(1200, 3400, 2, 7), Map.of(m.id(), MemberHealth.UP), false));
        // a refresh registers the pool's meters one after the other: wait for the last of them too
        eventually("pool counters read from observe", Duration.ofSeconds(5), () -> poolTraffic(id, "out") == 3400
                && registry.find("lbaas.pool.members").tag("pool_id", id.toString()).gauges().size()
                        == MemberHealth.values().length);
        assertEquals(1200, poolTraffic(id, "in"));
        Meter.Id connections = registry.get("lbaas.pool.connections").tag("pool_id", id.toString()).functionCounter().getId();
        assertEquals(7, registry.get(connections.getName()).tags(connections.getTags()).functionCounter().count());
        assertEquals(2, registry.get("lbaas.pool.connections.active").tag("pool_id", id.toString()).gauge().value());
        assertEquals(1, registry.get("lbaas.pool.members").tags("pool_id", id.toString(), "health", "up").gauge().value());
        assertEquals(0, registry.get("lbaas.pool.members").tags("pool_id", id.toString(), "health", "down").gauge().value());
        assertEquals(Optional.of("bytes"), Optional.ofNullable(
                registry.get("lbaas.pool.traffic").tag("direction", "in").functionCounter().getId().getBaseUnit()));

        done(service.deleteVip(v.id()));
        done(service.deleteMember(m.id()));
        done(service.deletePool(id));
        assertEquals(1, driverCalls("remove", "success", "none"));
        eventually("deletions counted", Duration.ofSeconds(5), () -> transitions("pool", "deleted") == 1);
        assertEquals(1, transitions("vip", "deleted"));
        assertEquals(1, transitions("member", "deleted"));
        assertEquals(0, loadBalancers("active"));
        eventually("a deleted pool's meters are removed", Duration.ofSeconds(5),
                () -> registry.find("lbaas.pool.traffic").tag("pool_id", id.toString()).functionCounter() == null);
        assertEquals(0, driverCalls("apply", "error", "DriverException"));
        for (Meter meter : registry.getMeters()) {
            if (!meter.getId().getName().startsWith("lbaas.pool.")) {
                assertNull(meter.getId().getTag("pool_id"), meter.getId() + ": only lbaas.pool.* meters name a pool");
            }
        }
    }

    @Test
    @DisplayName("a driver call that outlives the deadline is counted by reason, and its pool in ERROR")
    void deadlineExceeded() {
        service = Fixtures.builder(driver).meterRegistry(registry).driverDeadline(Duration.ofMillis(200)).build();
        driver.gate = new CountDownLatch(1);
        try {
            PoolView p = done(service.createPool(pool(Protocol.TCP)));
            assertEquals(Status.ERROR, p.pool().status());
            assertEquals("driver did not finish within 200 ms", p.pool().statusDescription());
            assertEquals(1, registry.get("lbaas.driver.deadlines.exceeded").tag("reason", "in_call").counter().count());
            assertEquals(1, loadBalancers("error"));
        } finally {
            driver.gate.countDown();
        }
        // The hung call is timed when it finally returns.
        eventually("the late apply is timed", Duration.ofSeconds(5), () -> driverCalls("apply", "success", "none") == 1);
    }

    @Test
    @DisplayName("a driver failure is timed as an error by exception, the pool counted in ERROR")
    void driverFailure() {
        driver.failure = lb -> new DriverException("no capacity", "out of namespaces", false);
        start();
        PoolView p = done(service.createPool(pool(Protocol.TCP)));
        assertEquals(Status.ERROR, p.pool().status());

        assertEquals(1, driverCalls("apply", "error", "DriverException"));
        assertEquals(0, driverCalls("apply", "success", "none"));
        eventually("the ERROR transition is counted", Duration.ofSeconds(5), () -> transitions("pool", "error") == 1);
        assertEquals(0, transitions("pool", "active"));
        assertEquals(1, loadBalancers("error"));
        assertEquals(0, loadBalancers("active"));

        driver.failure = lb -> null;
        assertEquals(Status.ACTIVE, done(service.retry(p.id())).pool().status());
        assertEquals(1, driverCalls("apply", "success", "none"));
        assertEquals(0, loadBalancers("error"));
        assertEquals(1, loadBalancers("active"));
    }

    @Test
    @DisplayName("failed API calls are counted by exception and object kind, and rethrown unchanged")
    void serviceErrors() {
        start();
        UUID missing = UUID.randomUUID();
        NotFoundException e = assertThrows(NotFoundException.class, () -> service.getPool(missing));
        assertEquals(missing.toString(), e.id());
        assertThrows(NotFoundException.class, () -> service.getVip(missing));
        UUID poolId = done(service.createPool(pool(Protocol.TCP))).id();
        assertThrows(InvalidRequestException.class,
                () -> service.createMember(MemberCreate.of(TENANT, poolId, "10.0.0.5", 0)));
        assertEquals(1, registry.get("lbaas.service.errors").tags("exception", "NotFoundException", "kind", "pool")
                .counter().count());
        assertEquals(1, registry.get("lbaas.service.errors").tags("exception", "NotFoundException", "kind", "vip")
                .counter().count());
        assertEquals(1, registry.get("lbaas.service.errors").tags("exception", "InvalidRequestException", "kind", "member")
                .counter().count());
        assertEquals(3, registry.get("lbaas.service.errors").counters().stream().mapToDouble(c -> c.count()).sum());
    }

    @Test
    @DisplayName("closing the service removes its gauges from the registry")
    void closeRemovesGauges() {
        start();
        Gauge active = registry.get("lbaas.load.balancers").tag("status", "active").gauge();
        assertSame(active, registry.find("lbaas.load.balancers").tag("status", "active").gauge());
        service.close();
        service = null;
        assertNull(registry.find("lbaas.load.balancers").gauge());
    }
}
