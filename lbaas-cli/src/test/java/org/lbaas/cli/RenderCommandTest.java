package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.api.json.NeutronJson;
import org.lbaas.driver.haproxy.HaproxyNsDriver;
import org.lbaas.driver.haproxy.HaproxyNsDriverProvider;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.LoadBalancer;

/** {@code lbaas render}: the configuration the driver itself would write, and nothing else happens. */
class RenderCommandTest {

    private static final String POOL = "a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    private static final List<String> MEMBERS = List.of("11111111-2222-4333-8444-555555555501",
            "11111111-2222-4333-8444-555555555502", "11111111-2222-4333-8444-555555555503");

    @TempDir
    Path dir;

    @Test
    @DisplayName("the example renders to a frontend on the VIP, a backend of the pool, a server per member, cookie and HTTP check")
    void rendersTheExample() {
        CliRun r = CliRun.asUser("render", "examples/web.json");
        assertEquals(0, r.exit(), r::toString);
        String cfg = r.out();
        assertTrue(cfg.contains("\nfrontend c7d8e9f0-1a2b-4c3d-8e4f-5a6b7c8d9e0f\n"), cfg);
        assertTrue(cfg.contains("    bind 10.20.0.10:80\n"), cfg);
        assertTrue(cfg.contains("    maxconn 1000\n"), cfg);
        assertTrue(cfg.contains("\nbackend " + POOL + "\n"), cfg);
        assertTrue(cfg.contains("balance roundrobin"), cfg);
        assertTrue(cfg.contains("cookie SRV insert"), cfg);
        assertTrue(cfg.contains("option httpchk"), cfg);
        assertTrue(cfg.contains("/health"), cfg);
        for (String m : MEMBERS) {
            assertEquals(1, cfg.lines().filter(l -> l.strip().startsWith("server " + m + " ")).count(), "server line of " + m);
        }
        assertTrue(cfg.contains("server " + MEMBERS.get(1) + " 10.20.0.12:8080 weight 2"), cfg);
        assertTrue(cfg.contains("stats socket /var/lib/lbaas/haproxy/" + POOL + "/sock mode 600"), cfg);
        assertEquals("", r.err());
    }

    @Test
    @DisplayName("--state-dir moves the stats socket; no scratch path or prefix of the dry run leaks into the output")
    void stateDirAndNoScratch() {
        CliRun r = CliRun.asUser("render", "--state-dir", "/srv/lb", "examples/web.json");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("stats socket /srv/lb/haproxy/" + POOL + "/sock"), r.out());
        assertFalse(r.out().contains("lbaas-dry-"), r.out());
        assertFalse(r.out().contains("lbaasdry"), r.out());
        assertFalse(Files.exists(Path.of("/srv/lb")), "render created the state directory");
    }

    @Test
    @DisplayName("prints exactly what HaproxyNsDriver.render returns for the same document and settings")
    void isTheDriversRender() {
        Path state = dir.resolve("state");
        CliRun r = CliRun.asUser("render", "--state-dir", state.toString(), "examples/web.json");
        assertEquals(0, r.exit(), r::toString);
        LoadBalancer lb = NeutronJson.standard().readDocument(Docs.web());
        try (HaproxyNsDriver d = new HaproxyNsDriverProvider().create(new DriverConfig(Map.of("state_dir",
                state.resolve("haproxy").toString()), ShellExecutor.system(), Clock.systemUTC()))) {
            assertEquals(d.render(lb), r.out());
        }
        assertFalse(Files.exists(state), "render created the state directory");
    }

    @Test
    @DisplayName("the same document renders to the same text")
    void deterministic() {
        assertEquals(CliRun.asUser("render", "examples/web.json").out(), CliRun.asUser("render", "examples/web.json").out());
    }

    @Test
    @DisplayName("without a VIP, or with the VIP admin down, nothing would be deployed: exit 2 naming the field")
    void needsAnUpVip() {
        String noVip = Docs.web().replaceAll("(?s)\"vip\": \\{.*?\\n  },\\n", "");
        CliRun r = CliRun.asUser("render", Docs.write(dir, "novip.json", noVip).toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith("vip: the document has no VIP"), r::toString);
        String down = Docs.webWith("\"connection_limit\": 1000", "\"connection_limit\": 1000, \"admin_state_up\": false");
        CliRun d = CliRun.asUser("render", Docs.write(dir, "down.json", down).toString());
        assertEquals(2, d.exit(), d::toString);
        assertTrue(d.err().startsWith("vip.admin_state_up: the VIP is admin down"), d::toString);
    }

    @Test
    @DisplayName("an invalid document is rejected as by validate")
    void invalidDocument() {
        CliRun r = CliRun.asUser("render", Docs.write(dir, "bad.json", Docs.webWith("\"ROUND_ROBIN\"", "\"FASTEST\"")).toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith("pool.lb_method: must be one of"), r::toString);
        assertEquals("", r.out());
    }

    @Test
    @DisplayName("what haproxy-ns does not support is rejected before rendering: a connection limit beyond its file limit")
    void unsupported() {
        String huge = Docs.webWith("\"connection_limit\": 1000", "\"connection_limit\": 2147483647");
        CliRun r = CliRun.asUser("render", Docs.write(dir, "huge.json", huge).toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith("vip.connection_limit: this driver accepts connection limits up to "), r::toString);
        assertEquals("", r.out());
    }
}
