package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the driver reads every process on the host: a look through {@code /proc} costs time in
 * proportion to the processes on the node (30 to 140 ms with 1000 load balancers), so applying a
 * change to a pool that has nothing on the host must not do it; reconcile and remove still find a
 * stray HAProxy of an instance whose state directory and namespace are gone.
 */
class ProcessScanTest {

    @TempDir
    Path temp;

    Sim sim;
    CountingHost host;
    HaproxyNsDriver driver;

    /** The simulated host, counting full process listings. */
    static final class CountingHost implements HostView {
        private final HostView delegate;
        final AtomicInteger listings = new AtomicInteger();

        CountingHost(HostView delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<String> namespaces() {
            return delegate.namespaces();
        }

        @Override
        public boolean namespaceExists(String name) {
            return delegate.namespaceExists(name);
        }

        @Override
        public boolean deviceExists(String name) {
            return delegate.deviceExists(name);
        }

        @Override
        public Optional<ProcessInfo> process(long pid) {
            return delegate.process(pid);
        }

        @Override
        public List<ProcessInfo> processes() {
            listings.incrementAndGet();
            return delegate.processes();
        }

        @Override
        public Optional<Path> findOnPath(String name) {
            return delegate.findOnPath(name);
        }

        @Override
        public long openFilesHardLimit() {
            return delegate.openFilesHardLimit();
        }

        @Override
        public boolean userExists(String name) {
            return delegate.userExists(name);
        }

        @Override
        public boolean groupExists(String name) {
            return delegate.groupExists(name);
        }
    }

    @BeforeEach
    void setUp() {
        sim = new Sim(temp.resolve("state"));
        host = new CountingHost(sim.host);
        HaproxySettings s = sim.settings();
        driver = new HaproxyNsDriver(s, sim.shell, new MinimalConfigRenderer(s), HaproxyNsDriverProvider.interfaceDriver(s), host,
                sim.runtime);
    }

    private InstanceFiles files() {
        return driver.files(driver.instance(HaproxyNsDriverExpectTest.POOL));
    }

    /** A HAProxy of this instance that outlived its state directory and namespace. */
    private long stray() {
        long pid = 7777;
        sim.host.processes.put(pid, List.of("haproxy", "-D", "-f", files().config().toString(), "-p", files().pidFile().toString()));
        return pid;
    }

    @Test
    @DisplayName("changes to a pool without a VIP, and a first deploy, never list the host's processes")
    void applyDoesNotListProcesses() {
        LoadBalancer lb = HaproxyNsDriverExpectTest.lb();
        LoadBalancer noVip = lb.withVip(Optional.empty());
        assertEquals(ApplyResult.Action.UNDEPLOYED, driver.apply(Optional.empty(), noVip).action());
        assertEquals(ApplyResult.Action.UNDEPLOYED, driver.apply(Optional.of(noVip), noVip).action());
        assertEquals(ApplyResult.Action.DEPLOYED, driver.apply(Optional.of(noVip), lb).action());
        assertEquals(0, host.listings.get(), "full process listings");
        assertTrue(sim.pidIn(files().pidFile()).isPresent(), "deployed");
    }

    @Test
    @DisplayName("remove still finds and stops a stray HAProxy whose directory and namespace are gone")
    void removeFindsStrays() {
        long pid = stray();
        driver.remove(HaproxyNsDriverExpectTest.POOL);
        assertTrue(host.listings.get() > 0);
        assertFalse(sim.host.processes.containsKey(pid), "stray stopped");
    }

    @Test
    @DisplayName("reconcile still finds and stops a stray HAProxy of a pool that is not deployable")
    void reconcileFindsStrays() {
        long pid = stray();
        ReconcileReport r = driver.reconcile(List.of(HaproxyNsDriverExpectTest.lb().withVip(Optional.empty())));
        assertEquals(java.util.Set.of(HaproxyNsDriverExpectTest.POOL), r.removed());
        assertFalse(sim.host.processes.containsKey(pid), "stray stopped");
    }
}
