package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.haproxy.internal.runtime.RuntimeClient;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Protocol;
import org.lbaas.lab.netns.CleanupHook;
import org.lbaas.lab.netns.Leftovers;
import org.lbaas.lab.netns.NetnsTopology;

/**
 * A live environment: a {@link NetnsTopology} with backends {@code a b c} running test backends,
 * a temporary state directory and a driver whose namespace prefix carries the topology's random
 * prefix. {@link #close()} removes every instance (reconcile with nothing desired), checks that no
 * namespace, process or directory is left, and removes the topology, even after failures.
 */
final class LiveEnv implements AutoCloseable {

    final NetnsTopology topology;
    final Path stateDir;
    final Map<String, String> settings;
    final HaproxyNsDriver driver;
    private final List<HaproxyNsDriver> extraDrivers = new ArrayList<>();
    private CleanupHook shutdownHook;
    private volatile boolean closed;

    LiveEnv(Path tempDir) {
        NetnsTopology t = NetnsTopology.builder().backends("a", "b", "c").create();
        try {
            t.startBackends();
            this.topology = t;
            this.stateDir = tempDir.resolve("st");
            Map<String, String> s = new HashMap<>();
            s.put("state_dir", stateDir.toString());
            s.put("namespace_prefix", t.namePrefix() + "q");
            s.put("bridge", t.bridge());
            s.put("stop_grace", "3s");
            s.put("arping_binary", "none");
            s.put("ipv6_dad", "skip");
            this.settings = Map.copyOf(s);
            this.driver = newDriver();
            this.shutdownHook = CleanupHook.register("live-env-cleanup", this::close);
        } catch (RuntimeException | Error e) {
            t.close();
            throw e;
        }
    }

    /** A new driver over the same state directory and prefix (as after a JVM restart). */
    HaproxyNsDriver newDriver() {
        return newDriver(Map.of());
    }

    /** A new driver over the same state directory and prefix, with some settings changed. */
    HaproxyNsDriver newDriver(Map<String, String> overrides) {
        Map<String, String> s = new HashMap<>(settings);
        s.putAll(overrides);
        HaproxyNsDriver d = new HaproxyNsDriverProvider()
                .create(new DriverConfig(s, ShellExecutor.system(), Clock.systemUTC()));
        extraDrivers.add(d);
        return d;
    }

    /** A load balancer in the topology's subnet with a fresh VIP and no members. */
    LoadBalancer lb(Protocol protocol) {
        return Lbs.lb(UUID.randomUUID(), UUID.randomUUID(), topology.ipv4Subnet(),
                topology.ipv4Gateway().getHostAddress(), topology.allocateIpv4().getHostAddress(), protocol);
    }

    LoadBalancer withBackends(LoadBalancer lb, String... names) {
        LoadBalancer out = lb;
        for (String n : names) {
            out = Lbs.withMember(out, Lbs.member(out, UUID.randomUUID(), topology.host(n).ipv4().getHostAddress(), 8080));
        }
        return out;
    }

    String url(LoadBalancer lb, String path) {
        java.net.InetAddress a = lb.vip().orElseThrow().address();
        String host = a instanceof java.net.Inet6Address ? "[" + NetnsTopology.format(a) + "]" : a.getHostAddress();
        return "http://" + host + ":" + lb.vip().orElseThrow().protocolPort() + path;
    }

    /** Result of one request: status (0 when the request failed) and the backend that answered. */
    record Hit(int status, String backend) {
    }

