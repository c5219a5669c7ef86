package org.lbaas.lab.netns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.lab.backend.TestBackendProcess;

/**
 * A throw-away network for live tests: a Linux bridge, one network namespace per named host
 * (backends plus a client), each attached to the bridge by a veth pair and addressed on a private
 * test subnet; created by {@link Builder#create()}, removed by {@link #close()}.
 *
 * <h2>Names and addresses</h2>
 * <ul>
 *   <li>Every name starts with {@code lbt} and six random characters ({@link #namePrefix()}), so
 *       concurrent runs cannot collide: the bridge is {@code <prefix>}, host {@code h}'s namespace
 *       is {@code <prefix>-h}, its root-side veth {@code <prefix>v<i>} (device names stay within
 *       15 characters); inside each namespace the interface is {@code eth0}.</li>
 *   <li>IPv4: a random {@code /24} from {@code 198.18.0.0/15} (reserved for benchmarking, never
 *       routed on the internet); IPv6: a random {@code /64} from {@code fd00::/8} (unique local).
 *       Hosts get {@code .10}, {@code .11}, ... (the client first); {@code .1} is reserved as a
 *       notional gateway that nothing answers; {@link #allocateIpv4()} hands out {@code .100} and
 *       up for other test devices (such as a load balancer's VIP) attached to {@link #bridge()}.</li>
 *   <li>The bridge has no address, no IPv6 link-local address and bypasses the host's
 *       iptables/ip6tables/arptables: nothing in the root namespace routes to or from the test
 *       subnet, so its traffic stays among the namespaces.</li>
 * </ul>
 *
 * <h2>Cleanup</h2>
 * Each resource is recorded before the command that creates it runs. {@link #close()} stops the
 * backends this topology started (by PID), deletes the recorded devices and namespaces in reverse
 * order of creation in one {@code ip -force -batch -} call, then lists namespaces and devices and
 * retries anything with this topology's prefix that is still there. If {@link Builder#create()}
 * fails midway it closes the partial topology itself before rethrowing. A JVM shutdown hook
 * closes a topology that was never closed. {@code close()} is idempotent.
 *
 * <p>Needs root, {@code ip} from iproute2 and, for {@link #httpGet(String, String)}, {@code curl}.
 * All commands go through the {@link ShellExecutor} given to the builder. Thread-safe.
 */
public final class NetnsTopology implements AutoCloseable {

    /** The logical name of the client host. */
    public static final String CLIENT = "client";

    private static final Pattern HOST_NAME = Pattern.compile("[a-z][a-z0-9]{0,9}");
    private static final int FIRST_HOST = 10;
    private static final int FIRST_ALLOCATED = 100;
    private static final int LAST_ALLOCATED = 254;
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CURL_MAX_TIME = Duration.ofSeconds(10);

    /**
     * One host of the topology.
     *
     * @param name the logical name ({@link #CLIENT} or a backend name)
     * @param namespace the network namespace it lives in
     * @param rootVeth the veth end in the root namespace, enslaved to the bridge
     * @param ipv4 its IPv4 address on {@code eth0}
     * @param ipv6 its IPv6 address on {@code eth0}
     */
    public record Host(String name, String namespace, String rootVeth, InetAddress ipv4, InetAddress ipv6) {
        /**
         * Checks that no component is null.
         *
         * @param name the logical name
         * @param namespace the namespace
         * @param rootVeth the root-side veth
         * @param ipv4 the IPv4 address
         * @param ipv6 the IPv6 address
         */
        public Host {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(rootVeth, "rootVeth");
            Objects.requireNonNull(ipv4, "ipv4");
            Objects.requireNonNull(ipv6, "ipv6");
        }
    }

