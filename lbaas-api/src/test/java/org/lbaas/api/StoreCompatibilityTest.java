package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lbaas.model.HealthMonitor;

/**
 * Store directories written by earlier versions are still read, exactly: format 1 (before the
 * store wrapped the wire nodes; the CLI's {@code state/store} and every
 * {@link Repository#fileStore} written until then), format 2 (before instance addresses) and
 * format 3. What is written today is format 3 to the byte: a change to the wire mapping that
 * changes the store shows up here, and then needs a new format number and a new fixture.
 */
class StoreCompatibilityTest {

    static final List<String> FILES = List.of(
            "pool-33333333-3333-4333-8333-333333333333.json",
            "pool-44444444-4444-4444-8444-444444444444.json",
            "pool-55555555-5555-4555-8555-555555555555.json",
            "health-monitor-66666666-6666-4666-8666-666666666666.json",
            "health-monitor-77777777-7777-4777-8777-777777777777.json",
            "health-monitor-88888888-8888-4888-8888-888888888888.json");

    @TempDir
    Path dir;

    private static byte[] resource(String directory, String name) throws IOException {
        try (InputStream in = StoreCompatibilityTest.class.getResourceAsStream("/" + directory + "/" + name)) {
            assertNotNull(in, "missing test resource " + directory + "/" + name);
            return in.readAllBytes();
        }
    }

    private void copy(String directory) throws IOException {
        for (String name : FILES) {
            Files.write(dir.resolve(name), resource(directory, name));
        }
    }

    /** Asserts that a store holds exactly the fixture's objects, in any order. */
    private static void assertFixture(Repository.Contents c) {
        assertFixture(StoreFixtures.loadBalancers(), c);
    }

    private static void assertFixture(List<StoredLoadBalancer> lbs, Repository.Contents c) {
        assertEquals(lbs.stream().sorted(Comparator.comparing(StoredLoadBalancer::id)).toList(),
                c.loadBalancers().stream().sorted(Comparator.comparing(StoredLoadBalancer::id)).toList());
        assertEquals(StoreFixtures.healthMonitors().stream().sorted(Comparator.comparing(HealthMonitor::id)).toList(),
                c.healthMonitors().stream().sorted(Comparator.comparing(HealthMonitor::id)).toList());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"store-format-1", "store-format-2"})
    @DisplayName("a store directory of an earlier version loads to exactly the objects it was written from")
    void readsEveryFormat(String directory) throws IOException {
        copy(directory);
        assertFixture(Repository.fileStore(dir).load());
    }

    @Test
    @DisplayName("a format-3 store directory loads to exactly the objects it was written from, with instance addresses")
    void readsFormat3() throws IOException {
        copy("store-format-3");
        assertFixture(StoreFixtures.loadBalancersFormat3(), Repository.fileStore(dir).load());
    }

    @Test
    @DisplayName("a format-1 store saved again by this version reads back to the same objects")
    void rewritesFormat1() throws IOException {
        copy("store-format-1");
        Repository repo = Repository.fileStore(dir);
        Repository.Contents old = repo.load();
        old.loadBalancers().forEach(repo::save);
        old.healthMonitors().forEach(repo::save);
        assertFixture(Repository.fileStore(dir).load());
    }

    @Test
    @DisplayName("this version writes format 3, byte for byte as the fixture")
    void writesFormat3() throws IOException {
        for (StoredLoadBalancer lb : StoreFixtures.loadBalancersFormat3()) {
            assertEquals(new String(resource("store-format-3", "pool-" + lb.id() + ".json"), StandardCharsets.UTF_8),
                    new String(StoreCodec.write(lb), StandardCharsets.UTF_8), "pool-" + lb.id());
        }
        for (HealthMonitor m : StoreFixtures.healthMonitors()) {
            assertEquals(new String(resource("store-format-3", "health-monitor-" + m.id() + ".json"), StandardCharsets.UTF_8),
                    new String(StoreCodec.write(m), StandardCharsets.UTF_8), "health-monitor-" + m.id());
        }
    }
}