    /**
     * Sends {@code n} sequential requests over keep-alive from the client namespace (one curl,
     * URL globbing) and returns each result.
     */
    List<Hit> requests(LoadBalancer lb, int n, String extraHeader) {
        List<String> argv = new ArrayList<>(List.of("curl", "-s", "--noproxy", "*", "--max-time", "5", "-w", "~~%{http_code} %header{x-backend}\\n"));
        if (extraHeader != null) {
            argv.add("-H");
            argv.add(extraHeader);
        }
        if (lb.vip().orElseThrow().address() instanceof java.net.Inet6Address) {
            // an IPv6 literal needs --globoff: repeat the URL instead of globbing
            argv.add("--globoff");
            for (int i = 1; i <= n; i++) {
                argv.add(url(lb, "/r?" + i));
            }
        } else {
            argv.add(url(lb, "/r?[1-" + n + "]"));
        }
        CommandResult r = topology.exec(NetnsTopology.CLIENT, Command.of(argv).withTimeout(Duration.ofSeconds(30 + n / 10)));
        List<Hit> hits = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            int at = line.indexOf("~~");
            if (at >= 0) {
                String[] f = line.substring(at + 2).trim().split(" ", 2);
                hits.add(new Hit(Integer.parseInt(f[0]), f.length > 1 ? f[1].trim() : ""));
            }
        }
        if (hits.size() != n) {
            throw new AssertionError("expected " + n + " results from curl, got " + hits.size() + "; exit " + r.exitCode()
                    + "\nstdout: " + r.stdout() + "\nstderr: " + r.stderr());
        }
        return hits;
    }

    List<Hit> requests(LoadBalancer lb, int n) {
        return requests(lb, n, null);
    }

    /**
     * Continuous load from the client namespace: each client thread sends batches of requests
     * until {@link #close()}, counting what it sent and keeping every failed hit.
     */
    final class Load implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger sent = new AtomicInteger();
        private final List<Hit> failures = Collections.synchronizedList(new ArrayList<>());
        private final List<Thread> clients = new ArrayList<>();

        private Load(LoadBalancer lb, int clientCount, int batch) {
            for (int t = 0; t < clientCount; t++) {
                Thread client = new Thread(() -> {
                    while (!stop.get()) {
                        for (Hit h : requests(lb, batch)) {
                            sent.incrementAndGet();
                            if (h.status() != 200) {
                                failures.add(h);
                            }
                        }
                    }
                }, clientCount == 1 ? "live-client" : "live-client-" + t);
                client.start();
                clients.add(client);
            }
        }

        int sent() {
            return sent.get();
        }

        List<Hit> failures() {
            synchronized (failures) {
                return List.copyOf(failures);
            }
        }

        /** Stops the clients and waits (at most a minute each) for their last batch. */
        @Override
        public void close() {
            stop.set(true);
            try {
                for (Thread t : clients) {
                    t.join(60_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the load", e);
            }
        }
    }

    /** Starts {@code clients} threads sending batches of {@code batch} requests to {@code lb}. */
    Load load(LoadBalancer lb, int clients, int batch) {
        return new Load(lb, clients, batch);
    }

    static Map<String, Integer> byBackend(List<Hit> hits) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Hit h : hits) {
            m.merge(h.status() == 200 ? h.backend() : "failed:" + h.status(), 1, Integer::sum);
        }
        return m;
    }

    void backendControl(String backend, String path) {
        topology.httpGet(NetnsTopology.CLIENT, topology.backendUrl(backend, path));
    }

    /** Names in the host that carry this environment's prefix: namespaces, processes, state dirs. */
    List<String> leftovers() {
        List<String> out = new ArrayList<>();
        String prefix = settings.get("namespace_prefix");
        HostView.system().namespaces().stream().filter(n -> n.startsWith(prefix)).forEach(out::add);
        HostView.system().processes().stream().filter(p -> p.configArgument().map(c -> c.startsWith(stateDir.toString())).orElse(false))
                .forEach(p -> out.add("process " + p.pid() + " " + p.argv()));
        out.addAll(Leftovers.entriesOf(stateDir));
        return out;
    }

    String showStat(LoadBalancer lb) throws IOException {
        return RuntimeClient.unixSocket().execute(driver.files(driver.instance(lb.id())).socket(), "show stat -1 6 -1", Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (shutdownHook != null) {
            shutdownHook.close();
        }
        List<Throwable> problems = new ArrayList<>();
        try {
            var report = driver.reconcile(List.of());
            assertTrue(report.succeeded(), "cleanup reconcile failed: " + report.failed());
            assertEquals(List.of(), leftovers(), "left behind");
        } catch (RuntimeException | Error e) {
            problems.add(e);
        } finally {
            extraDrivers.forEach(HaproxyNsDriver::close);
            try {
                topology.close();
            } catch (RuntimeException e) {
                problems.add(e);
            }
        }
        if (!problems.isEmpty()) {
            Throwable first = problems.get(0);
            problems.subList(1, problems.size()).forEach(first::addSuppressed);
            if (first instanceof Error err) {
                throw err;
            }
            throw (RuntimeException) first;
        }
    }
}
