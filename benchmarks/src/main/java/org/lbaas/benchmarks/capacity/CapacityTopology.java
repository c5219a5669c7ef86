package org.lbaas.benchmarks.capacity;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;

import org.lbaas.lab.backend.TestBackendProcess;
import org.lbaas.lab.netns.NetnsLedger;

/**
 * The network of a capacity run, sized for a thousand load balancers and more.
 *
 * <p>A Linux bridge carries at most 1024 ports (the kernel numbers bridge ports with 10 bits), so
 * the VIP ports of the load balancers cannot share one bridge with everything else once N grows
 * towards a thousand. The topology is therefore a two-level tree:
 * <pre>
 *   client ns (eth0) ──┐                      ┌── tap… (VIP ns 1)
 *                      ├── hub bridge ──uplink──┤ VIP bridge ── …   (up to 1023 ports)
 *   backend ns (eth0)──┘   &lt;p&gt;h        &lt;p&gt;u0/&lt;p&gt;u1        └── tap… (VIP ns N)
 * </pre>
 * The hub holds the client, the shared backend and one uplink veth per VIP bridge; each VIP bridge
 * holds its uplink and up to {@value #PORTS_PER_VIP_BRIDGE} VIP ports. It is one L2 segment, one
 * {@code /16} subnet: the driver's veths join a VIP bridge exactly as they would on a node. The
 * {@code haproxy-ns} driver plugs every VIP into the one {@code bridge} it is configured with, so
 * one driver fills one VIP bridge: this harness builds one (N at most {@value #PORTS_PER_VIP_BRIDGE});
 * beyond that a node needs a second VIP bridge and a driver that spreads ports over several (see
 * the README).
 *
 * <p>Names: every name starts with {@code lbt} and six random characters. Addresses: a random
 * {@code /16} inside {@code 198.18.0.0/15} (reserved for benchmarking); the bridges carry no
 * address and bypass the host's packet filters, so nothing routes between the test subnet and the
 * host. {@link #close()} stops the backends by PID and deletes every recorded device and
 * namespace in reverse order.
 */
final class CapacityTopology implements AutoCloseable {

    /** Ports left for VIPs on one bridge: 1023 port numbers minus the uplink. */
    static final int PORTS_PER_VIP_BRIDGE = 1022;
    static final int BACKEND_PORT_A = 8081;
    static final int BACKEND_PORT_B = 8082;
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(60);

    private final ShellExecutor shell;
    private final String prefix;
    private final int secondOctet;
    private final NetnsLedger ledger;
    private final List<TestBackendProcess> backends = new ArrayList<>();
    private boolean closed;

    private CapacityTopology(ShellExecutor shell) {
        this.shell = shell;
        this.prefix = NetnsLedger.randomPrefix();
        this.ledger = new NetnsLedger(shell, prefix, IP_TIMEOUT);
        SecureRandom random = new SecureRandom();
        this.secondOctet = 18 + random.nextInt(2);
    }

    /** Builds the network and starts two test backends (ports 8081 and 8082) in the backend namespace. */
    static CapacityTopology create(ShellExecutor shell) {
        return NetnsLedger.buildOrClose(new CapacityTopology(Objects.requireNonNull(shell, "shell")), CapacityTopology::build);
    }

    private void build() {
        StringBuilder root = new StringBuilder();
        for (String br : List.of(hubBridge(), vipBridge())) {
            root.append(ledger.bridge(br, " mcast_snooping 0"));
        }
        ledger.link(prefix + "u0");
        root.append("link add ").append(prefix).append("u0 type veth peer name ").append(prefix).append("u1\n")
                .append("link set ").append(prefix).append("u0 addrgenmode none master ").append(hubBridge()).append(" up\n")
                .append("link set ").append(prefix).append("u1 addrgenmode none master ").append(vipBridge()).append(" up\n");
        for (String host : List.of("c", "b")) {
            String ns = namespace(host);
            root.append(ledger.namespace(ns)).append(ledger.veth(prefix + "v" + host, ns, hubBridge()));
        }
        ledger.run(Command.of("ip", "-batch", "-").withStdin(root.toString())).requireSuccess();
        for (String host : List.of("c", "b")) {
            InetAddress a = host.equals("c") ? clientAddress() : backendAddress();
            String script = "link set lo up\naddr add " + a.getHostAddress() + "/16 dev eth0\nlink set eth0 up\n";
            ledger.run(Command.of("ip", "-n", namespace(host), "-batch", "-").withStdin(script)).requireSuccess();
        }
        for (int port : List.of(BACKEND_PORT_A, BACKEND_PORT_B)) {
            TestBackendProcess p = TestBackendProcess.builder("be" + port).namespace(backendNamespace()).bind("0.0.0.0")
                    .port(port).launch();
            synchronized (backends) {
                backends.add(ledger.started(p));
            }
        }
        synchronized (backends) {
            backends.forEach(b -> b.awaitReady(Duration.ofSeconds(60)));
        }
    }

