package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.Repository;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.api.json.NeutronJson;
import org.lbaas.driver.memory.InMemoryDriverProvider;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.model.LoadBalancer;
import picocli.CommandLine;

/**
 * {@code --topology single|active-standby} and {@code --ha-bridge NAME}: parsed into the driver
 * settings {@code topology} and {@code ha_bridge}, stored with the state directory like the other
 * placement options, and fixed while load balancers are deployed there.
 */
class TopologyOptionTest {

    @TempDir
    Path dir;

    private static Map<String, String> given(String... args) {
        CommandLine.ParseResult parsed = new Cli(Io.system()).commandLine().parseArgs(args);
        Object command = parsed.subcommand().commandSpec().userObject();
        if (command instanceof Shared.PlacedCommand placed) {
            return placed.placement.given();
        }
        return ((ServeCommand) command).placement.given();
    }

    @Test
    @DisplayName("--topology single|active-standby (or active_standby) becomes the driver setting; --ha-bridge ha_bridge")
    void parsed() {
        assertEquals(Map.of("topology", "active_standby", "ha_bridge", "lbt1h"),
                given("deploy", "--topology", "active-standby", "--ha-bridge", "lbt1h", "web.json"));
        assertEquals(Map.of("topology", "active_standby"), given("deploy", "--topology=active_standby", "web.json"));
        assertEquals(Map.of("topology", "single"), given("update", "--topology", "single", "web.json"));
        assertEquals(Map.of("topology", "active_standby"), given("reconcile", "--topology", "active-standby"));
        assertEquals(Map.of("topology", "active_standby"), given("serve", "--topology", "active-standby"));
        assertEquals(Map.of(), given("deploy", "web.json"));
    }

    @Test
    @DisplayName("another --topology value is a usage error naming the option, the rule and the value")
    void badValue() {
        CliRun r = CliRun.asUser("deploy", "--topology", "ha", "examples/web.json");
        assertEquals(2, r.exit(), r::toString);
        assertEquals(List.of("lbaas deploy: --topology must be single or active-standby, not 'ha'"), r.errLines());
    }

    @Test
    @DisplayName("the help of deploy names --topology and --ha-bridge")
    void help() {
        CliRun r = CliRun.asUser("deploy", "--help");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("--topology KIND"), r::toString);
        assertTrue(r.out().contains("active-standby"), r::toString);
        assertTrue(r.out().contains("--ha-bridge NAME"), r::toString);
    }

    @Test
    @DisplayName("the topology and HA bridge are stored at the first deploy and used by later commands")
    void stored() throws IOException {
        StateDir state = new StateDir(dir.resolve("state"));
        Map<String, String> first = state.driverSettings(Map.of("topology", "active_standby", "ha_bridge", "lbt1h"), true);
        assertEquals("active_standby", first.get("topology"));
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(state.settingsFile(), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        assertEquals("active_standby", p.getProperty("topology"));
        assertEquals("lbt1h", p.getProperty("ha_bridge"));
        Map<String, String> later = state.driverSettings(Map.of(), false);
        assertEquals("active_standby", later.get("topology"));
        assertEquals("lbt1h", later.get("ha_bridge"));
        assertEquals(state.haproxy().toString(), later.get("state_dir"));
        assertTrue(Shared.Topology.activeStandby(later));
        assertFalse(Shared.Topology.activeStandby(new StateDir(dir.resolve("other")).driverSettings(Map.of(), false)));
    }

    @Test
    @DisplayName("with nothing deployed, another topology replaces the stored one")
    void changedWhileEmpty() {
        StateDir state = new StateDir(dir.resolve("state"));
        state.driverSettings(Map.of("topology", "active_standby"), true);
        assertEquals("single", state.driverSettings(Map.of("topology", "single"), true).get("topology"));
        assertEquals("single", state.driverSettings(Map.of(), false).get("topology"));
    }

    /** Deploys the example into the state directory's store through the service, with the in-memory driver. */
    private StateDir withDeployedExample(Map<String, String> stored) {
        StateDir state = new StateDir(dir.resolve("state"));
        state.driverSettings(stored, true);
        LoadBalancer web = NeutronJson.standard().readDocument(Docs.web());
        ReportingDriver driver = new ReportingDriver(new InMemoryDriverProvider().create(DriverConfig.defaults()));
        try (driver; LoadBalancerService service = LoadBalancerService.builder().driver(driver)
                .repository(Repository.fileStore(state.store())).subnets(SubnetRegistry.of(web.subnet())).threads(1)
                .selfHealing(Duration.ZERO).build()) {
            new Deployer(service, driver, "test", line -> { }).create(web);
        }
        return state;
    }

    @Test
    @DisplayName("while load balancers are deployed, another topology is refused naming the option, stored and given value")
    void changeRefusedWhileDeployed() {
        StateDir state = withDeployedExample(Map.of());
        UsageException e = assertThrows(UsageException.class,
                () -> state.driverSettings(Map.of("topology", "active_standby"), true));
        assertEquals(List.of("--topology: the load balancer deployed in " + state.root() + " uses topology single (the default),"
                + " not active-standby; it stays fixed while load balancers are deployed: undeploy them first, or use another"
                + " --state-dir"), e.lines());
        assertFalse(state.driverSettings(Map.of(), false).containsKey("topology"), "nothing was stored");
        assertEquals("single", state.driverSettings(Map.of("topology", "single"), true).get("topology"), "the same value is fine");
    }

    @Test
    @DisplayName("lbaas deploy with another topology than the deployed one exits 2 before running anything")
    void deployRefused() {
        StateDir state = withDeployedExample(Map.of("topology", "active_standby", "ha_bridge", "lbt1h"));
        CliRun r = CliRun.run("deploy", "--state-dir", state.root().toString(), "--topology", "single", "examples/web.json");
        assertEquals(2, r.exit(), r::toString);
        assertEquals(List.of("--topology: the load balancer deployed in " + state.root() + " uses topology active-standby (stored"
                + " in " + state.settingsFile() + " at the first deploy), not single; it stays fixed while load balancers are"
                + " deployed: undeploy them first, or use another --state-dir"), r.errLines());
        CliRun bridge = CliRun.run("reconcile", "--state-dir", state.root().toString(), "--ha-bridge", "other");
        assertEquals(2, bridge.exit(), bridge::toString);
        assertTrue(bridge.err().startsWith("--ha-bridge: the load balancer deployed in " + state.root() + " uses HA bridge lbt1h"
                + " (stored in " + state.settingsFile() + " at the first deploy), not other;"), bridge::toString);
        assertEquals("active_standby", state.driverSettings(Map.of(), false).get("topology"));
    }

    @Test
    @DisplayName("the HA bridge of single load balancers may change: they have no HA link")
    void haBridgeFreeForSingle() {
        StateDir state = withDeployedExample(Map.of());
        assertEquals("lbt2h", state.driverSettings(Map.of("ha_bridge", "lbt2h"), true).get("ha_bridge"));
    }
}
