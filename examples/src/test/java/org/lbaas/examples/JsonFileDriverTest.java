package org.lbaas.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.driver.spi.ApplyResult.Action;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/** The document format of the {@code json-files} driver, which a device reads. */
class JsonFileDriverTest {

    @TempDir
    Path dir;

    private static LoadBalancer lb() {
        Subnet subnet = Subnet.of(UUID.randomUUID(), "10.7.0.0/24", "10.7.0.1");
        UUID poolId = UUID.randomUUID();
        Pool pool = Pool.builder().id(poolId).tenantId("t").subnetId(subnet.id()).protocol(Protocol.HTTP)
                .lbMethod(LbMethod.LEAST_CONNECTIONS).build();
        Vip vip = Vip.builder().id(UUID.randomUUID()).tenantId("t").subnetId(subnet.id()).address(IpAddresses.parse("10.7.0.5").orElseThrow())
                .portId(UUID.randomUUID()).protocolPort(80).protocol(Protocol.HTTP).poolId(poolId)
                .sessionPersistence(SessionPersistence.sourceIp()).connectionLimit(1000).build();
        Member up = Member.builder().id(UUID.randomUUID()).tenantId("t").poolId(poolId).address(IpAddresses.parse("10.8.0.1").orElseThrow())
                .protocolPort(8080).weight(3).build();
        Member down = up.toBuilder().id(UUID.randomUUID()).address(IpAddresses.parse("10.8.0.2").orElseThrow()).adminStateUp(false).build();
        HealthMonitor hm = HealthMonitor.builder().id(UUID.randomUUID()).tenantId("t").type(MonitorType.TCP).delay(5).timeout(3)
                .maxRetries(2).build();
        return new LoadBalancer(subnet, pool, Optional.of(vip), List.of(up, down), List.of(hm));
    }

    @Test
    void theDocumentHoldsWhatTheDataPlaneNeedsUnderItsKeys() throws IOException {
        LoadBalancer lb = lb();
        JsonFileDriver driver = new JsonFileDriver(dir);
        assertEquals(Action.DEPLOYED, driver.apply(Optional.empty(), lb).action());
        JsonNode doc = new ObjectMapper().readTree(dir.resolve(lb.id() + ".json").toFile());
        assertEquals(List.of("pool", "protocol", "lb_method", "admin_state_up", "vip", "members", "monitors"),
                iterable(doc.fieldNames()));
        assertEquals(lb.id().toString(), doc.get("pool").asText());
        assertEquals("HTTP", doc.get("protocol").asText());
        assertEquals("LEAST_CONNECTIONS", doc.get("lb_method").asText());
        assertEquals(new ObjectMapper().readTree("{\"address\": \"10.7.0.5\", \"prefix\": 24, \"port\": 80,"
                + " \"connection_limit\": 1000, \"persistence\": \"SOURCE_IP\"}"), doc.get("vip"));
        Member down = lb.members().get(1);
        assertEquals(new ObjectMapper().readTree("{\"member\": \"" + down.id() + "\", \"address\": \"10.8.0.2\", \"port\": 8080,"
                + " \"weight\": 3, \"admin_state_up\": false}"), doc.get("members").get(1));
        HealthMonitor hm = lb.healthMonitors().get(0);
        assertEquals(new ObjectMapper().readTree("{\"monitor\": \"" + hm.id() + "\", \"type\": \"TCP\", \"delay\": 5,"
                + " \"timeout\": 3, \"max_retries\": 2, \"admin_state_up\": true, \"check\": null}"), doc.get("monitors").get(0));
        assertEquals(Map.of(lb.members().get(0).id(), MemberHealth.UP, down.id(), MemberHealth.MAINT),
                driver.observe(lb.id()).orElseThrow().memberHealth(), "health read back from the document");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(lb.id() + ".json"), files.map(p -> p.getFileName().toString()).toList(),
                    "no temporary file is left beside the document");
        }
    }

    @Test
    void anUnchangedLoadBalancerIsNotRewrittenAndABrokenDocumentIsReplaced() throws IOException {
        LoadBalancer lb = lb();
        JsonFileDriver driver = new JsonFileDriver(dir);
        driver.apply(Optional.empty(), lb);
        Path file = dir.resolve(lb.id() + ".json");
        assertEquals(Action.UNCHANGED, driver.apply(Optional.of(lb), lb).action());
        Files.writeString(file, "{\"pool\": ");
        DriverException e = assertThrows(DriverException.class, () -> driver.observe(lb.id()));
        assertTrue(e.operatorMessage().contains(file.toString()), e.operatorMessage());
        assertEquals(Action.RELOADED, driver.apply(Optional.of(lb), lb).action(), "a broken document is written anew");
        assertEquals(2, driver.observe(lb.id()).orElseThrow().memberHealth().size());
    }

    @Test
    void theProviderRefusesSettingsOtherThanDirectory() {
        DriverException e = assertThrows(DriverException.class, () -> new JsonFileDriverProvider().create(
                org.lbaas.driver.spi.DriverConfig.defaults().with("directory", dir.toString()).with("colour", "blue")));
        assertFalse(e.retryable());
        assertEquals("json-files: unknown setting colour (known: directory)", e.operatorMessage());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
