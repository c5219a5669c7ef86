package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.lab.netns.NetnsTopology;

/**
 * Ownership at the command level: {@code lbaas deploy} on state directory A, then {@code lbaas
 * serve} and {@code lbaas reconcile} on state directory B, all with the default namespace prefix
 * ({@code qlbaas-}) on one host: A's load balancer keeps serving (B reconciled it away before).
 * The serve runs in this JVM on a thread and is stopped by interrupting it.
 */
@Tag("live")
class OwnershipLiveTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    @DisplayName("a serve and a reconcile on another state directory leave a deployed load balancer serving")
    void serveAndReconcileOnAnotherStateDirectoryKeepADeployedLoadBalancer() throws Exception {
        NetnsTopology t = NetnsTopology.builder().backends("a", "b").create();
        String stateA = tmp.resolve("a").toString();
        String stateB = tmp.resolve("b").toString();
        AtomicReference<String> pool = new AtomicReference<>();
        Thread serve = null;
        AtomicReference<CliRun> served = new AtomicReference<>();
        try {
            t.startBackends();
            ObjectNode doc = (ObjectNode) JSON.readTree(DemoCommand.document(t, List.of("a", "b")));
            ((ObjectNode) doc.get("vip")).remove("session_persistence");
            String vipUrl = "http://" + doc.get("vip").get("address").asText() + ":80";
            Path file = Docs.write(tmp, "lb.json", doc.toPrettyString());

            CliRun deploy = CliRun.run("deploy", file.toString(), "--bridge", t.bridge(), "--state-dir", stateA);
            assertEquals(0, deploy.exit(), deploy::toString);
            pool.set(deploy.out().strip());
            DemoCommand.Traffic traffic = new DemoCommand.Traffic(t);
            assertEquals(Set.of("a", "b"), traffic.spread(vipUrl, 4, Optional.empty()).keySet());

            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            serve = new Thread(() -> served.set(CliRun.run("serve", "--state-dir", stateB, "--bind", "127.0.0.1",
                    "--port", Integer.toString(port), "--token", "t0k3n")), "lbaas-serve-under-test");
            serve.start();
            awaitListening(port, serve, served);
            // the serve's start reconciled its driver (state directory B, prefix qlbaas-)
            // (traffic alone would not tell: an HAProxy whose namespace was deleted keeps serving from an unnamed one)
            assertTrue(Files.exists(Path.of("/run/netns/qlbaas-" + pool.get())), "A's namespace survives B's start");
            assertEquals(Set.of("a", "b"), traffic.spread(vipUrl, 4, Optional.empty()).keySet(), "after serve on B started");

            CliRun reconcile = CliRun.run("reconcile", "--state-dir", stateB);
            assertEquals(0, reconcile.exit(), reconcile::toString);
            // A's pool is neither adopted, repaired nor removed by B: only listed as another owner's namespace
            assertTrue(reconcile.out().lines().filter(l -> l.contains(pool.get()))
                    .allMatch(l -> l.startsWith("  left alone  namespace qlbaas-" + pool.get() + ": not recorded in ")), reconcile::toString);
            assertTrue(reconcile.out().contains("  left alone  namespace qlbaas-" + pool.get()), reconcile::toString);
            assertEquals(Set.of("a", "b"), traffic.spread(vipUrl, 4, Optional.empty()).keySet(), "after reconcile on B");
            assertTrue(Files.exists(Path.of("/run/netns/qlbaas-" + pool.get())));

            serve.interrupt();
            serve.join(30_000);
            assertFalse(serve.isAlive(), "serve stopped");
            assertEquals(0, served.get().exit(), served.get()::toString);
            assertEquals(Set.of("a", "b"), traffic.spread(vipUrl, 4, Optional.empty()).keySet(), "after serve on B stopped");
            CliRun status = CliRun.run("status", "--state-dir", stateA);
            assertTrue(status.out().matches("(?s).*haproxy pid \\d+ running.*"), status::toString);

            CliRun undeploy = CliRun.run("undeploy", pool.get(), "--state-dir", stateA);
            assertEquals(0, undeploy.exit(), undeploy::toString);
        } finally {
            if (serve != null && serve.isAlive()) {
                serve.interrupt();
                serve.join(30_000);
            }
            // remove what this test created, also after a failure: only A's own instances
            LiveChecks.removeAll(Map.of("state_dir", stateA + "/haproxy", "bridge", t.bridge()), t);
        }
        List<String> prefixes = pool.get() == null ? List.of(t.namePrefix()) : List.of("qlbaas-" + pool.get(), t.namePrefix());
        assertEquals(List.of(), LiveChecks.leftovers(prefixes, stateA));
        assertEquals(List.of(), LiveChecks.leftovers(List.of(), stateB));
    }

    private static void awaitListening(int port, Thread serve, AtomicReference<CliRun> served) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!serve.isAlive()) {
                    throw new AssertionError("serve ended: " + served.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("serve did not listen on " + port + " within 30 s");
                }
                Thread.sleep(100);
            }
        }
    }
}
