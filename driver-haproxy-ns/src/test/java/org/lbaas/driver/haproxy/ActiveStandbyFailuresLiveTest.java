package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.haproxy.internal.NetworkRecord;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.InstanceStatus;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.LoadBalancer;

/**
 * Failures of the active side of a pair other than an HAProxy crash, with real traffic from the
 * client namespace: the active's VIP link cut on the host, the active's namespace deleted, and the
 * active's keepalived killed. Each time the standby serves (measured where a failover happens),
 * and repair or reconcile brings the failed instance back as STANDBY without taking the VIP back.
 */
class ActiveStandbyFailuresLiveTest extends PairLiveTest {

    private static CommandResult host(String... argv) {
        return ShellExecutor.system().execute(Command.of(argv));
    }

    @Test
    void aCutLinkOfTheActiveFailsOverAndRepairBringsTheDeviceUpAndTheInstanceBackAsStandby() throws Exception {
        LoadBalancer lb = deploy(pairLb());
        int active = activeOrdinal(lb);
        String device = vipHostDevice(lb, active);
        assertEquals(device, record(lb, active).hostDevice(), "the VIP's host device is named like Neutron's tap");
        assertEquals(30, env.requests(lb, 30).stream().filter(h -> h.status() == 200).count());

        long t0 = System.nanoTime();
        assertEquals(0, host("ip", "link", "set", device, "down").exitCode());
        double ms = untilServed(lb, t0);
        System.out.printf("MEASURED active's VIP link cut (ip link set %s down) to first served request: %.0f ms%n", device, ms);
        assertTrue(ms < 1000, "failover took " + ms + " ms");
        await("instance " + (1 - active) + " ACTIVE", Duration.ofSeconds(2), () -> role(lb, 1 - active) == InstanceStatus.Role.ACTIVE);
        assertEquals(InstanceStatus.Role.FAULT, role(lb, active), "keepalived tracks the VIP's device: no carrier is a fault");
        assertEquals(30, env.requests(lb, 30).stream().filter(h -> h.status() == 200).count(), "the standby serves");
        String finding = ha.probe(List.of(lb.id())).get(lb.id());
        assertEquals("instance " + active + ": device " + device + " of namespace " + namespace(lb, active) + " is down", finding);

        ApplyResult repaired = ha.repair(lb);
        assertEquals(ApplyResult.Action.CHANGED_IN_PLACE, repaired.action(), repaired.toString());
        assertTrue(repaired.detail().contains("brought " + device + " up"), repaired.detail());
        assertTrue(HostView.system().deviceUp(device), device + " is up again");
        awaitHealthy(lb, Duration.ofSeconds(5));
        Thread.sleep(500);
        assertEquals(1 - active, activeOrdinal(lb), "the repaired instance must not take the VIP back");
        assertEquals(InstanceStatus.Role.STANDBY, role(lb, active));
        assertEquals(Map.of(), ha.probe(List.of(lb.id())));
        assertEquals(ApplyResult.Action.UNCHANGED, ha.repair(lb).action(), "a healthy pair needs nothing");
        assertEquals(30, env.requests(lb, 30).stream().filter(h -> h.status() == 200).count());

        // the repaired instance is a working standby: the next failure of the active moves the VIP back
        long pid = haproxyPid(lb, 1 - active);
        long t1 = System.nanoTime();
        kill("-KILL", pid);
        double back = untilServed(lb, t1);
        System.out.printf("MEASURED after the link repair, SIGKILL of the new active's HAProxy to first served request: %.0f ms%n", back);
        assertTrue(back < 1000, "failover back took " + back + " ms");
        assertEquals(active, activeOrdinal(lb));
    }

    /** The inode of a network namespace ({@code /run/netns/NAME} or {@code /proc/PID/ns/net}). */
    private static long netnsInode(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
    }

