package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.lbaas.api.json.NeutronJson;
import org.lbaas.driver.memory.InMemoryDriverProvider;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Violation;
import org.lbaas.testkit.LbArbitraries;

/**
 * The arbitraries that ship in {@code testkit}, hostile strings included, run through this
 * module's JSON codec and service: what a user's property tests would feed them.
 */
class ShippedArbitrariesTest {

    private static final NeutronJson JSON = NeutronJson.standard();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Provide
    Arbitrary<LoadBalancer> loadBalancers() {
        return LbArbitraries.loadBalancers();
    }

    @Provide
    Arbitrary<String> hostile() {
        return LbArbitraries.hostileStrings();
    }

    @Property(tries = 300)
    void everyGeneratedLoadBalancerSurvivesTheDocumentCodec(@ForAll("loadBalancers") LoadBalancer lb) {
        assertEquals(lb, JSON.readDocument(JSON.writeDocument(lb)));
    }

    /**
     * A hostile pool name sent as a Neutron request body is either refused by a violation at
     * {@code name} or stored exactly, answered exactly by the service and written and read back
     * exactly by the codec; nothing else may happen. The codec checks the shape of a request, the
     * service its rules, so the refusal may come from either.
     */
    @Property(tries = 300)
    void aHostileNameIsRefusedAtItsFieldOrKeptExactly(@ForAll("hostile") String name) {
        ObjectNode pool = MAPPER.createObjectNode();
        pool.put("tenant_id", Fixtures.TENANT);
        pool.put("name", name);
        pool.put("description", name);
        pool.put("subnet_id", Fixtures.SUBNET_ID.toString());
        pool.put("protocol", "HTTP");
        pool.put("lb_method", "ROUND_ROBIN");
        String body = MAPPER.createObjectNode().set("pool", pool).toString();

        PoolCreate request;
        try {
            request = JSON.readPoolCreate(body);
        } catch (ValidationException e) {
            assertRefusedAtTheTextFields(e.violations());
            return;
        }
        assertEquals(name, request.name());
        try (LoadBalancerService service = Fixtures.builder(
                new InMemoryDriverProvider().create(DriverConfig.defaults())).build()) {
            PoolView created;
            try {
                created = Fixtures.done(service.createPool(request));
            } catch (InvalidRequestException e) {
                assertRefusedAtTheTextFields(e.violations());
                assertTrue(service.listPools().isEmpty(), "a refused pool is not stored");
                return;
            }
            PoolView read = service.getPool(created.pool().id());
            assertEquals(name, read.pool().name());
            assertEquals(name, read.pool().description());
            assertEquals(read, JSON.readPool(JSON.writePool(read)));
        }
    }

    private static void assertRefusedAtTheTextFields(List<Violation> violations) {
        assertFalse(violations.isEmpty());
        for (Violation v : violations) {
            assertTrue(v.path().endsWith("name") || v.path().endsWith("description"),
                    "a hostile text is reported at its own field, not at " + v.path() + ": " + v.message());
        }
    }

    @Property(tries = 100)
    void everyGeneratedLoadBalancerIsNamedIntoTheServiceAsItIs(@ForAll("loadBalancers") LoadBalancer lb) {
        try (LoadBalancerService service = Fixtures.builder(
                new InMemoryDriverProvider().create(DriverConfig.defaults()))
                .subnets(SubnetRegistry.of(lb.subnet())).build()) {
            PoolView created = Fixtures.done(service.createPool(new PoolCreate(lb.pool().tenantId(), lb.pool().name(),
                    lb.pool().description(), lb.subnet().id(), lb.pool().protocol(), lb.pool().lbMethod(),
                    lb.pool().provider().isEmpty() ? Optional.empty() : Optional.of(lb.pool().provider()),
                    lb.pool().adminStateUp(), Optional.of(lb.pool().id()))));
            assertEquals(lb.pool().id(), created.pool().id());
            assertEquals(lb.pool().name(), created.pool().name());
            assertEquals(lb.pool().description(), created.pool().description());
            assertEquals(created, JSON.readPool(JSON.writePool(created)));
        }
    }
}
