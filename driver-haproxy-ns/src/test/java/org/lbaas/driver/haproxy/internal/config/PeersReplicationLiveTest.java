package org.lbaas.driver.haproxy.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.haproxy.internal.keepalived.HaPair;
import org.lbaas.lab.backend.TestBackendProcess;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;

/**
 * Two HAProxy processes running the two configurations of a pair ({@link GoldenCases#pairPeers}),
 * each in its own namespace, joined by a veth HA link on the pair's link addresses: a SOURCE_IP
 * stick entry learnt from a request through instance 0 appears, with the same server id, in
 * instance 1's table ({@code show table} on each stats socket). Namespaces and processes are the
 * test's own, removed after it.
 */
@Tag("live")
class PeersReplicationLiveTest {

    private static final String HA = "ha0";

    @TempDir
    Path dir;

    private final LiveRig rig = new LiveRig();

    @AfterEach
    void removeEverything() {
        rig.close();
    }

    /** The table's entry for a key, without its volatile fields (use count, expiry), or empty. */
    private static Optional<String> entry(InstanceFiles files, String table, String key) throws IOException {
        String out = RenderedConfigBehaviourLiveTest.runtime(files.socket(), "show table " + table);
        return out.lines().filter(l -> l.contains(" key=" + key + " ")).findFirst()
                .map(l -> l.replaceAll("^0x[0-9a-f]+: ", "").replaceAll(" use=\\d+", "").replaceAll(" exp=\\d+", ""));
    }

    @Test
    void aSourceIpEntryLearntOnOneInstanceAppearsOnTheOther() throws Exception {
        SecureRandom random = new SecureRandom();
        String suffix = LiveRig.suffix(random);
        String net = "198.18." + random.nextInt(256) + ".";
        String a = rig.namespace("lbt" + suffix + "-peer0");
        String b = rig.namespace("lbt" + suffix + "-peer1");
        HaPair pair = new HaPair(5);
        LiveRig.run("ip", "-n", a, "link", "add", HA, "type", "veth", "peer", "name", HA, "netns", b);
        List<String> both = List.of(a, b);
        for (int o = 0; o < 2; o++) {
            String ns = both.get(o);
            LiveRig.run("ip", "-n", ns, "addr", "add", pair.address(o).getHostAddress() + "/" + HaPair.PREFIX_LENGTH, "dev", HA);
            LiveRig.run("ip", "-n", ns, "link", "set", HA, "up");
            LiveRig.run("ip", "-n", ns, "addr", "add", net + "10/32", "dev", "lo");
        }
        for (String host : List.of("11", "12")) {
            LiveRig.run("ip", "-n", a, "addr", "add", net + host + "/32", "dev", "lo");
            rig.onClose(TestBackendProcess.builder("m" + host).namespace(a).bind(net + host).port(8080).start());
        }
        LoadBalancer lb = RenderFixtures.lb(Protocol.HTTP).subnet(net + "0/24", net + "1").vipAddress(net + "10")
                .persistence(SessionPersistence.sourceIp())
                .member(RenderFixtures.id(0xc, 1), net + "11", 8080, 1, true)
                .member(RenderFixtures.id(0xc, 2), net + "12", 8080, 1, true).build();
        InstanceFiles first = rig.startHaproxy(a, dir.resolve("i0"), lb, Optional.of(GoldenCases.pairPeers(pair, 0)));
        InstanceFiles second = rig.startHaproxy(b, dir.resolve("i1"), lb, Optional.of(GoldenCases.pairPeers(pair, 1)));
        String table = lb.pool().id().toString();
        String key = "::ffff:" + net + "10";

        String status = LiveRig.run("ip", "netns", "exec", a, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-m", "5",
                "http://" + net + "10:80/");
        assertEquals("200", status);
        Optional<String> learnt = entry(first, table, key);
        assertTrue(learnt.isPresent(), RenderedConfigBehaviourLiveTest.runtime(first.socket(), "show table " + table));
        assertTrue(learnt.get().contains(" server_id="), learnt.get());

        long start = System.nanoTime();
        Optional<String> replicated = Optional.empty();
        while (replicated.isEmpty() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
            Thread.sleep(50);
            replicated = entry(second, table, key);
        }
        assertEquals(learnt, replicated, "instance 1's table: "
                + RenderedConfigBehaviourLiveTest.runtime(second.socket(), "show table " + table));
        System.out.printf("stick entry replicated to the peer within %d ms: %s%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), replicated.get());
    }
}
