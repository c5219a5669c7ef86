package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.api.json.NeutronJson;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.ForwardingDriver;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LoadBalancer;
import org.lbaas.driver.memory.InMemoryDriverProvider;

/**
 * How documents go through {@link LoadBalancerService}: create, update by differences, remove, and
 * the rollback of a failed deploy; against the testkit's in-memory driver.
 */
class DeployerTest {

    private final List<String> progress = new ArrayList<>();
    private ReportingDriver driver;
    private LoadBalancerService service;

    /** The example document; its pool id is {@link #poolId}. */
    private final LoadBalancer web = doc(Docs.web());
    private final UUID poolId = web.pool().id();

    /** A deployer over the in-memory driver that has deployed {@link #web}. */
    private Deployer deployedWeb() {
        Deployer deployer = deployer(inMemory(), web);
        assertEquals(poolId, deployer.create(web));
        return deployer;
    }

    private Deployer deployer(LoadBalancerDriver inner, LoadBalancer doc) {
        driver = new ReportingDriver(inner);
        // no self-healing, as in a command's Session: only the Deployer's calls reach the driver
        service = LoadBalancerService.builder().driver(driver).subnets(SubnetRegistry.of(doc.subnet())).threads(1)
                .selfHealing(Duration.ZERO).build();
        return new Deployer(service, driver, "test", progress::add);
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
            driver.close();
        }
    }

    private static LoadBalancerDriver inMemory() {
        return new InMemoryDriverProvider().create(DriverConfig.defaults());
    }

    private static LoadBalancer doc(String json) {
        return NeutronJson.standard().readDocument(json);
    }

    /** Everything of a load balancer but ids and statuses, in a stable order. */
    private static String shape(LoadBalancer lb) {
        StringBuilder sb = new StringBuilder();
        sb.append(lb.pool().protocol()).append(' ').append(lb.pool().lbMethod()).append(' ').append(lb.pool().name())
                .append(" up=").append(lb.pool().adminStateUp()).append('\n');
        lb.vip().ifPresent(v -> sb.append("vip ").append(Describe.vipDetails(v)).append(" up=").append(v.adminStateUp())
                .append(" port=").append(v.portId()).append('\n'));
        sb.append(lb.members().stream().map(m -> "member " + IpAddresses.toText(m.address()) + ":" + m.protocolPort() + " w="
                + m.weight() + " up=" + m.adminStateUp()).sorted().collect(Collectors.joining("\n"))).append('\n');
        sb.append(lb.healthMonitors().stream().map(m -> "monitor " + Describe.monitor(m) + " up=" + m.adminStateUp()).sorted()
                .collect(Collectors.joining("\n")));
        return sb.toString();
    }

    private static final UUID M2 = UUID.fromString("11111111-2222-4333-8444-555555555502");
    private static final UUID M3 = UUID.fromString("11111111-2222-4333-8444-555555555503");

    @Test
    @DisplayName("create: the service ends up with every object of the document, under the document's ids")
    void create() {
        assertEquals(web.pool().id(), deployer(inMemory(), web).create(web));
        LoadBalancer deployed = service.loadBalancer(poolId);
        assertEquals(shape(web), shape(deployed));
        assertEquals(web.members().stream().map(m -> m.id()).sorted().toList(),
                deployed.members().stream().map(m -> m.id()).sorted().toList());
        assertEquals(web.healthMonitors().get(0).id(), deployed.healthMonitors().get(0).id());
        assertEquals(web.vip().orElseThrow().id(), deployed.vip().orElseThrow().id());
        assertTrue(progress.stream().anyMatch(p -> p.startsWith("VIP 10.20.0.10:80 HTTP_COOKIE limit 1000 ACTIVE")), progress::toString);
    }

    @Test
    @DisplayName("create of a document that is deployed already changes nothing")
    void createTwice() {
        Deployer deployer = deployedWeb();
        assertEquals(List.of(), deployer.converge(web));
        assertEquals(1, service.listPools().size());
    }

    @Test
    @DisplayName("update applies only the differences: pool, members (removed, changed, added), monitor and VIP in place")
    void updateInPlace() {
        Deployer deployer = deployedWeb();
        String changed = Docs.web().replace("\"ROUND_ROBIN\"", "\"LEAST_CONNECTIONS\"")
                .replace("\"weight\": 2", "\"weight\": 5")
                .replace("\"address\": \"10.20.0.13\"", "\"address\": \"10.20.0.14\"")
                .replace("\"delay\": 2,", "\"delay\": 3,")
                .replace("\"type\": \"HTTP_COOKIE\"", "\"type\": \"SOURCE_IP\"")
                .replace("\"connection_limit\": 1000", "\"connection_limit\": 50");
        LoadBalancer want = doc(changed);
        List<String> changes = deployer.converge(want);
        assertEquals(shape(want), shape(service.loadBalancer(poolId)));
        assertEquals(web.vip().orElseThrow().id(), service.loadBalancer(poolId).vip().orElseThrow().id());
        assertTrue(changes.stream().noneMatch(c -> c.contains("VIP") && c.contains("deleted")),
                "the VIP was re-created although only mutable attributes changed: " + changes);
        assertTrue(changes.contains("member 10.20.0.13:8080 removed"), changes::toString);
        assertTrue(changes.contains("member 10.20.0.14:8080 added"), changes::toString);
        assertTrue(changes.contains("member 10.20.0.12:8080 updated (weight 5, admin up)"), changes::toString);
        assertEquals(M3, service.loadBalancer(poolId).members().stream()
                .filter(m -> m.address().getHostAddress().equals("10.20.0.14")).findFirst().orElseThrow().id(),
                "a moved member keeps its document id");
        assertTrue(service.loadBalancer(poolId).members().stream().anyMatch(m -> m.id().equals(M2)));
        assertEquals(List.of(), deployer.converge(want), "a second update changed something");
    }

    @Test
    @DisplayName("update replaces a VIP whose address changes (v1 fixes it at creation)")
    void vipAddressReplacesTheVip() {
        Deployer deployer = deployedWeb();
        LoadBalancer moved = doc(Docs.webWith("\"address\": \"10.20.0.10\"", "\"address\": \"10.20.0.20\""));
        List<String> changes = deployer.converge(moved);
        assertEquals(shape(moved), shape(service.loadBalancer(poolId)));
        assertTrue(changes.stream().anyMatch(c -> c.contains("deleted (to be re-created)")), changes::toString);
    }

    @Test
    @DisplayName("update refuses what a deployed pool cannot change, naming the field")
    void fixedPoolAttributes() {
        Deployer deployer = deployedWeb();
        LoadBalancer tcp = doc(Docs.web().replace("\"protocol\": \"HTTP\"", "\"protocol\": \"TCP\"")
                .replace("\"type\": \"HTTP_COOKIE\"", "\"type\": \"SOURCE_IP\""));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> deployer.converge(tcp));
        assertTrue(e.lines().get(0).startsWith("pool.protocol: a deployed pool's protocol cannot change (HTTP -> TCP)"), e::toString);
    }

    @Test
    @DisplayName("remove deletes the pool with everything, and its monitors")
    void remove() {
        Deployer deployer = deployedWeb();
        deployer.remove(poolId);
        assertEquals(List.of(), service.listPools());
        assertEquals(List.of(), service.listHealthMonitors());
    }

    @Test
    @DisplayName("a failed step names it with the driver's operator message and removes what was created")
    void rollback() {
        Deployer deployer = deployer(new FailingWithVip(inMemory()), web);
        StepFailedException e = assertThrows(StepFailedException.class, () -> deployer.create(web));
        assertEquals(List.of("test: create vip: ERROR: operator: no room for " + web.vip().orElseThrow().address().getHostAddress()),
                e.lines());
        assertEquals(List.of(), service.listPools());
        assertEquals(List.of(), service.listHealthMonitors());
    }

    /** A driver that cannot deploy anything with a VIP; a repair fails like an apply, as with the SPI's default. */
    private static final class FailingWithVip extends ForwardingDriver {
        private final LoadBalancerDriver inner;

        FailingWithVip(LoadBalancerDriver inner) {
            this.inner = inner;
        }

        @Override
        protected LoadBalancerDriver delegate() {
            return inner;
        }

        @Override
        public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
            if (desired.isDeployable()) {
                throw new DriverException("tenant: failed", "operator: no room for "
                        + desired.vip().orElseThrow().address().getHostAddress(), false);
            }
            return inner.apply(previous, desired);
        }

        @Override
        public ApplyResult repair(LoadBalancer desired) {
            return apply(Optional.empty(), desired);
        }
    }
}
