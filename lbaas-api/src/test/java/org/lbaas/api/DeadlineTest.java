package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.api.Fixtures.SUBNET_ID;
import static org.lbaas.api.Fixtures.TENANT;
import static org.lbaas.api.Fixtures.done;
import static org.lbaas.api.Fixtures.pool;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.google.common.util.concurrent.Uninterruptibles;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;
import org.mockito.ArgumentCaptor;

/** Drivers that fail, hang or never return, played by Mockito: nothing may stay pending. */
class DeadlineTest {

    LoadBalancerDriver driver;
    LoadBalancerService service;
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean hang = new AtomicBoolean();

    @BeforeEach
    void mockDriver() {
        driver = mock(LoadBalancerDriver.class);
        when(driver.capabilities()).thenReturn(Capabilities.everything(100, 10, 100_000));
        when(driver.reconcile(any())).thenReturn(new ReconcileReport(Set.of(), Set.of(), Set.of(), Map.of()));
        when(driver.apply(any(), any())).thenAnswer(inv -> {
            if (hang.get()) {
                // ignores interrupts: a driver stuck for good
                Uninterruptibles.awaitUninterruptibly(release);
            }
            return ApplyResult.of(ApplyResult.Action.DEPLOYED);
        });
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (service != null) {
            service.close();
        }
    }

    LoadBalancerService start(Duration deadline, int threads) {
        service = Fixtures.builder(driver).driverDeadline(deadline).threads(threads).build();
        return service;
    }

