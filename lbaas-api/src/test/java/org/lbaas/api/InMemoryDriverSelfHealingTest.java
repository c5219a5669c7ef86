package org.lbaas.api;

import org.lbaas.driver.memory.InMemoryDriverProvider;
import org.lbaas.driver.memory.InMemoryDriver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.api.Fixtures.done;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;

/**
 * The in-memory driver's crash hook, probe and repair, and a {@link LoadBalancerService} over it
 * that heals a crashed load balancer with nobody calling reconcile.
 */
class InMemoryDriverSelfHealingTest {

    static final Subnet SUBNET = Subnet.of(UUID.fromString("5e1f0000-0000-4000-8000-000000000001"), "10.1.0.0/24", "10.1.0.1");

    final InMemoryDriver driver = new InMemoryDriverProvider().create(DriverConfig.defaults());
    LoadBalancerService service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
        driver.close();
    }

    LoadBalancerService start(Duration interval) {
        service = LoadBalancerService.builder().driver(driver).subnets(SubnetRegistry.of(SUBNET))
                .selfHealing(interval).driverDeadline(Duration.ofSeconds(10)).build();
        return service;
    }

    UUID deployed() {
        PoolView pool = done(service.createPool(PoolCreate.of("t", SUBNET.id(), Protocol.HTTP, LbMethod.ROUND_ROBIN)));
        done(service.createMember(MemberCreate.of("t", pool.id(), "192.0.2.7", 8080)));
        done(service.createVip(VipCreate.of("t", SUBNET.id(), 80, Protocol.HTTP, pool.id())));
        return pool.id();
    }

    static void await(String what, BooleanSupplier condition) {
        Fixtures.eventually(what, Duration.ofSeconds(20), condition);
    }

    @Test
    @DisplayName("crash() stops a running load balancer; probe reports it; repair brings it back with its counters kept")
    void crashProbeRepair() {
        start(Duration.ZERO);
        UUID a = deployed();
        UUID b = deployed();
        LoadBalancer told = driver.running(a).orElseThrow();
        PoolStats before = driver.observe(a).orElseThrow().stats();
        assertEquals(Map.of(), driver.probe(List.of(a, b)), "nothing to report while both run");

        assertTrue(driver.crash(a));
        assertFalse(driver.crash(a), "a crashed instance cannot crash again");
        assertFalse(driver.crash(UUID.randomUUID()), "nothing runs for an unknown id");
        assertEquals(Optional.empty(), driver.running(a));
        assertEquals(Optional.empty(), driver.observe(a), "a crashed instance serves nothing");
        assertEquals(Set.of(b), driver.runningIds());
        Map<UUID, String> dead = driver.probe(List.of(a, b));
        assertEquals(Set.of(a), dead.keySet());
        assertTrue(dead.get(a).contains("crashed"), dead.get(a));

        ApplyResult r = driver.repair(told);
        assertEquals(ApplyResult.Action.DEPLOYED, r.action());
        assertTrue(r.detail().contains("crashed"), r.detail());
        assertEquals(Map.of(), driver.probe(List.of(a, b)));
        PoolStats after = driver.observe(a).orElseThrow().stats();
        assertTrue(after.bytesIn() >= before.bytesIn() && after.totalConnections() >= before.totalConnections(),
                "counters carry on over a crash: " + before + " -> " + after);
        assertEquals(ApplyResult.Action.UNCHANGED, driver.repair(told).action(), "repairing what runs changes nothing");
    }

    @Test
    @DisplayName("an id the driver does not run at all is reported by probe")
    void probeReportsMissing() {
        UUID unknown = UUID.randomUUID();
        assertEquals(Set.of(unknown), driver.probe(List.of(unknown)).keySet());
    }

    @Test
    @DisplayName("a LoadBalancerService over the in-memory driver heals a crashed load balancer by itself, and stays ACTIVE")
    void serviceHealsByItself() {
        start(Duration.ofMillis(20));
        UUID a = deployed();
        UUID b = deployed();
        LoadBalancer desired = service.loadBalancer(a);
        long killed = System.nanoTime();
        assertTrue(driver.crash(a));
        await("the crashed load balancer running again", () -> driver.running(a).isPresent());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertEquals(desired, driver.running(a).orElseThrow(), "repaired to its desired state");
        assertEquals(Status.ACTIVE, service.getPool(a).pool().status());
        assertEquals(Set.of(a, b), driver.runningIds());
        System.out.println("in-memory self-healing: crash to running again in " + millis + " ms (probe interval 20 ms)");
    }
}
