package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.model.HealthMonitor;

/** The public entry to the store's documents: the file store's bytes, strict reading with a named failure. */
class StoreDocumentsTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = StoreDocumentsTest.class.getResourceAsStream("/store-format-3/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    @DisplayName("every load balancer and monitor round-trips, in exactly the bytes the file store writes")
    void roundTrip() throws Exception {
        Repository files = Repository.fileStore(dir);
        for (StoredLoadBalancer lb : StoreFixtures.loadBalancersFormat3()) {
            byte[] doc = StoreDocuments.write(lb);
            assertEquals(lb, StoreDocuments.readLoadBalancer(doc));
            files.save(lb);
            assertArrayEquals(Files.readAllBytes(dir.resolve("pool-" + lb.id() + ".json")), doc);
        }
        for (HealthMonitor m : StoreFixtures.healthMonitors()) {
            assertEquals(m, StoreDocuments.readHealthMonitor(StoreDocuments.write(m)));
        }
    }

    @Test
    @DisplayName("documents a file store wrote are read")
    void readsStoredFiles() throws Exception {
        assertEquals(StoreFixtures.loadBalancersFormat3().get(0),
                StoreDocuments.readLoadBalancer(resource("pool-" + StoreFixtures.RICH_POOL + ".json")));
        assertEquals(StoreFixtures.healthMonitors().get(0),
                StoreDocuments.readHealthMonitor(resource("health-monitor-" + StoreFixtures.HTTP_MONITOR + ".json")));
    }

    @Test
    @DisplayName("bad JSON, another format, the wrong kind and a broken rule each fail naming what is wrong")
    void strictReading() throws Exception {
        InvalidStoreDocumentException json = assertThrows(InvalidStoreDocumentException.class,
                () -> StoreDocuments.readLoadBalancer(bytes("{\"format\": 3, ")));
        assertTrue(json.getMessage().startsWith("not a load balancer's store document: malformed JSON at line 1"),
                json.getMessage());

        InvalidStoreDocumentException format = assertThrows(InvalidStoreDocumentException.class,
                () -> StoreDocuments.readHealthMonitor(bytes("{\"format\": 9}")));
        assertEquals("not a health monitor's store document: format: expected 3 (or the older 2 or 1), found 9",
                format.getMessage());

        byte[] monitor = StoreDocuments.write(StoreFixtures.healthMonitors().get(1));
        InvalidStoreDocumentException kind = assertThrows(InvalidStoreDocumentException.class,
                () -> StoreDocuments.readLoadBalancer(monitor));
        assertTrue(kind.getMessage().contains("health_monitor"), kind.getMessage());

        String rich = new String(resource("pool-" + StoreFixtures.RICH_POOL + ".json"), StandardCharsets.UTF_8);
        String broken = rich.replace("\"SOURCE_IP\"", "\"FASTEST\"");
        assertNotEquals(rich, broken, "the fixture names its lb_method SOURCE_IP");
        InvalidStoreDocumentException rule = assertThrows(InvalidStoreDocumentException.class,
                () -> StoreDocuments.readLoadBalancer(bytes(broken)));
        assertTrue(rule.getMessage().contains("pool.lb_method") && rule.getMessage().contains("FASTEST"), rule.getMessage());
    }
}
