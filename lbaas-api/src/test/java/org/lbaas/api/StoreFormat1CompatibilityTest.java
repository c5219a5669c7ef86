package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.model.HealthMonitor;

/**
 * Store directories written before the store wrapped the wire nodes (format 1, the CLI's
 * {@code state/store} and every {@link Repository#fileStore}) are still read, exactly.
 */
class StoreFormat1CompatibilityTest {

    static final List<String> FILES = List.of(
            "pool-33333333-3333-4333-8333-333333333333.json",
            "pool-44444444-4444-4444-8444-444444444444.json",
            "pool-55555555-5555-4555-8555-555555555555.json",
            "health-monitor-66666666-6666-4666-8666-666666666666.json",
            "health-monitor-77777777-7777-4777-8777-777777777777.json",
            "health-monitor-88888888-8888-4888-8888-888888888888.json");

    @TempDir
    Path dir;

    private void copyFixture() throws IOException {
        for (String name : FILES) {
            try (InputStream in = StoreFormat1CompatibilityTest.class.getResourceAsStream(
                    StoreFormat1Fixture.DIRECTORY + "/" + name)) {
                assertNotNull(in, "missing test resource " + name);
                Files.copy(in, dir.resolve(name));
            }
        }
    }

    private static List<StoredLoadBalancer> byId(List<StoredLoadBalancer> lbs) {
        return lbs.stream().sorted(Comparator.comparing(StoredLoadBalancer::id)).toList();
    }

    private static List<HealthMonitor> monitorsById(List<HealthMonitor> monitors) {
        return monitors.stream().sorted(Comparator.comparing(HealthMonitor::id)).toList();
    }

    @Test
    @DisplayName("a format-1 store directory loads to exactly the objects it was written from")
    void readsFormat1() throws IOException {
        copyFixture();
        Repository.Contents c = Repository.fileStore(dir).load();
        assertEquals(byId(StoreFormat1Fixture.loadBalancers()), byId(c.loadBalancers()));
        assertEquals(monitorsById(StoreFormat1Fixture.healthMonitors()), monitorsById(c.healthMonitors()));
    }

    @Test
    @DisplayName("a format-1 store saved again by this version reads back to the same objects")
    void rewritesFormat1() throws IOException {
        copyFixture();
        Repository repo = Repository.fileStore(dir);
        Repository.Contents old = repo.load();
        old.loadBalancers().forEach(repo::save);
        old.healthMonitors().forEach(repo::save);
        Repository.Contents again = Repository.fileStore(dir).load();
        assertEquals(byId(StoreFormat1Fixture.loadBalancers()), byId(again.loadBalancers()));
        assertEquals(monitorsById(StoreFormat1Fixture.healthMonitors()), monitorsById(again.healthMonitors()));
    }
}
