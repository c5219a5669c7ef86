package org.lbaas.driver.haproxy.internal.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.lab.netns.HostCheck;

/**
 * Two keepalived processes with rendered configurations, in two namespaces joined by a veth HA
 * link: one becomes MASTER and holds the VIP; a nonzero track file moves the VIP to the other;
 * clearing it does not move the VIP back ({@code nopreempt}); SIGKILL of the master's keepalived
 * (both its processes, by PID) moves the VIP back. A client namespace, bridged to both VIP
 * devices, sees its ARP entry for the VIP follow each takeover without sending anything (the VIP
 * is a {@code virtual_ipaddress_excluded} address: keepalived announces it by gratuitous ARP
 * too). The times are printed, not asserted. Also
 * checks that keepalived logs no warning or deprecation for the rendered file at run time, which
 * {@code keepalived -t} does not report.
 */
@Tag("live")
class KeepalivedFailoverLiveTest {

    private static final String HA = "ha0";
    private static final String VIP_DEVICE = "vip0";
    private static final InetAddress VIP = InetAddresses.forString("10.0.0.10");
    private static final Duration ADVERT = Duration.ofMillis(100);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** One side of the pair: its namespace, files and keepalived. */
    private static final class Side {
        final int ordinal;
        final Namespace ns;
        final Path trackFile;
        final Path config;
        final Path pidFile;
        final Path vrrpPidFile;
        final Path log;
        Process process;

        Side(int ordinal, Namespace ns, Path dir) {
            this.ordinal = ordinal;
            this.ns = ns;
            this.trackFile = dir.resolve("haproxy-" + ordinal + ".down");
            this.config = dir.resolve("keepalived-" + ordinal + ".conf");
            this.pidFile = dir.resolve("keepalived-" + ordinal + ".pid");
            this.vrrpPidFile = dir.resolve("vrrp-" + ordinal + ".pid");
            this.log = dir.resolve("keepalived-" + ordinal + ".log");
        }

        String mac() {
            String link = ns.exec(Namespace.ip().toString(), "-o", "link", "show", "dev", VIP_DEVICE).require().output();
            int at = link.indexOf("link/ether ");
            assertTrue(at >= 0, link);
            return link.substring(at + 11, at + 28);
        }

        boolean holdsVip() {
            return ns.exec(Namespace.ip().toString(), "-o", "-4", "addr", "show", "dev", VIP_DEVICE).output()
                    .contains(" " + VIP.getHostAddress() + "/32 ");
        }

        void start() throws IOException {
            List<String> argv = new ArrayList<>(List.of(Namespace.ip().toString(), "netns", "exec", ns.name(),
                    Namespace.keepalived().toString(), "-n", "-l"));
            argv.addAll(KeepalivedRenderer.startArguments(config, pidFile, vrrpPidFile));
            process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }

        /** The VRRP child's pid, once keepalived wrote it. */
        long vrrpPid() throws IOException {
            awaitTrue("vrrp pid file " + vrrpPidFile, () -> Files.exists(vrrpPidFile));
            return Long.parseLong(Files.readString(vrrpPidFile, StandardCharsets.US_ASCII).strip());
        }

        void stop() {
            List<ProcessHandle> all = new ArrayList<>();
            if (process != null) {
                all.add(process.toHandle());
            }
            try {
                if (Files.exists(vrrpPidFile)) {
                    ProcessHandle.of(vrrpPid()).ifPresent(all::add);
                }
            } catch (IOException | RuntimeException e) {
                // no child to stop
            }
            all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
            for (ProcessHandle h : all) {
                try {
                    h.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            }
        }

        String logText() throws IOException {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        }
    }