    private String backendMac;
    private String clientMac;

    String backendMac() {
        if (backendMac == null) {
            backendMac = etherDevice(backendNamespace())[1];
        }
        return backendMac;
    }

    String clientMac() {
        if (clientMac == null) {
            clientMac = etherDevice(clientNamespace())[1];
        }
        return clientMac;
    }

    /** The first Ethernet device of a namespace: its name and MAC. */
    String[] etherDevice(String namespace) {
        return etherDevice(namespace, "");
    }

    /** The first Ethernet device of a namespace whose name starts with {@code namePrefix}: its name and MAC. */
    String[] etherDevice(String namespace, String namePrefix) {
        String out = ledger.run(Command.of("ip", "-n", namespace, "-o", "link", "show")).requireSuccess().stdout();
        for (String line : out.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            String name = f.length > 1 ? f[1].replaceAll(":$", "") : "";
            int at = name.indexOf('@');
            name = at < 0 ? name : name.substring(0, at);
            for (int i = 0; i + 1 < f.length; i++) {
                if (f[i].equals("link/ether") && name.startsWith(namePrefix)) {
                    return new String[] {name, f[i + 1]};
                }
            }
        }
        throw new IllegalStateException("no Ethernet device " + namePrefix + "... in " + namespace + ": " + out);
    }

    String prefix() {
        return prefix;
    }

    String hubBridge() {
        return prefix + "h";
    }

    private boolean haBridgeRecorded;

    /**
     * The HA bridge of active/standby pairs, {@code <prefix>ha}. The driver creates it on the first
     * deploy and leaves it; the first call records it, so that {@link #close()} deletes it.
     */
    synchronized String haBridge() {
        if (!haBridgeRecorded) {
            ledger.link(prefix + "ha");
            haBridgeRecorded = true;
        }
        return prefix + "ha";
    }

    /** The bridge the driver plugs VIP ports into. */
    String vipBridge() {
        return prefix + "v0";
    }

    String namespace(String host) {
        return prefix + "-" + host;
    }

    String clientNamespace() {
        return namespace("c");
    }

    String backendNamespace() {
        return namespace("b");
    }

    String subnetCidr() {
        return "198." + secondOctet + ".0.0/16";
    }

    InetAddress gateway() {
        return address(1);
    }

    /**
     * The client's address, {@code 198.x.255.10}: at the top of the subnet, because the service
     * hands out the instance addresses of active/standby pairs from its bottom and does not know
     * the harness's own hosts.
     */
    InetAddress clientAddress() {
        return address(0xff00 + 10);
    }

    /** The backend's address, {@code 198.x.255.11} (see {@link #clientAddress()}). */
    InetAddress backendAddress() {
        return address(0xff00 + 11);
    }

    /**
     * The VIP of load balancer {@code i} (0-based): {@code 198.x.128.0} and up, above the instance
     * addresses the service allocates from the bottom of the subnet (two per pair).
     */
    InetAddress vip(int i) {
        if (i < 0 || i >= 0x7f00) {
            throw new IllegalArgumentException("VIP index out of range: " + i);
        }
        return address(0x8000 + i);
    }

    private InetAddress address(int host) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 198, (byte) secondOctet, (byte) (host >> 8), (byte) host});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PIDs of the backend JVMs. */
    List<Long> backendPids() {
        synchronized (backends) {
            return backends.stream().map(TestBackendProcess::pid).toList();
        }
    }

    CommandResult exec(String namespace, Command command) {
        return shell.execute(NetnsLedger.inNamespace(namespace, command));
    }

    /** Names with this topology's prefix that still exist (namespaces and root devices). */
    List<String> leftovers() {
        return ledger.leftovers();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        NetnsLedger.throwIfAny(ledger.removeAll("capacity topology"));
    }

    @Override
    public String toString() {
        return "CapacityTopology[" + prefix + ", " + subnetCidr() + "]";
    }
}
