package org.lbaas.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lbaas.api.json.JsonFixtures.JSON;
import static org.lbaas.api.json.JsonFixtures.assertGolden;
import static org.lbaas.api.json.JsonFixtures.assertNames;
import static org.lbaas.api.json.JsonFixtures.monitorView;
import static org.lbaas.api.json.JsonFixtures.resource;
import static org.lbaas.api.json.JsonFixtures.tcpMonitor;
import static org.lbaas.api.json.JsonFixtures.tree;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lbaas.api.HealthMonitorView;

/** The health monitor in Neutron v1's wire format, against golden files. */
class HealthMonitorExpectTest {

    @Test
    void httpMonitorSharedByTwoPoolsMatchesTheGoldenFile() {
        assertGolden("health_monitor.json", JSON.writeHealthMonitor(monitorView()));
    }

    @Test
    void goldenMonitorHasExactlyTheNeutronAttributesAndReadsBack() {
        String golden = resource("neutron-v1/health_monitor.json");
        JsonNode monitor = tree(golden).get("health_monitor");
        assertNames(NeutronV1Attributes.HEALTH_MONITOR, monitor, "health_monitor");
        assertEquals(2, monitor.get("pools").size());
        monitor.get("pools").forEach(p -> assertNames(NeutronV1Attributes.MONITOR_POOL, p, "pools[]"));
        assertEquals(monitorView(), JSON.readHealthMonitor(golden));
    }

    @Test
    void tcpMonitorShowsV1HttpDefaultsAndReadsBackWithoutThem() {
        HealthMonitorView view = new HealthMonitorView(tcpMonitor(), List.of());
        assertGolden("health_monitor-tcp.json", JSON.writeHealthMonitor(view));
        String golden = resource("neutron-v1/health_monitor-tcp.json");
        JsonNode monitor = tree(golden).get("health_monitor");
        assertNames(NeutronV1Attributes.HEALTH_MONITOR, monitor, "health_monitor");
        assertEquals("GET", monitor.get("http_method").textValue());
        assertEquals("/", monitor.get("url_path").textValue());
        assertEquals("200", monitor.get("expected_codes").textValue());
        HealthMonitorView read = JSON.readHealthMonitor(golden);
        assertEquals(view, read);
        assertEquals(true, read.monitor().httpCheck().isEmpty());
    }

    @Test
    void monitorListReadsBack() {
        List<HealthMonitorView> monitors = List.of(monitorView(), new HealthMonitorView(tcpMonitor(), List.of()));
        String written = JSON.writeHealthMonitors(monitors);
        tree(written).get("health_monitors")
                .forEach(item -> assertNames(NeutronV1Attributes.HEALTH_MONITOR, item, "health_monitors[]"));
        assertEquals(monitors, JSON.readHealthMonitors(written));
    }
}