    @Test
    void vipMovesOnTrackFileAndOnKeepalivedKillAndDoesNotFlapBack(@TempDir Path dir) throws Exception {
        UUID pool = UUID.randomUUID();
        HaPair pair = HaAddressing.allocate(pool, Set.of());
        try (Namespace nsA = Namespace.create(); Namespace nsB = Namespace.create(); Namespace client = Namespace.create()) {
            Side a = new Side(0, nsA, dir);
            Side b = new Side(1, nsB, dir);
            String ip = Namespace.ip().toString();
            nsA.exec(ip, "link", "add", HA, "type", "veth", "peer", "name", HA, "netns", nsB.name()).require();
            for (Side s : List.of(a, b)) {
                s.ns.addDevice(VIP_DEVICE);
                s.ns.exec(ip, "link", "set", "kap0", "up").require();
                s.ns.exec(ip, "link", "set", VIP_DEVICE, "up").require();
                s.ns.exec(ip, "link", "set", HA, "up").require();
                s.ns.exec(ip, "addr", "add", pair.address(s.ordinal).getHostAddress() + "/" + HaPair.PREFIX_LENGTH, "dev", HA)
                        .require();
                Files.writeString(s.trackFile, "0\n", StandardCharsets.US_ASCII);
                KeepalivedConfig config = KeepalivedConfig.forPair(new InstanceId(pool, s.ordinal), pair, HA, VIP, VIP_DEVICE,
                        ADVERT, s.trackFile, Optional.empty());
                Files.writeString(s.config, KeepalivedRenderer.render(config), StandardCharsets.UTF_8);
                // the VIP device's peer goes into the client namespace's bridge
                String port = "p" + s.ordinal;
                s.ns.exec(ip, "link", "set", "kap0", "netns", client.name()).require();
                client.exec(ip, "link", "set", "kap0", "name", port).require();
            }
            client.exec(ip, "link", "add", "br0", "type", "bridge").require();
            for (String port : List.of("p0", "p1")) {
                client.exec(ip, "link", "set", port, "master", "br0").require();
                client.exec(ip, "link", "set", port, "up").require();
            }
            client.exec(ip, "link", "set", "br0", "up").require();
            client.exec(ip, "addr", "add", "10.0.0.2/24", "dev", "br0").require();
            try {
                a.start();
                b.start();
                awaitTrue("one side holds the VIP", () -> a.holdsVip() || b.holdsVip());
                Thread.sleep(3 * ADVERT.toMillis());
                assertTrue(a.holdsVip() ^ b.holdsVip(), "exactly one side holds the VIP");
                Side master = a.holdsVip() ? a : b;
                Side backup = master == a ? b : a;
                System.out.println("keepalived failover: initial MASTER is ordinal " + master.ordinal);
                String curl = HostCheck.program("curl").orElseThrow().toString();
                client.exec(curl, "-s", "-m", "0.5", "http://" + VIP.getHostAddress() + ":9/");
                awaitTrue("client resolved the VIP to the master", () -> neighbour(client).contains(master.mac()));

                // HAProxy "dies": the master's track file turns nonzero
                long t0 = System.nanoTime();
                Files.writeString(master.trackFile, "1\n", StandardCharsets.US_ASCII);
                awaitTrue("backup takes the VIP after the track file", backup::holdsVip);
                double viaTrackFile = (System.nanoTime() - t0) / 1e9;
                awaitTrue("faulted master drops the VIP", () -> !master.holdsVip());
                awaitTrue("client's ARP entry follows the VIP (gratuitous ARP)", () -> neighbour(client).contains(backup.mac()));

                // HAProxy is back: no preemption, the VIP stays where it is for 10 adverts
                Files.writeString(master.trackFile, "0\n", StandardCharsets.US_ASCII);
                Thread.sleep(10 * ADVERT.toMillis());
                assertTrue(backup.holdsVip(), "new master keeps the VIP");
                assertFalse(master.holdsVip(), "repaired instance does not take the VIP back (nopreempt)");

                // SIGKILL of the new master's keepalived, both processes, by PID
                long child = backup.vrrpPid();
                long t1 = System.nanoTime();
                ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
                backup.process.destroyForcibly();
                awaitTrue("the other side takes the VIP after SIGKILL", master::holdsVip);
                double viaKill = (System.nanoTime() - t1) / 1e9;
                awaitTrue("client's ARP entry follows the VIP back", () -> neighbour(client).contains(master.mac()));
                System.out.printf("keepalived failover (advert_int %s s): track file %.3f s, SIGKILL of keepalived %.3f s%n",
                        KeepalivedTokens.interval("advertInterval", ADVERT), viaTrackFile, viaKill);
            } finally {
                a.stop();
                b.stop();
            }
            for (Side s : List.of(a, b)) {
                String log = s.logText();
                assertTrue(log.contains("Entering MASTER STATE"), "ordinal " + s.ordinal + " never became MASTER:\n" + log);
                for (String bad : List.of("deprecated", "WARNING", "Unknown keyword", "rror")) {
                    assertFalse(log.contains(bad), "keepalived logged '" + bad + "' for ordinal " + s.ordinal + ":\n" + log);
                }
            }
            assertEquals(2, Set.of(nsA.name(), nsB.name()).size());
        }
    }

    private static String neighbour(Namespace client) {
        return client.exec(Namespace.ip().toString(), "neigh", "show", VIP.getHostAddress(), "dev", "br0").output();
    }

    static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + PATIENCE + ": " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted: " + what);
            }
        }
    }
}
