package org.lbaas.driver.haproxy;

import com.google.common.io.MoreFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.conformance.ConformanceEnvironment;
import org.lbaas.conformance.DriverConformanceKit;
import org.lbaas.lab.netns.CleanupHook;
import org.lbaas.lab.netns.NetnsTopology;

/**
 * The {@code haproxy-ns} driver against the conformance kit in live mode: every command the
 * driver runs really runs ({@link ShellExecutor#system()} behind the kit's recording shell, which
 * still injects the kit's failures), every load balancer the kit builds is a real HAProxy in its
 * own namespace, its VIP on a veth in the bridge of a {@link NetnsTopology} (so plugging,
 * routing, IPv6 duplicate address detection and unplugging are real too). Needs root, {@code ip}
 * and {@code haproxy}.
 *
 * <p>Names: the namespace prefix is the topology's random {@code lbt...} prefix plus {@code k};
 * each test's state directory lies in the kit's temporary directory. After every test (once the
 * kit has reconciled the driver with nothing desired) and after the class, {@link LiveHost}
 * checks the host for anything left: a namespace with the prefix, an HAProxy whose configuration
 * lies in one of the test's directories, a device in the bridge, the directories themselves. It
 * removes what it finds (processes by pid) and fails the test that left it; a shutdown hook does
 * the same if the JVM ends early.
 */
@Tag("live")
class HaproxyNsDriverLiveConformanceTest extends DriverConformanceKit {

    @RegisterExtension
    static final LiveHost HOST = new LiveHost();

