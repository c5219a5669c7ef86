package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.driver.haproxy.internal.NetworkRecord;
import org.lbaas.driver.haproxy.internal.runtime.RuntimeClient;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.InstanceStatus;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.lab.netns.NetnsTopology;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Protocol;

/**
 * The base of live tests of an active/standby pair: a {@code topology=active_standby} driver over
 * the {@link LiveEnv}'s state directory with a unique HA bridge (deleted after each test, after the
 * pairs are removed), and what those tests look at: roles, the active instance, each instance's
 * files, socket and devices, the time until the VIP answers, and that nothing of a pair is left.
 */
abstract class PairLiveTest extends LiveEnvTest {

    static final List<InstanceStatus.Role> HEALTHY = List.of(InstanceStatus.Role.ACTIVE, InstanceStatus.Role.STANDBY);

    HaproxyNsDriver ha;
    String haBridge;

    @BeforeEach
    final void pairDriver() {
        haBridge = env.topology.namePrefix() + "h";
        ha = env.newDriver(Map.of("topology", "active_standby", "ha_bridge", haBridge, "advert_interval", "100ms"));
    }

    @AfterEach
    final void removePairs() {
        try {
            var report = ha.reconcile(List.of());
            assertTrue(report.succeeded(), "cleanup reconcile failed: " + report.failed());
            assertEquals(List.of(), env.leftovers(), "left behind");
        } finally {
            ShellExecutor.system().execute(Command.of("ip", "link", "del", haBridge));
        }
    }

    /** An HTTP load balancer on backends {@code a b c} with both instance addresses. */
    LoadBalancer pairLb() {
        return withInstanceAddresses(env.withBackends(env.lb(Protocol.HTTP), "a", "b", "c"));
    }

    LoadBalancer withInstanceAddresses(LoadBalancer lb) {
        InetAddress i0 = env.topology.allocateIpv4();
        InetAddress i1 = env.topology.allocateIpv4();
        return lb.withInstanceAddresses(List.of(i0, i1));
    }

    /** Deploys a pair and waits until it has one ACTIVE and one STANDBY. */
    LoadBalancer deploy(LoadBalancer lb) throws InterruptedException {
        ApplyResult r = ha.apply(Optional.empty(), lb);
        assertEquals(ApplyResult.Action.DEPLOYED, r.action(), r.toString());
        awaitHealthy(lb, Duration.ofSeconds(5));
        return lb;
    }

    InstanceFiles files(LoadBalancer lb, int ordinal) {
        return ha.files(new InstanceId(lb.id(), ordinal));
    }

    String namespace(LoadBalancer lb, int ordinal) {
        return ha.namespace(new InstanceId(lb.id(), ordinal));
    }

    NetworkRecord record(LoadBalancer lb, int ordinal) {
        return files(lb, ordinal).readNetwork().orElseThrow(() -> new AssertionError("no network record of instance " + ordinal));
    }

    /** The VIP's host-side device of an instance: {@code tap} (ordinal 0) or {@code t1p} (ordinal 1) and 11 characters of the port id. */
    static String vipHostDevice(LoadBalancer lb, int ordinal) {
        String eleven = lb.vip().orElseThrow().portId().toString().substring(0, 11);
        return (ordinal == 0 ? "tap" : "t" + ordinal + "p") + eleven;
    }

    /** The HA link's host-side device of an instance: {@code ha<ordinal>-} and 11 characters of the pool id. */
    static String haHostDevice(LoadBalancer lb, int ordinal) {
        return "ha" + ordinal + "-" + lb.id().toString().substring(0, 11);
    }

    /** The roles of the instances, sorted (ACTIVE before STANDBY before FAULT ...). */
    List<InstanceStatus.Role> roles(LoadBalancer lb) {
        return ha.observe(lb.id()).map(o -> o.instances().stream().map(InstanceStatus::role).sorted().toList()).orElse(List.of());
    }

    /** The role of one instance, from the observation's instance list. */
    InstanceStatus.Role role(LoadBalancer lb, int ordinal) {
        String name = namespace(lb, ordinal);
        return ha.observe(lb.id()).flatMap(o -> o.instances().stream().filter(i -> i.name().equals(name)).findFirst())
                .map(InstanceStatus::role).orElse(InstanceStatus.Role.UNKNOWN);
    }