    @Test
    @DisplayName("a driver call beyond the deadline ends in ERROR naming the deadline; later changes do not wait forever")
    void hangingDriver() {
        start(Duration.ofMillis(300), 4);
        PoolView p = done(service.createPool(pool(Protocol.TCP)));
        assertEquals(Status.ACTIVE, p.pool().status());
        hang.set(true);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            Member m = done(service.createMember(MemberCreate.of(TENANT, p.id(), "192.0.2.1", 80)));
            assertEquals(Status.ERROR, m.status());
            assertEquals("driver did not finish within 300 ms", m.statusDescription());
            // the call is still running: a new change gets its own deadline and does not reach the driver
            PoolView busy = done(service.updatePool(p.id(), PoolUpdate.empty().withName("later")));
            assertEquals(Status.ERROR, busy.pool().status());
            assertTrue(busy.pool().statusDescription().contains("still busy"), busy.pool().statusDescription());
        });
        verify(driver, times(2)).apply(any(), any());
        hang.set(false);
        release.countDown();
        PoolView retried = done(service.retry(p.id()));
        assertEquals(Status.ACTIVE, retried.pool().status());
        assertEquals("later", retried.pool().name());
        assertEquals(Status.ACTIVE, service.listMembers().get(0).status());
    }

    @Test
    @DisplayName("a change that finds no free driver thread ends in ERROR at its deadline")
    void noFreeThread() {
        start(Duration.ofMillis(300), 1);
        PoolView a = done(service.createPool(pool(Protocol.TCP)));
        PoolView b = done(service.createPool(pool(Protocol.TCP)));
        hang.set(true);
        Member m = done(service.createMember(MemberCreate.of(TENANT, a.id(), "192.0.2.1", 80)));
        assertEquals(Status.ERROR, m.status());
        PoolView other = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> done(service.updatePool(b.id(), PoolUpdate.empty().withName("x"))));
        assertEquals(Status.ERROR, other.pool().status());
        assertTrue(other.pool().statusDescription().contains("no driver thread"), other.pool().statusDescription());
        hang.set(false);
        release.countDown();
        assertEquals(Status.ACTIVE, done(service.updatePool(b.id(), PoolUpdate.empty())).pool().status());
    }

    @Test
    @DisplayName("a driver that honours the interrupt also ends in ERROR, and is interrupted")
    void interruptedDriver() {
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch never = new CountDownLatch(1);
        start(Duration.ofMillis(200), 2);
        PoolView p = done(service.createPool(pool(Protocol.TCP)));
        doAnswer(inv -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw new DriverException("interrupted", "interrupted while waiting", true);
            }
            return ApplyResult.of(ApplyResult.Action.DEPLOYED);
        }).when(driver).apply(any(), any());
        Member m = done(service.createMember(MemberCreate.of(TENANT, p.id(), "192.0.2.1", 80)));
        assertEquals(Status.ERROR, m.status());
        assertEquals("driver did not finish within 200 ms", m.statusDescription());
        doAnswer(inv -> ApplyResult.of(ApplyResult.Action.RELOADED)).when(driver).apply(any(), any());
        assertEquals(Status.ACTIVE, done(service.updateMember(m.id(), MemberUpdate.empty())).status());
        assertTrue(interrupted.get());
    }

    @Test
    @DisplayName("a DriverException puts its tenant message, never its operator message, in status_description")
    void tenantMessage() {
        start(Duration.ofSeconds(5), 2);
        PoolView p = done(service.createPool(pool(Protocol.TCP)));
        doThrow(new DriverException("the load balancer could not be updated", "haproxy -c: /etc/secret line 3", false))
                .when(driver).apply(any(), any());
        PoolView failed = done(service.updatePool(p.id(), PoolUpdate.empty().withName("n")));
        assertEquals(Status.ERROR, failed.pool().status());
        assertEquals("the load balancer could not be updated", failed.pool().statusDescription());
    }

    @Test
    @DisplayName("the driver receives the previous state it was last given and the new desired state")
    void previousAndDesired() {
        start(Duration.ofSeconds(5), 2);
        PoolView p = done(service.createPool(pool(Protocol.TCP)));
        Member m = done(service.createMember(MemberCreate.of(TENANT, p.id(), "192.0.2.1", 80)));
        @SuppressWarnings("unchecked")
        ArgumentCaptor<Optional<LoadBalancer>> previous = ArgumentCaptor.forClass(Optional.class);
        ArgumentCaptor<LoadBalancer> desired = ArgumentCaptor.forClass(LoadBalancer.class);
        verify(driver, times(2)).apply(previous.capture(), desired.capture());
        assertEquals(Optional.empty(), previous.getAllValues().get(0));
        assertEquals(Optional.of(desired.getAllValues().get(0)), previous.getAllValues().get(1));
        assertEquals(List.of(m.id()), desired.getAllValues().get(1).members().stream().map(Member::id).toList());
    }

    @Test
    @DisplayName("deleting a pool calls remove; a failing remove leaves the pool in ERROR")
    void removeFails() {
        start(Duration.ofSeconds(5), 2);
        PoolView p = done(service.createPool(pool(Protocol.TCP)));
        doThrow(new DriverException("could not remove", "rm failed", true)).when(driver).remove(p.id());
        Optional<PoolView> left = done(service.deletePool(p.id()));
        assertEquals(Status.ERROR, left.orElseThrow().pool().status());
        assertEquals("could not remove", service.getPool(p.id()).pool().statusDescription());
        verify(driver).remove(eq(p.id()));
    }

    @Test
    @DisplayName("statistics from a hanging driver fail within the deadline, and a change waiting behind them still settles")
    void hangingObserve() {
        start(Duration.ofMillis(300), 2);
        PoolView p = done(service.createPool(pool(Protocol.TCP)));
        CountDownLatch observeRelease = new CountDownLatch(1);
        when(driver.observe(p.id())).thenAnswer(inv -> {
            Uninterruptibles.awaitUninterruptibly(observeRelease);
            return Optional.empty();
        });
        DriverException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(DriverException.class, () -> service.stats(p.id())));
        assertTrue(e.retryable());
        // the observe still holds the load balancer: an apply waits for it, then runs
        Pending<PoolView> u = service.updatePool(p.id(), PoolUpdate.empty().withName("after"));
        observeRelease.countDown();
        PoolView done = done(u);
        assertFalse(done.pool().status().isPending());
    }

    @Test
    @DisplayName("a driver whose reconcile fails at start does not stop the service")
    void reconcileFails() {
        when(driver.reconcile(any())).thenThrow(new DriverException("down", "cannot list namespaces", true));
        start(Duration.ofSeconds(5), 2);
        assertEquals(Status.ACTIVE, done(service.createPool(pool(Protocol.TCP))).pool().status());
        assertEquals(List.of(), service.listVips());
        assertEquals(SUBNET_ID, service.listPools().get(0).pool().subnetId());
    }
}