    /** Processes still in the network namespace of inode {@code inode}. */
    private static List<Long> processesInNamespace(long inode) throws IOException {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    if (Files.readSymbolicLink(p.resolve("ns/net")).toString().equals("net:[" + inode + "]")) {
                        out.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // exited meanwhile, or a kernel thread
                }
            }
        }
        return out;
    }

    @Test
    void aDeletedNamespaceOfTheActiveKeepsServingUntilReconcileReplacesItWithAStandby() throws Exception {
        LoadBalancer lb = deploy(pairLb());
        int active = activeOrdinal(lb);
        String ns = namespace(lb, active);
        long inode = netnsInode(Path.of("/run/netns", ns));
        List<Long> before = processesInNamespace(inode);
        assertEquals(3, before.size(), "HAProxy and keepalived's parent and VRRP child run in " + ns + ": " + before);

        assertEquals(0, host("ip", "netns", "del", ns).exitCode());
        assertFalse(HostView.system().namespaceExists(ns));
        assertEquals(before, processesInNamespace(inode), "the processes keep the namespace alive");
        // what happens to traffic: the orphaned namespace still holds the VIP, its keepalived still
        // advertises, so the active keeps serving and the standby stays BACKUP
        long served = env.requests(lb, 30).stream().filter(h -> h.status() == 200).count();
        System.out.printf("MEASURED active's namespace deleted: %d of 30 requests served (by the orphaned namespace)%n", served);
        assertEquals(30, served);
        assertEquals(InstanceStatus.Role.STANDBY, role(lb, 1 - active), "no failover: the orphan still advertises");
        assertEquals(InstanceStatus.Role.FAULT, role(lb, active), "the instance cannot be managed: not running as deployed");
        assertEquals("instance " + active + ": namespace " + ns + " is gone", ha.probe(List.of(lb.id())).get(lb.id()));

        ReconcileReport report;
        LiveEnv.Load load = env.load(lb, 1, 10);
        try {
            Thread.sleep(300);
            report = ha.reconcile(List.of(lb));
            Thread.sleep(300);
        } finally {
            load.close();
        }
        System.out.printf("MEASURED reconcile of the deleted namespace under load: %d requests, %d failed %s%n",
                load.sent(), load.failures().size(), LiveEnv.byBackend(load.failures()));
        assertTrue(report.succeeded(), report.failed().toString());
        assertEquals(java.util.Set.of(lb.id()), report.repaired());
        assertTrue(load.failures().size() <= 10, "at most the batch in flight on the stopped active fails: " + load.failures());

        awaitHealthy(lb, Duration.ofSeconds(5));
        assertEquals(1 - active, activeOrdinal(lb), "the standby took over when the orphan's keepalived stopped");
        assertEquals(InstanceStatus.Role.STANDBY, role(lb, active), "the rebuilt instance rejoins as STANDBY");
        assertTrue(HostView.system().namespaceExists(ns), "rebuilt under its name");
        assertNotEquals(inode, netnsInode(Path.of("/run/netns", ns)), "a new namespace");
        await("the orphaned namespace's processes to end", Duration.ofSeconds(5), () -> {
            try {
                return processesInNamespace(inode).isEmpty();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        NetworkRecord net = record(lb, active);
        for (String device : List.of(net.hostDevice(), net.ha().orElseThrow().hostDevice())) {
            assertTrue(HostView.system().deviceUp(device), device + " exists and is up");
            CommandResult link = host("ip", "-o", "link", "show", device);
            assertTrue(link.stdout().contains("link-netns " + ns) || link.stdout().contains("link-netnsid"),
                    device + " is the peer of a device in the new namespace: " + link.stdout());
        }
        assertEquals(3, processesOf(lb, active).size(), "one HAProxy and one keepalived (parent, child): " + processesOf(lb, active));
        assertEquals(Map.of(), ha.probe(List.of(lb.id())));
        assertEquals(30, env.requests(lb, 30).stream().filter(h -> h.status() == 200).count());
    }

    private static long pidIn(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }

    private boolean holdsVip(LoadBalancer lb, int ordinal) {
        NetworkRecord net = record(lb, ordinal);
        CommandResult r = host("ip", "-n", net.namespace(), "-o", "addr", "show", "dev", net.nsDevice());
        return r.stdout().contains(" " + lb.vip().orElseThrow().address().getHostAddress() + "/");
    }

    @Test
    void aKilledKeepalivedOfTheActiveFailsOverAndReconcileRestartsItAsBackupWithoutTheStaleVip() throws Exception {
        killKeepalivedOfTheActive(false);
    }

    /**
     * The VRRP child killed 20 ms before its parent: the parent starts a new child meanwhile, which
     * outlives it (and may remove the VIP itself); the pid files then name processes that are gone.
     */
    @Test
    void aKeepalivedWhoseChildDiedBeforeItsParentIsRestartedAsBackupToo() throws Exception {
        killKeepalivedOfTheActive(true);
    }

    private void killKeepalivedOfTheActive(boolean childFirst) throws Exception {
        LoadBalancer lb = deploy(pairLb());
        int active = activeOrdinal(lb);
        int standby = 1 - active;
        Path dir = files(lb, active).dir();
        long parent = pidIn(dir.resolve("keepalived.pid"));
        long vrrp = pidIn(dir.resolve("vrrp.pid"));
        assertTrue(holdsVip(lb, active) && !holdsVip(lb, standby), "the VIP is on the active only");
        assertEquals(30, env.requests(lb, 30).stream().filter(h -> h.status() == 200).count());
        assertEquals(record(lb, active).mac(), clientNeighbourMac(lb), "the client reaches the active");

        LiveEnv.Load load = env.load(lb, 1, 10);
        try {
            Thread.sleep(300);
            long t0 = System.nanoTime();
            if (childFirst) {
                kill("-KILL", vrrp);
                Thread.sleep(20);
                kill("-KILL", parent);
            } else {
                // one kill, parent first: a parent that outlived its VRRP child would start a new one
                CommandResult killed = host("kill", "-KILL", Long.toString(parent), Long.toString(vrrp));
                assertEquals(0, killed.exitCode(), killed.stderr());
            }
            await("instance " + standby + " MASTER", Duration.ofSeconds(5), () -> role(lb, standby) == InstanceStatus.Role.ACTIVE);
            double master = (System.nanoTime() - t0) / 1e6;
            String standbyMac = record(lb, standby).mac();
            await("the client's ARP entry for the VIP to name the new MASTER", Duration.ofSeconds(5),
                    () -> clientNeighbourMac(lb).equals(standbyMac));
            double arp = (System.nanoTime() - t0) / 1e6;
            System.out.printf("MEASURED active's keepalived SIGKILL (%s) to the standby's MASTER: %.0f ms; to the client's ARP entry naming it: %.0f ms%n",
                    childFirst ? "VRRP child 20 ms before the parent" : "parent and VRRP child at once", master, arp);
            assertTrue(master < 1000, "takeover took " + master + " ms");
            assertTrue(arp < 1000, "the client followed after " + arp + " ms");
            if (!childFirst) {
                assertTrue(holdsVip(lb, active), "a killed keepalived leaves the VIP on its device");
            }
            assertEquals(InstanceStatus.Role.FAULT, role(lb, active));
            assertEquals("instance " + active + ": keepalived is not running", ha.probe(List.of(lb.id())).get(lb.id()));

            ReconcileReport report = ha.reconcile(List.of(lb));
            assertTrue(report.succeeded(), report.failed().toString());
            assertEquals(java.util.Set.of(lb.id()), report.repaired());
            Thread.sleep(300);
        } finally {
            load.close();
        }
        System.out.printf("MEASURED keepalived SIGKILL (%s) and reconcile under load: %d requests, %d failed %s%n",
                childFirst ? "child first" : "at once", load.sent(), load.failures().size(), LiveEnv.byBackend(load.failures()));
        if (childFirst) {
            // the parent's new child may remove the VIP before the standby's gratuitous ARP reaches the
            // client: the requests in flight in that window (one load client) may fail, no more
            assertTrue(load.failures().size() <= 2, "more than the requests in flight failed: " + load.failures());
        } else {
            assertEquals(List.of(), load.failures(), "the old active kept serving until the client followed the new MASTER");
        }
        assertFalse(holdsVip(lb, active), "the restarted keepalived's instance removed the stale VIP first");
        awaitHealthy(lb, Duration.ofSeconds(5));
        assertEquals(standby, activeOrdinal(lb), "the restarted instance must not take the VIP back");
        assertEquals(InstanceStatus.Role.STANDBY, role(lb, active));
        assertFalse(HostView.system().process(parent).isPresent() || HostView.system().process(vrrp).isPresent());
        assertEquals(Map.of(), ha.probe(List.of(lb.id())));
        assertEquals(30, env.requests(lb, 30).stream().filter(h -> h.status() == 200).count());
        assertEquals(record(lb, standby).mac(), clientNeighbourMac(lb));
    }
}
