package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.json.NeutronJson;
import org.lbaas.driver.memory.InMemoryDriver;
import org.lbaas.driver.memory.InMemoryDriverProvider;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.ForwardingDriver;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.model.LoadBalancer;

/** The CLI's reporting wrapper: every call reaches the driver, failures are kept for the operator. */
class ReportingDriverTest {

    private final LoadBalancer web = NeutronJson.standard().readDocument(Docs.web());

    @Test
    @DisplayName("probe and repair reach the wrapped driver: a crash is reported, and a repair serves again")
    void probeAndRepairAreForwarded() {
        InMemoryDriver inner = new InMemoryDriverProvider().create(DriverConfig.defaults());
        try (ReportingDriver driver = new ReportingDriver(inner)) {
            driver.apply(Optional.empty(), web);
            assertEquals(Map.of(), driver.probe(List.of(web.id())));
            inner.crash(web.id());
            assertEquals(List.of(web.id()), List.copyOf(driver.probe(List.of(web.id())).keySet()));
            driver.repair(web);
            assertEquals(Map.of(), driver.probe(List.of(web.id())));
            assertEquals(Optional.empty(), driver.lastFailure(web.id()));
        }
    }

    @Test
    @DisplayName("a failed repair keeps the driver's operator message, as a failed apply does; a success forgets it")
    void repairFailuresAreKept() {
        DriverException boom = new DriverException("tenant: failed", "operator: the bridge\nis gone", true);
        LoadBalancerDriver inner = new InMemoryDriverProvider().create(DriverConfig.defaults());
        LoadBalancerDriver failingRepair = new ForwardingDriver() {
            @Override
            protected LoadBalancerDriver delegate() {
                return inner;
            }

            @Override
            public ApplyResult repair(LoadBalancer desired) {
                throw boom;
            }
        };
        try (ReportingDriver driver = new ReportingDriver(failingRepair)) {
            assertSame(boom, assertThrows(DriverException.class, () -> driver.repair(web)));
            assertEquals(Optional.of("operator: the bridge; is gone"), driver.lastFailure(web.id()));
            driver.apply(Optional.empty(), web);
            assertEquals(Optional.empty(), driver.lastFailure(web.id()));
            assertEquals(Optional.empty(), driver.lastFailure(UUID.randomUUID()));
        }
    }
}
