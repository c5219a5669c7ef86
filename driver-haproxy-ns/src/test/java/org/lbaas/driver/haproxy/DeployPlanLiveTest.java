package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Protocol;
import org.lbaas.testkit.RecordingShellExecutor;

/**
 * {@link HaproxyNsDriver#render} and {@link HaproxyNsDriver#plan} on the real host: the plan,
 * made before anything exists, lists exactly the commands a real deploy then runs (recorded on
 * their way to the system shell); the rendering is exactly the file the deploy wrote, HAProxy
 * accepts it with warnings fatal ({@code haproxy -dW -c}), and the load balancer serves.
 */
class DeployPlanLiveTest extends LiveEnvTest {

    @Test
    void thePlanIsWhatARealDeployRunsAndTheRenderingIsTheFileItWrites() throws Exception {
        RecordingShellExecutor recording = new RecordingShellExecutor().passThroughTo(ShellExecutor.system());
        LoadBalancer lb = env.withBackends(env.lb(Protocol.HTTP), "a", "b");
        try (HaproxyNsDriver driver = new HaproxyNsDriverProvider().create(
                new DriverConfig(env.settings, recording, Clock.systemUTC()))) {
            DeployPlan plan = driver.plan(lb);
            String rendered = driver.render(lb);
            assertEquals(0, recording.callCount(), "plan and render run nothing");
            assertTrue(env.leftovers().isEmpty(), "plan and render leave nothing: " + env.leftovers());

            assertEquals(ApplyResult.Action.DEPLOYED, driver.apply(Optional.empty(), lb).action());
            assertEquals(plan.commands(), recording.commands());
            String written = Files.readString(plan.configFile());
            assertEquals(written, rendered);
            assertEquals(written, plan.config());
            assertTrue(env.requests(lb, 4).stream().allMatch(h -> h.status() == 200), "the deployed load balancer serves");

            Path copy = temp.resolve("rendered.cfg");
            Files.writeString(copy, rendered);
            CommandResult check = ShellExecutor.system().execute(Command.of(driver.settings().haproxyBinary(), "-dW", "-c",
                    "-f", copy.toString()).withTimeout(Duration.ofSeconds(30)));
            assertEquals(0, check.exitCode(), "haproxy -dW -c: " + check.stderr() + check.stdout());
        }
    }
}