    /**
     * An HTTP response as {@code curl} received it.
     *
     * @param status the status code
     * @param headers header values by lower-case header name, in order of arrival
     * @param body the body decoded as UTF-8
     */
    public record HttpResponse(int status, Map<String, List<String>> headers, String body) {
        /**
         * Stores header names in lower case and copies the lists.
         *
         * @param status the status code
         * @param headers the headers
         * @param body the body
         */
        public HttpResponse {
            Objects.requireNonNull(headers, "headers");
            Objects.requireNonNull(body, "body");
            Map<String, List<String>> copy = new TreeMap<>();
            headers.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            headers = Collections.unmodifiableMap(copy);
        }

        /**
         * The first value of a header.
         *
         * @param name the header name, any case
         * @return the value, or empty if absent
         */
        public Optional<String> header(String name) {
            return headers(name).stream().findFirst();
        }

        /**
         * All values of a header.
         *
         * @param name the header name, any case
         * @return the values, possibly empty
         */
        public List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }
    }

    private final ShellExecutor shell;
    private final String prefix;
    private final NetnsLedger ledger;
    private final byte[] ipv4Net;
    private final byte[] ipv6Net;
    private final int backendPort;
    private final Map<String, Host> hosts;
    private final Map<String, TestBackendProcess> backendProcesses = new LinkedHashMap<>();
    private final AtomicInteger nextAllocated4 = new AtomicInteger(FIRST_ALLOCATED);
    private final AtomicInteger nextAllocated6 = new AtomicInteger(FIRST_ALLOCATED);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CleanupHook shutdownHook;

    private NetnsTopology(Builder b) {
        this.shell = b.shell;
        this.backendPort = b.backendPort;
        this.prefix = NetnsLedger.randomPrefix();
        this.ledger = new NetnsLedger(shell, prefix, IP_TIMEOUT);
        SecureRandom random = new SecureRandom();
        int net = random.nextInt(512);
        this.ipv4Net = new byte[] {(byte) 198, (byte) (18 + net / 256), (byte) (net % 256)};
        this.ipv6Net = new byte[8];
        random.nextBytes(ipv6Net);
        ipv6Net[0] = (byte) 0xfd;
        Map<String, Host> h = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        names.add(CLIENT);
        names.addAll(b.backends);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            h.put(name, new Host(name, prefix + "-" + name, prefix + "v" + i, ipv4(FIRST_HOST + i), ipv6(FIRST_HOST + i)));
        }
        this.hosts = Collections.unmodifiableMap(h);
        this.shutdownHook = CleanupHook.register("netns-topology-cleanup-" + prefix, this::close);
    }

    /**
     * Starts describing a topology.
     *
     * @return a builder: no backends, {@link ShellExecutor#system()}, backend port 8080
     */
    public static Builder builder() {
        return new Builder();
    }

    private void build() {
        StringBuilder root = new StringBuilder(ledger.bridge(bridge(), ""));
        for (Host host : hosts.values()) {
            root.append(ledger.namespace(host.namespace())).append(ledger.veth(host.rootVeth(), host.namespace(), bridge()));
        }
        ledger.run(Command.of("ip", "-batch", "-").withStdin(root.toString())).requireSuccess();
        for (Host host : hosts.values()) {
            String script = "link set lo up\n"
                    + "addr add " + host.ipv4().getHostAddress() + "/24 dev eth0\n"
                    + "addr add " + format(host.ipv6()) + "/64 dev eth0 nodad\n"
                    + "link set eth0 up\n";
            ledger.run(Command.of("ip", "-n", host.namespace(), "-batch", "-").withStdin(script)).requireSuccess();
        }
    }

    /**
     * The prefix of every name this topology creates, {@code lbt} plus six random characters.
     *
     * @return the prefix
     */
    public String namePrefix() {
        return prefix;
    }

    /**
     * The bridge every host is attached to; other test devices may be attached to it too (they
     * are not removed by {@link #close()}).
     *
     * @return the bridge's device name
     */
    public String bridge() {
        return prefix;
    }

    /**
     * All hosts, the client first, then the backends in the order given.
     *
     * @return hosts by logical name
     */
    public Map<String, Host> hosts() {
        return hosts;
    }

    /**
     * One host.
     *
     * @param name {@link #CLIENT} or a backend name
     * @return the host
     * @throws IllegalArgumentException if there is no such host
     */
    public Host host(String name) {
        Host host = hosts.get(Objects.requireNonNull(name, "name"));
        if (host == null) {
            throw new IllegalArgumentException("no host " + name + " in this topology; hosts: " + hosts.keySet());
        }
        return host;
    }

    /**
     * The client host.
     *
     * @return the host named {@link #CLIENT}
     */
    public Host client() {
        return host(CLIENT);
    }

    /**
     * The backend hosts in the order given to the builder.
     *
     * @return the backends
     */
    public List<Host> backends() {
        return hosts.values().stream().filter(h -> !h.name().equals(CLIENT)).toList();
    }

    /**
     * The test subnet in CIDR notation, e.g. {@code 198.18.37.0/24}.
     *
     * @return the IPv4 subnet
     */
    public String ipv4Subnet() {
        return ipv4(0).getHostAddress() + "/24";
    }

    /**
     * The IPv6 test subnet in CIDR notation, e.g. {@code fd3a:...::/64}.
     *
     * @return the IPv6 subnet
     */
    public String ipv6Subnet() {
        return format(ipv6(0)) + "/64";
    }

    /**
     * The notional gateway {@code .1}: inside the subnet, assigned to nothing.
     *
     * @return the gateway address
     */
    public InetAddress ipv4Gateway() {
        return ipv4(1);
    }

    /**
     * A fresh IPv4 address of the test subnet that no host uses ({@code .100} and up).
     *
     * @return the address
     * @throws IllegalStateException when the subnet is used up
     */
    public InetAddress allocateIpv4() {
        return ipv4(next(nextAllocated4));
    }

    /**
     * A fresh IPv6 address of the test subnet that no host uses.
     *
     * @return the address
     * @throws IllegalStateException when the range is used up
     */
    public InetAddress allocateIpv6() {
        return ipv6(next(nextAllocated6));
    }

    private static int next(AtomicInteger counter) {
        int n = counter.getAndIncrement();
        if (n > LAST_ALLOCATED) {
            throw new IllegalStateException("no free test addresses left");
        }
        return n;
    }

    private InetAddress ipv4(int hostPart) {
        try {
            return InetAddress.getByAddress(new byte[] {ipv4Net[0], ipv4Net[1], ipv4Net[2], (byte) hostPart});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private InetAddress ipv6(int hostPart) {
        byte[] a = new byte[16];
        System.arraycopy(ipv6Net, 0, a, 0, 8);
        a[14] = (byte) (hostPart >> 8);
        a[15] = (byte) hostPart;
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An address in its shortest text form: dotted quad for IPv4; for IPv6 the RFC 5952 form
     * (lower case, the longest run of two or more zero groups written as {@code ::}).
     *
     * @param address the address
     * @return the text
     */
    public static String format(InetAddress address) {
        if (!(address instanceof java.net.Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /**
     * The URL of a backend by its IPv4 address and the backend port.
     *
     * @param backend the backend name
     * @param path the path, starting with {@code /}
     * @return e.g. {@code http://198.18.37.11:8080/health}
     */
    public String backendUrl(String backend, String path) {
        return "http://" + host(backend).ipv4().getHostAddress() + ":" + backendPort + path;
    }

    /**
     * The URL of a backend by its IPv6 address and the backend port.
     *
     * @param backend the backend name
     * @param path the path, starting with {@code /}
     * @return e.g. {@code http://[fd3a:..::b]:8080/}
     */
    public String backendUrl6(String backend, String path) {
        return "http://[" + format(host(backend).ipv6()) + "]:" + backendPort + path;
    }

    /**
     * Runs a command inside a host's namespace ({@code ip netns exec NS argv...}).
     *
     * @param host the logical host name
     * @param argv the program and its arguments
     * @return the result, whatever the exit code
     */
    public CommandResult exec(String host, String... argv) {
        return exec(host, Command.of(argv));
    }

    /**
     * Runs a command inside a host's namespace, keeping its timeout, input and other settings.
     *
     * @param host the logical host name
     * @param command the command to run there
     * @return the result, whatever the exit code
     */
    public CommandResult exec(String host, Command command) {
        return shell.execute(NetnsLedger.inNamespace(host(host).namespace(), command));
    }

    /**
     * Sends {@code GET url} with {@code curl} from inside a host's namespace (no proxy, at most
     * 10 s).
     *
     * @param host the logical host name, usually {@link #CLIENT}
     * @param url the URL
     * @return the response
     * @throws org.lbaas.driver.spi.shell.CommandFailedException if curl fails (no connection,
     *     timeout, ...): its exit code and message say why
     */
    public HttpResponse httpGet(String host, String url) {
        return httpGet(host, url, Map.of());
    }

    /**
     * Sends {@code GET url} with extra request headers (for instance {@code Cookie}).
     *
     * @param host the logical host name, usually {@link #CLIENT}
     * @param url the URL
     * @param headers header name to value; neither may contain CR or LF
     * @return the response
     * @throws org.lbaas.driver.spi.shell.CommandFailedException if curl fails
     */
    public HttpResponse httpGet(String host, String url, Map<String, String> headers) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(headers, "headers");
        List<String> argv = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--include", "--globoff",
                "--noproxy", "*", "--max-time", Long.toString(CURL_MAX_TIME.toSeconds())));
        headers.forEach((k, v) -> {
            if ((k + v).indexOf('\r') >= 0 || (k + v).indexOf('\n') >= 0 || k.indexOf(':') >= 0) {
                throw new IllegalArgumentException("invalid header: " + k);
            }
            argv.add("--header");
            argv.add(k + ": " + v);
        });
        argv.add("--");
        argv.add(url);
        CommandResult result = exec(host, Command.of(argv).withTimeout(CURL_MAX_TIME.plusSeconds(10))).requireSuccess();
        return parseResponse(result.stdout());
    }

    static HttpResponse parseResponse(String raw) {
        String text = raw;
        while (true) {
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String body = end < 0 ? "" : text.substring(end + 4);
            List<String> lines = head.lines().toList();
            if (lines.isEmpty() || !lines.get(0).startsWith("HTTP/")) {
                throw new IllegalArgumentException("not an HTTP response: " + raw.lines().findFirst().orElse(""));
            }
            String[] statusLine = lines.get(0).split(" ", 3);
            int status = Integer.parseInt(statusLine[1]);
            if (status >= 100 && status < 200 && body.startsWith("HTTP/")) {
                text = body;
                continue;
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(line.substring(colon + 1).trim());
                }
            }
            return new HttpResponse(status, headers, body);
        }
    }

    /**
     * Starts the test backend of a backend host, listening on {@code [::]} (both families) at the
     * backend port, and waits until it is ready. It is stopped by {@link #close()}.
     *
     * @param backend the backend name
     * @return the running process
     */
    public TestBackendProcess startBackend(String backend) {
        return startBackend(backend, UnaryOperator.identity());
    }

    /**
     * Starts a backend with extra settings (for instance a cookie on every response).
     *
     * @param backend the backend name
     * @param options adjusts the builder, which is preset with the namespace, bind address and
     *     port
     * @return the running process
     */
    public TestBackendProcess startBackend(String backend, UnaryOperator<TestBackendProcess.Builder> options) {
        TestBackendProcess process = launchBackend(backend, options);
        return process.awaitReady(Duration.ofSeconds(30));
    }

    /**
     * Starts the test backends of all backend hosts in parallel and waits until all are ready.
     *
     * @return the processes by backend name
     */
    public Map<String, TestBackendProcess> startBackends() {
        Map<String, TestBackendProcess> started = new LinkedHashMap<>();
        for (Host host : backends()) {
            started.put(host.name(), launchBackend(host.name(), UnaryOperator.identity()));
        }
        started.values().forEach(p -> p.awaitReady(Duration.ofSeconds(30)));
        return Collections.unmodifiableMap(started);
    }

    private TestBackendProcess launchBackend(String backend, UnaryOperator<TestBackendProcess.Builder> options) {
        Host host = host(backend);
        if (host.name().equals(CLIENT)) {
            throw new IllegalArgumentException("the client host runs no backend");
        }
        if (closed.get()) {
            throw new IllegalStateException("topology " + prefix + " is closed");
        }
        TestBackendProcess.Builder builder = TestBackendProcess.builder(backend)
                .namespace(host.namespace()).bind("::").port(backendPort);
        TestBackendProcess process = options.apply(builder).launch();
        ledger.started(process);
        synchronized (backendProcesses) {
            backendProcesses.put(backend, process);
        }
        return process;
    }

    /**
     * The most recently started backend process of a backend host, if any.
     *
     * @param backend the backend name
     * @return the process
     */
    public Optional<TestBackendProcess> backendProcess(String backend) {
        synchronized (backendProcesses) {
            return Optional.ofNullable(backendProcesses.get(backend));
        }
    }

    /**
     * Removes everything this topology created: stops its backend processes, deletes its veths,
     * namespaces and bridge in reverse order of creation, and checks that no namespace or device
     * with its prefix is left. Idempotent.
     *
     * @throws IllegalStateException if something with this topology's prefix could not be removed
     *     (everything else has been removed by then)
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        shutdownHook.close();
        NetnsLedger.throwIfAny(ledger.removeAll("topology"));
    }

    /**
     * Names of namespaces and devices with this topology's prefix that exist right now.
     *
     * @return the names, namespaces first
     */
    public List<String> leftovers() {
        return ledger.leftovers();
    }

    /** The prefix, subnet and hosts. */
    @Override
    public String toString() {
        return "NetnsTopology[" + prefix + ", " + ipv4Subnet() + ", " + ipv6Subnet() + ", hosts " + hosts.keySet()
                + (closed.get() ? ", closed" : "") + "]";
    }

    /** Describes a topology; {@link #create()} builds it. Not thread-safe. */
    public static final class Builder {
        private final List<String> backends = new ArrayList<>();
        private ShellExecutor shell = ShellExecutor.system();
        private int backendPort = 8080;

        private Builder() {
        }

        /**
         * Adds backend hosts.
         *
         * @param names logical names: a lower-case letter then up to 9 lower-case letters or
         *     digits; unique; not {@value NetnsTopology#CLIENT}
         * @return this builder
         */
        public Builder backends(String... names) {
            for (String name : Objects.requireNonNull(names, "names")) {
                Objects.requireNonNull(name, "name");
                if (!HOST_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("invalid host name " + name + ": use [a-z][a-z0-9]{0,9}");
                }
                if (name.equals(CLIENT) || backends.contains(name)) {
                    throw new IllegalArgumentException("duplicate or reserved host name: " + name);
                }
                backends.add(name);
            }
            if (backends.size() + 1 > FIRST_ALLOCATED - FIRST_HOST) {
                throw new IllegalArgumentException("at most " + (FIRST_ALLOCATED - FIRST_HOST - 1) + " backends");
            }
            return this;
        }

        /**
         * The executor every command goes through.
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder executor(ShellExecutor executor) {
            this.shell = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * The port test backends listen on.
         *
         * @param port 1 to 65535
         * @return this builder
         */
        public Builder backendPort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("invalid port: " + port);
            }
            this.backendPort = port;
            return this;
        }

        /**
         * Creates the bridge, the namespaces and their links. If a step fails, what was created
         * so far is removed before the exception is rethrown (cleanup problems are attached as
         * suppressed exceptions).
         *
         * @return the topology, ready for {@link NetnsTopology#startBackend(String)}
         */
        public NetnsTopology create() {
            return NetnsLedger.buildOrClose(new NetnsTopology(this), NetnsTopology::build);
        }
    }
}