    int activeOrdinal(LoadBalancer lb) {
        Observation o = ha.observe(lb.id()).orElseThrow(() -> new AssertionError("the pair is not observed running"));
        InstanceStatus active = o.active().orElseThrow(() -> new AssertionError("no active instance: " + o.instances()));
        return active.name().equals(namespace(lb, 0)) ? 0 : 1;
    }

    void awaitHealthy(LoadBalancer lb, Duration timeout) throws InterruptedException {
        await("one ACTIVE and one STANDBY instance, have " + roles(lb), timeout, () -> roles(lb).equals(HEALTHY));
    }

    /** Milliseconds from {@code t0} (a {@link System#nanoTime()}) until a request through the VIP succeeds; each try bounded to 300 ms. */
    double untilServed(LoadBalancer lb, long t0) {
        long deadline = t0 + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (served(lb)) {
                return (System.nanoTime() - t0) / 1e6;
            }
        }
        throw new AssertionError("the VIP did not answer within 10 s");
    }

    /** Whether one request through the VIP succeeds within 300 ms. */
    boolean served(LoadBalancer lb) {
        CommandResult r = env.topology.exec(NetnsTopology.CLIENT, Command.of("curl", "-s", "--noproxy", "*", "--max-time", "0.3",
                "-o", "/dev/null", "-w", "%{http_code}", env.url(lb, "/r")).withTimeout(Duration.ofSeconds(5)));
        return r.stdout().strip().equals("200");
    }

    /** Runs a command on one instance's stats socket. */
    String socket(LoadBalancer lb, int ordinal, String command) throws IOException {
        return RuntimeClient.unixSocket().execute(files(lb, ordinal).socket(), command, Duration.ofSeconds(5));
    }

    /** The pid in one instance's HAProxy pid file. */
    long haproxyPid(LoadBalancer lb, int ordinal) throws IOException {
        return Long.parseLong(Files.readString(files(lb, ordinal).pidFile()).strip());
    }

    /** The MAC address the client's neighbour table holds for the VIP, or "" when it holds none. */
    String clientNeighbourMac(LoadBalancer lb) {
        String vip = lb.vip().orElseThrow().address().getHostAddress();
        CommandResult r = env.topology.exec(NetnsTopology.CLIENT, "ip", "neigh", "show", vip);
        String[] f = r.stdout().strip().split("\\s+");
        for (int i = 0; i + 1 < f.length; i++) {
            if (f[i].equals("lladdr")) {
                return f[i + 1];
            }
        }
        return "";
    }

    static void kill(String signal, long pid) {
        CommandResult r = ShellExecutor.system().execute(Command.of("kill", signal, Long.toString(pid)));
        assertEquals(0, r.exitCode(), "kill " + signal + " " + pid + ": " + r.stderr());
    }

    /** Processes (HAProxy or keepalived) whose configuration file lies in one instance's state directory. */
    List<String> processesOf(LoadBalancer lb, int ordinal) {
        String dir = files(lb, ordinal).dir().toString() + "/";
        List<String> out = new ArrayList<>();
        HostView.system().processes().stream().filter(p -> p.configArgument().map(c -> c.startsWith(dir)).orElse(false))
                .forEach(p -> out.add("process " + p.pid() + " " + p.argv()));
        return out;
    }

    /** Everything of either instance that is on the host: namespaces, host devices, processes, state directories. */
    List<String> remainsOf(LoadBalancer lb) {
        List<String> out = new ArrayList<>();
        for (int ordinal = 0; ordinal < 2; ordinal++) {
            String ns = namespace(lb, ordinal);
            if (HostView.system().namespaceExists(ns)) {
                out.add("namespace " + ns);
            }
            for (String device : List.of(vipHostDevice(lb, ordinal), haHostDevice(lb, ordinal))) {
                if (HostView.system().deviceExists(device)) {
                    out.add("device " + device);
                }
            }
            out.addAll(processesOf(lb, ordinal));
            if (Files.exists(files(lb, ordinal).dir())) {
                out.add("state directory " + files(lb, ordinal).dir());
            }
        }
        return out;
    }
}
