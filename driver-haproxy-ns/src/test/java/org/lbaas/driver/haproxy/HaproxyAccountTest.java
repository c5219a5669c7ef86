package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.driver.haproxy.internal.InstanceFiles;

/** HAProxy's account: the dedicated {@code haproxy} user where the host has one, the documented fallback otherwise. */
class HaproxyAccountTest {

    @TempDir
    Path temp;

    @Test
    void autoPicksTheDedicatedHaproxyAccountWhenTheHostHasIt() {
        Sim sim = new Sim(temp.resolve("state"));
        HaproxySettings s = HaproxyNsDriverProvider.resolveAccount(HaproxySettings.defaults(), sim.host);
        assertEquals("haproxy", s.user());
        assertEquals("haproxy", s.group());
    }

    @Test
    void autoFallsBackToNobodyAndNogroupWithoutIt() {
        Sim sim = new Sim(temp.resolve("state"));
        sim.host.users.remove("haproxy");
        sim.host.groups.remove("haproxy");
        HaproxySettings s = HaproxyNsDriverProvider.resolveAccount(HaproxySettings.defaults(), sim.host);
        assertEquals("nobody", s.user());
        assertEquals("nogroup", s.group());
    }

    @Test
    void aNamedAccountIsKeptAsGiven() {
        Sim sim = new Sim(temp.resolve("state"));
        HaproxySettings s = HaproxyNsDriverProvider.resolveAccount(HaproxySettings.parse(Map.of("user", "lbaas", "group", "lbaas")),
                sim.host);
        assertEquals("lbaas", s.user());
        assertEquals("lbaas", s.group());
    }

    @Test
    void theResolvedAccountIsRenderedThroughTheRenderer() throws Exception {
        Sim sim = new Sim(temp.resolve("state"));
        HaproxySettings s = HaproxyNsDriverProvider.resolveAccount(HaproxySettings.parse(Map.of("state_dir", sim.stateDir.toString(),
                "bridge", "br-test", "max_connection_limit", "9000")), sim.host);
        HaproxyNsDriver d = sim.driver(s, HaproxyNsDriverProvider.renderer(s, 20_000));
        d.apply(Optional.empty(), HaproxyNsDriverExpectTest.lb());
        InstanceFiles files = d.files(d.instance(HaproxyNsDriverExpectTest.POOL));
        String cfg = Files.readString(files.config());
        assertTrue(cfg.contains("\n    user haproxy\n    group haproxy\n"), cfg);
    }
}