    @Override
    protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
        env.shell().passThroughTo(ShellExecutor.system());
        return new HaproxyNsDriverProvider().create(env.config()
                .with("state_dir", HOST.stateDir(env).toString())
                .with("namespace_prefix", HOST.namespacePrefix())
                .with("interface_driver", "linuxbridge")
                .with("bridge", HOST.bridge())
                .with("stop_grace", "2s"));
    }

    @Override
    protected Optional<String> providerName() {
        return Optional.of(HaproxyNsDriverProvider.NAME);
    }

    /**
     * {@code kill -9} of the load balancer's HAProxy (the pid in its pid file, checked to be an
     * HAProxy of that instance first), then a bounded wait until it is gone.
     */
    @Override
    protected Optional<BiConsumer<LoadBalancerDriver, UUID>> crasher() {
        return Optional.of((driver, poolId) -> {
            HaproxyNsDriver d = (HaproxyNsDriver) driver;
            InstanceFiles files = d.files(d.instance(poolId));
            long pid;
            try {
                pid = Long.parseLong(Files.readString(files.pidFile()).strip());
            } catch (IOException | NumberFormatException e) {
                throw new AssertionError("pool " + poolId + " has no pid file to crash", e);
            }
            HostView host = HostView.system();
            if (host.process(pid).filter(p -> p.isHaproxyWith(files.config())).isEmpty()) {
                throw new AssertionError("pool " + poolId + ": " + pid + " is not its HAProxy");
            }
            CommandResult r = ShellExecutor.system().execute(Command.of("kill", "-KILL", Long.toString(pid)));
            if (!r.isSuccess()) {
                throw new AssertionError("kill -KILL " + pid + ": " + r.stderr());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (host.process(pid).isPresent()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("HAProxy " + pid + " survived SIGKILL for 5 s");
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        });
    }

    /**
     * The host side of the live run: one {@link NetnsTopology} (bridge and client namespace) for
     * the class, the directories of the current test, and the checks that nothing is left.
     */
    static final class LiveHost implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

        private final ShellExecutor shell = ShellExecutor.system();
        private final List<Path> testDirectories = new ArrayList<>();
        private CleanupHook shutdownHook;
        private NetnsTopology topology;

        @Override
        public synchronized void beforeAll(ExtensionContext context) {
            // called once for the class (the kit's groups are test factories of it); the topology is made once
            if (topology == null) {
                topology = NetnsTopology.builder().create();
                shutdownHook = CleanupHook.register("live-conformance-cleanup", this::close);
            }
        }

        synchronized String namespacePrefix() {
            return topology().namePrefix() + "k";
        }

        synchronized String bridge() {
            return topology().bridge();
        }

        /** The driver's state directory for this test, inside the kit's directory; remembered for the checks. */
        synchronized Path stateDir(ConformanceEnvironment env) {
            testDirectories.add(env.directory());
            return env.directory().resolve("state");
        }

        private NetnsTopology topology() {
            if (topology == null) {
                throw new IllegalStateException("the live host is not set up");
            }
            return topology;
        }

        @Override
        public synchronized void afterEach(ExtensionContext context) {
            // runs after the kit's own @AfterEach, which reconciled the driver with nothing desired
            List<String> left = sweep(List.copyOf(testDirectories));
            testDirectories.clear();
            if (!left.isEmpty()) {
                throw new AssertionError("the haproxy-ns driver left behind after '" + context.getDisplayName()
                        + "' (now removed): " + left);
            }
        }

        @Override
        public synchronized void afterAll(ExtensionContext context) {
            if (context.getRequiredTestClass() != HaproxyNsDriverLiveConformanceTest.class || topology == null) {
                return;
            }
            shutdownHook.close();
            close();
        }

        private synchronized void close() {
            if (topology == null) {
                return;
            }
            List<String> left;
            try {
                left = sweep(List.copyOf(testDirectories));
            } finally {
                testDirectories.clear();
                NetnsTopology t = topology;
                topology = null;
                t.close();
            }
            if (!left.isEmpty()) {
                throw new AssertionError("the haproxy-ns driver left behind at the end (now removed): " + left);
            }
        }

        /**
         * Finds and removes what a driver of this run left on the host: HAProxy processes of these
         * directories (by pid), namespaces with the prefix, devices in the bridge other than the
         * topology's own, and the directories.
         *
         * @return what was found, empty when the host is clean
         */
        private List<String> sweep(List<Path> directories) {
            List<String> found = new ArrayList<>();
            HostView host = HostView.system();
            List<Long> pids = new ArrayList<>();
            for (HostView.ProcessInfo p : host.processes()) {
                boolean ours = directories.stream().anyMatch(d -> p.argv().stream().anyMatch(a -> a.startsWith(d.toString())));
                if (ours && !p.argv().isEmpty() && Path.of(p.argv().get(0)).getFileName().toString().equals("haproxy")) {
                    found.add("process " + p.pid() + " " + String.join(" ", p.argv()));
                    pids.add(p.pid());
                }
            }
            if (!pids.isEmpty()) {
                List<String> argv = new ArrayList<>(List.of("kill", "-KILL"));
                pids.forEach(pid -> argv.add(Long.toString(pid)));
                shell.execute(Command.of(argv));
            }
            String prefix = topology.namePrefix() + "k";
            for (String ns : host.namespaces()) {
                if (ns.startsWith(prefix)) {
                    found.add("namespace " + ns);
                    shell.execute("ip", "netns", "del", ns);
                }
            }
            for (String device : bridgePorts()) {
                found.add("device " + device);
                shell.execute("ip", "link", "del", device);
            }
            for (Path d : directories) {
                for (Path p : List.of(d, d.resolveSibling(d.getFileName() + ".kept-aside"))) {
                    if (Files.exists(p)) {
                        found.add("directory " + p);
                        deleteTree(p);
                    }
                }
            }
            return found;
        }

        /** Devices enslaved to the bridge, except the topology's own veths. */
        private List<String> bridgePorts() {
            CommandResult r = shell.execute("ip", "-o", "link", "show", "master", topology.bridge());
            if (!r.isSuccess()) {
                throw new IllegalStateException("cannot list the ports of bridge " + topology.bridge() + ": " + r.stderr());
            }
            List<String> ports = new ArrayList<>();
            for (String line : r.stdout().lines().toList()) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 1) {
                    String name = fields[1].replaceAll(":$", "").replaceAll("@.*$", "");
                    if (!name.startsWith(topology.namePrefix())) {
                        ports.add(name);
                    }
                }
            }
            return ports;
        }

        private static void deleteTree(Path root) {
            try {
                MoreFiles.deleteRecursively(root);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + root, e);
            }
        }
    }
}
