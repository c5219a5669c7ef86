package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Protocol;

/**
 * {@link HaproxyNsDriver#render} and {@link HaproxyNsDriver#plan} against what a deploy onto an
 * empty simulated host really does: the plan's commands are exactly the commands the
 * {@link org.lbaas.testkit.RecordingShellExecutor} recorded (the simulated host answers the DAD
 * check at once, so it runs once, as the plan lists it), and the rendering is exactly the file the
 * deploy wrote. Neither call runs a command or writes a file.
 */
class DeployPlanTest {

    @TempDir
    Path temp;

    static LoadBalancer ipv6() {
        LoadBalancer lb = Lbs.lb(HaproxyNsDriverExpectTest.POOL, HaproxyNsDriverExpectTest.PORT, "fd00:1::/64", "fd00:1::1",
                "fd00:1::10", Protocol.TCP);
        return Lbs.withMember(lb, Lbs.member(lb, HaproxyNsDriverExpectTest.M1, "fd00:2::11", 8080));
    }

    static Stream<Arguments> hosts() {
        LoadBalancer v4 = HaproxyNsDriverExpectTest.lb();
        return Stream.of(
                Arguments.of("linuxbridge, IPv4, gratuitous ARP", Map.of(), v4),
                Arguments.of("linuxbridge, IPv4, no arping", Map.of("arping_binary", "none"), v4),
                Arguments.of("linuxbridge, IPv6, DAD wait", Map.of(), ipv6()),
                Arguments.of("linuxbridge, IPv6, DAD skipped", Map.of("ipv6_dad", "skip"), ipv6()),
                Arguments.of("ovs", Map.of("interface_driver", "ovs", "bridge", "br-int"), v4),
                Arguments.of("noop", Map.of("interface_driver", "noop"), v4),
                Arguments.of("noop, IPv6", Map.of("interface_driver", "noop"), ipv6()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void thePlanIsWhatADeployOntoAnEmptyHostRuns(String name, Map<String, String> settings, LoadBalancer lb) throws Exception {
        Sim planning = new Sim(temp.resolve("planned"));
        planning.extraSettings.putAll(settings);
        DeployPlan plan = planning.driver().plan(lb);
        assertEquals(0, planning.shell.callCount(), "plan runs no command");
        assertFalse(Files.exists(planning.stateDir), "plan writes no file");

        // the same state directory, so that paths compare equal; a fresh host
        Sim deploying = new Sim(planning.stateDir);
        deploying.extraSettings.putAll(settings);
        HaproxyNsDriver driver = deploying.driver();
        assertEquals(ApplyResult.Action.DEPLOYED, driver.apply(Optional.empty(), lb).action());
        List<Command> ran = deploying.shell.commands();
        assertEquals(ran, plan.commands());
        assertTrue(plan.commands().get(plan.commands().size() - 1).argv().contains("-dW"), "the start, which checks, comes last");
        Path written = driver.files(driver.instance(lb.id())).config();
        assertEquals(written, plan.configFile());
        assertEquals(Files.readString(written), plan.config());
        assertEquals(Files.readString(written), driver.render(lb));
    }

    @Test
    void renderAndPlanWorkWithTheFullRendererAndTouchNothing() throws Exception {
        Sim sim = new Sim(temp.resolve("state"));
        HaproxySettings s = sim.settings();
        HaproxyNsDriver driver = sim.driver(s, HaproxyNsDriverProvider.renderer(s, 20000));
        LoadBalancer lb = HaproxyNsDriverExpectTest.lb();
        String config = driver.render(lb);
        assertTrue(config.contains("stats socket " + driver.files(driver.instance(lb.id())).socket()), config);
        assertEquals(config, driver.plan(lb).config());
        assertEquals(config, driver.render(lb), "deterministic");
        assertEquals(0, sim.shell.callCount());
        assertFalse(Files.exists(sim.stateDir));
        driver.apply(Optional.empty(), lb);
        assertEquals(Files.readString(driver.files(driver.instance(lb.id())).config()), config);
    }

    @Test
    void aLoadBalancerThatDeploysNothingHasNoConfigurationAndNoPlan() {
        HaproxyNsDriver driver = new Sim(temp.resolve("state")).driver();
        LoadBalancer noVip = HaproxyNsDriverExpectTest.lb().withVip(Optional.empty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> driver.render(noVip));
        assertTrue(e.getMessage().startsWith("vip: absent in pool " + noVip.id()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> driver.plan(noVip));
        assertTrue(e.getMessage().startsWith("vip: absent"), e.getMessage());
        LoadBalancer down = Lbs.vip(HaproxyNsDriverExpectTest.lb(), v -> v.adminStateUp(false));
        e = assertThrows(IllegalArgumentException.class, () -> driver.render(down));
        assertTrue(e.getMessage().startsWith("vip.admin_state_up: false in pool " + down.id()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> driver.plan(down));
        assertTrue(e.getMessage().contains("a VIP with admin_state_up true"), e.getMessage());
    }
}
