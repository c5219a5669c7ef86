package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.api.json.NeutronJson;
import org.lbaas.driver.haproxy.DeployPlan;
import org.lbaas.driver.haproxy.HaproxyNsDriver;
import org.lbaas.driver.haproxy.HaproxyNsDriverProvider;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.LoadBalancer;

/** {@code lbaas deploy --dry-run}: no root, nothing changed, every command of a real deploy printed in order. */
class DeployDryRunTest {

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @TempDir
    Path dir;

    @Test
    @DisplayName("prints the configuration (written first), the namespace plumbing and the HAProxy start (which checks it), in that order")
    void printsEveryCommand() {
        Path state = dir.resolve("state");
        CliRun r = CliRun.asUser("deploy", "--dry-run", "--state-dir", state.toString(), "examples/web.json");
        assertEquals(0, r.exit(), r::toString);
        String out = r.out();
        Matcher start = Pattern.compile("\\$ nsenter --net=/run/netns/qlbaas-(" + UUID + ") -- haproxy -D -dW -f "
                + Pattern.quote(state + "/haproxy/") + "\\1/haproxy\\.cfg").matcher(out);
        assertTrue(start.find(), out);
        String pool = start.group(1);
        int config = out.indexOf("# ---- " + state + "/haproxy/" + pool + "/haproxy.cfg ----\n");
        int netns = out.indexOf("netns add qlbaas-" + pool + "\n");
        int bridge = out.indexOf(" master br-lbaas up\n");
        int address = out.indexOf("addr add 10.20.0.10/24 dev ");
        int route = out.indexOf("route replace 0.0.0.0/0 via 10.20.0.1 ");
        assertTrue(config >= 0 && config < netns && netns < bridge && bridge < address && address < route
                && route < start.start(), out);
        assertTrue(out.contains("    bind 10.20.0.10:80\n"), out);
        assertTrue(out.contains("stats socket " + state + "/haproxy/" + pool + "/sock"), out);
        assertFalse(out.contains("lbaasdry") || out.contains("lbaas-dry-"), "scratch names leaked:\n" + out);
        assertTrue(out.endsWith("# (dry run: nothing was changed)\n"), out);
        assertEquals("", r.err());
        assertFalse(Files.exists(state), "a dry run created the state directory");
    }

    @Test
    @DisplayName("prints exactly the driver's plan for the document and settings: its configuration file and text, then its"
            + " commands, and besides them only comments")
    void printsExactlyThePlan() {
        Path state = dir.resolve("state");
        CliRun r = CliRun.asUser("deploy", "--dry-run", "--namespace-prefix", "lbp-", "--state-dir", state.toString(),
                "examples/web.json");
        assertEquals(0, r.exit(), r::toString);
        LoadBalancer lb = NeutronJson.standard().readDocument(Docs.web());
        DeployPlan plan;
        try (HaproxyNsDriver d = new HaproxyNsDriverProvider().create(new DriverConfig(Map.of("state_dir",
                state.resolve("haproxy").toString(), "namespace_prefix", "lbp-"), ShellExecutor.system(), Clock.systemUTC()))) {
            plan = d.plan(lb);
        }
        String head = "# ---- " + plan.configFile() + " ----\n";
        String tail = "# ---- end of configuration ----\n";
        String out = r.out();
        int from = out.indexOf(head);
        int to = out.indexOf(tail, from);
        assertTrue(from >= 0 && to > from, out);
        assertEquals(plan.config(), out.substring(from + head.length(), to));
        String commands = (out.substring(0, from) + out.substring(to + tail.length())).lines()
                .filter(l -> !l.startsWith("# ")).map(l -> l + "\n").collect(Collectors.joining());
        assertEquals(plan.commands().stream().map(DryRunShellExecutor::shellLine).collect(Collectors.joining()), commands);
        assertFalse(plan.commands().isEmpty());
        assertFalse(Files.exists(state), "a dry run created the state directory");
    }

    @Test
    @DisplayName("--interface-driver noop puts the VIP on lo and creates no device; --namespace-prefix names the namespace")
    void interfaceDriverAndPrefix() {
        CliRun r = CliRun.asUser("deploy", "--dry-run", "--interface-driver", "noop", "--namespace-prefix", "lbx-",
                "--state-dir", dir.resolve("s").toString(), "examples/web.json");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("netns add lbx-"), r.out());
        assertTrue(r.out().contains(" dev lo"), r.out());
        assertFalse(r.out().contains("type veth"), r.out());
    }

    @Test
    @DisplayName("a document whose VIP is admin down creates the objects but runs nothing")
    void adminDownRunsNothing() {
        String down = Docs.webWith("\"connection_limit\": 1000", "\"connection_limit\": 1000, \"admin_state_up\": false");
        CliRun r = CliRun.asUser("deploy", "--dry-run", "--state-dir", dir.resolve("s").toString(),
                Docs.write(dir, "down.json", down).toString());
        assertEquals(0, r.exit(), r::toString);
        assertFalse(r.out().contains("$ "), "commands were printed:\n" + r.out());
        assertTrue(r.out().contains("# The VIP is admin down: the objects are created, but nothing runs."), r.out());
    }

    @Test
    @DisplayName("what haproxy-ns does not support is rejected as by a deploy, also when nothing would run (VIP admin down)")
    void unsupported() {
        for (String extra : new String[] {"", ", \"admin_state_up\": false"}) {
            String huge = Docs.webWith("\"connection_limit\": 1000", "\"connection_limit\": 2147483647" + extra);
            CliRun r = CliRun.asUser("deploy", "--dry-run", "--state-dir", dir.resolve("s").toString(),
                    Docs.write(dir, "huge.json", huge).toString());
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.err().startsWith("vip.connection_limit: this driver accepts connection limits up to "), r::toString);
            assertFalse(r.out().contains("$ "), r::toString);
        }
    }

    @Test
    @DisplayName("an invalid document fails before anything is printed but the header")
    void invalidDocument() {
        CliRun r = CliRun.asUser("deploy", "--dry-run", Docs.write(dir, "bad.json", Docs.webWith("\"lb_method\": \"ROUND_ROBIN\"",
                "\"lb_method\": \"FASTEST\"")).toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith("pool.lb_method: must be one of"), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
    }

    @Test
    @DisplayName("without --dry-run, deploy needs root and says so")
    void needsRoot() {
        CliRun r = CliRun.asUser("deploy", "examples/web.json");
        assertEquals(1, r.exit(), r::toString);
        assertEquals("lbaas deploy: needs root (it creates network namespaces and runs HAProxy in them); run it as root,"
                + " e.g. with sudo, or see what it would do with --dry-run\n", r.err());
        assertEquals("", r.out());
    }
}
