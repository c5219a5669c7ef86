package org.lbaas.driver.haproxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.lbaas.driver.haproxy.internal.ConfigRenderer;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.haproxy.internal.runtime.RuntimeClient;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.testkit.CommandPattern;
import org.lbaas.testkit.RecordingShellExecutor;
import org.lbaas.testkit.Reply;

/**
 * A simulated host for hermetic driver tests: a {@link RecordingShellExecutor} whose answers have
 * the side effects the real commands would have on a fake {@link HostView} (namespaces, devices,
 * HAProxy processes and their pid files), and a fake {@link RuntimeClient} that answers like
 * HAProxy's stats socket. Shell commands and runtime commands are also written to one transcript,
 * in order, for golden-file tests.
 */
final class Sim {

    final Path stateDir;
    final RecordingShellExecutor shell;
    final FakeHost host;
    final FakeRuntime runtime;
    final List<String> transcript;
    final AtomicLong nextPid;
    /** Pids that ignore these signals (a stuck process). */
    final Map<Long, Set<String>> ignoring;
    /** When false, a started HAProxy never answers on its socket. */
    volatile boolean socketAnswers = true;
    Map<String, String> extraSettings = new HashMap<>();

    Sim(Path stateDir) {
        this.stateDir = stateDir;
        this.shell = new RecordingShellExecutor();
        this.host = new FakeHost();
        this.runtime = new FakeRuntime();
        this.transcript = Collections.synchronizedList(new ArrayList<>());
        this.nextPid = new AtomicLong(4000);
        this.ignoring = new ConcurrentHashMap<>();
        shell.when(CommandPattern.matching("any", c -> true)).thenAnswer(this::simulate);
    }

    /** A second state directory on the same simulated host (same shell, processes, namespaces, sockets). */
    private Sim(Path stateDir, Sim sameHost) {
        this.stateDir = stateDir;
        this.shell = sameHost.shell;
        this.host = sameHost.host;
        this.runtime = sameHost.runtime;
        this.transcript = sameHost.transcript;
        this.nextPid = sameHost.nextPid;
        this.ignoring = sameHost.ignoring;
    }

    /**
     * Returns a view of this host for a driver on another state directory: both drivers' commands
     * act on the same namespaces, devices and processes.
     */
    Sim withStateDir(Path otherStateDir) {
        return new Sim(otherStateDir, this);
    }

    HaproxySettings settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("state_dir", stateDir.toString());
        s.put("bridge", "br-test");
        s.put("stop_grace", "200ms");
        s.put("start_timeout", "300ms");
        s.put("arping_binary", "/usr/bin/arping");
        s.put("max_connection_limit", "9000");
        // pinned: what 'auto' resolves to depends on the host
        s.put("user", "haproxy");
        s.put("group", "haproxy");
        s.putAll(extraSettings);
        return HaproxySettings.parse(s);
    }

    HaproxyNsDriver driver() {
        HaproxySettings s = settings();
        return driver(s, new MinimalConfigRenderer(s));
    }

    HaproxyNsDriver driver(HaproxySettings s, ConfigRenderer renderer) {
        return driver(s, renderer, shell);
    }

    /** A driver whose commands go through {@code executor} (which may wrap {@link #shell}). */
    HaproxyNsDriver driver(org.lbaas.driver.spi.shell.ShellExecutor executor) {
        HaproxySettings s = settings();
        return driver(s, new MinimalConfigRenderer(s), executor);
    }

    private HaproxyNsDriver driver(HaproxySettings s, ConfigRenderer renderer, org.lbaas.driver.spi.shell.ShellExecutor executor) {
        return new HaproxyNsDriver(s, executor, renderer, HaproxyNsDriverProvider.interfaceDriver(s), host, runtime);
    }

    /** The transcript with the state directory replaced by {@code $STATE}. */
    String transcriptText() {
        StringBuilder sb = new StringBuilder();
        synchronized (transcript) {
            for (String line : transcript) {
                sb.append(line.replace(stateDir.toString(), "$STATE")).append('\n');
            }
        }
        return sb.toString();
    }

    void clearRecords() {
        shell.reset();
        transcript.clear();
        runtime.commands.clear();
    }

    private Reply simulate(Command c) {
        StringBuilder t = new StringBuilder("$ " + c.commandLine());
        c.stdinText().lines().forEach(l -> t.append("\n    | ").append(l));
        transcript.add(t.toString());
        List<String> argv = c.argv();
        if (argv.size() > 3 && argv.get(0).equals("flock") && argv.get(1).equals("-s")) {
            // a pair instance's HAProxy under its shared lock: the command is what follows the lock file
            argv = argv.subList(3, argv.size());
        }
        if (argv.get(0).equals("setsid") && argv.size() > 9 && argv.get(5).equals("lbaas-haproxy-watch")) {
            return startWatcher(argv);
        }
        String joined = String.join(" ", argv);
        if (argv.get(0).equals("ip") && argv.contains("-batch")) {
            boolean force = argv.contains("-force");
            if (argv.get(1).equals("-n")) {
                if (!host.namespaces.contains(argv.get(2))) {
                    return Reply.exit(1).withStderr("Cannot open network namespace \"" + argv.get(2) + "\": No such file or directory");
                }
                if (c.stdinText().contains("addr add ")) {
                    host.addressed.add(argv.get(2));
                }
                return Reply.success();
            }
            for (String line : c.stdinText().split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (line.startsWith("netns add ")) {
                    if (!host.namespaces.add(f[2]) && !force) {
                        return Reply.exit(1).withStderr("Cannot create namespace file \"/run/netns/" + f[2] + "\": File exists");
                    }
                } else if (line.startsWith("netns del ")) {
                    host.namespaces.remove(f[2]);
                    host.addressed.remove(f[2]);
                    // a veth pair goes with the namespace holding one of its ends
                    host.devices.removeIf(d -> f[2].equals(host.peerNamespace.get(d)));
                } else if (line.startsWith("link add name ")) {
                    host.devices.add(f[3]);
                } else if (line.startsWith("link add ")) {
                    host.devices.add(f[2]);
                    int netns = java.util.Arrays.asList(f).indexOf("netns");
                    if (netns > 0 && netns + 1 < f.length) {
                        host.peerNamespace.put(f[2], f[netns + 1]);
                    }
                } else if (line.startsWith("link del ")) {
                    host.devices.remove(f[2]);
                    host.down.remove(f[2]);
                } else if (line.startsWith("link set ") && f.length == 4 && f[3].equals("up")) {
                    host.down.remove(f[2]);
                }
            }
            return Reply.success();
        }
        if (argv.size() > 4 && argv.get(0).equals("nsenter") && argv.get(1).startsWith("--net=/run/netns/")
                && argv.get(2).equals("--") && argv.get(3).equals("haproxy")) {
            Path pidFile = Path.of(argv.get(argv.indexOf("-p") + 1));
            String ns = argv.get(1).substring("--net=/run/netns/".length());
            if (!host.namespaces.contains(ns)) {
                return Reply.exit(1).withStderr("nsenter: cannot open /run/netns/" + ns + ": No such file or directory");
            }
            if (!host.addressed.contains(ns)) {
                // the VIP is not on any device of the namespace (its plumbing never finished)
                return Reply.exit(1).withStderr("[ALERT]    (1) : Starting frontend: cannot bind socket");
            }
            long pid = nextPid.incrementAndGet();
            int sf = argv.indexOf("-sf");
            if (sf > 0) {
                long old = Long.parseLong(argv.get(sf + 1));
                host.processes.remove(old);
            }
            host.processes.put(pid, List.copyOf(argv.subList(3, argv.size())));
            try {
                Files.writeString(pidFile, pid + "\n");
            } catch (IOException e) {
                return Reply.exit(1).withStderr(e.toString());
            }
            return Reply.success();
        }
        if (argv.size() > 4 && argv.get(0).equals("nsenter") && argv.get(3).equals("keepalived") && argv.contains("--vrrp")) {
            return startKeepalived(argv);
        }
        if (argv.get(0).equals("kill")) {
            String signal = argv.get(1);
            for (String p : argv.subList(2, argv.size())) {
                long pid = Long.parseLong(p);
                if (!ignoring.getOrDefault(pid, Set.of()).contains(signal)) {
                    host.processes.remove(pid);
                }
            }
            return Reply.success();
        }
        if (joined.contains(" -6 -o addr show ")) {
            return Reply.success().withStdout("2: ns-x    inet6 fd00::5/64 scope global \\       valid_lft forever\n");
        }
        return Reply.success();
    }

    /**
     * A keepalived start ({@code nsenter --net=NS -- keepalived --vrrp -f CONF -p PID -r VRRP_PID}):
     * a parent and a VRRP child with the command line, both pid files, and the role its notify
     * script would write: MASTER unless the other instance of the pair is MASTER with a live
     * keepalived (nopreempt), BACKUP otherwise.
     */
    private Reply startKeepalived(List<String> argv) {
        String ns = argv.get(1).substring("--net=/run/netns/".length());
        if (!host.namespaces.contains(ns)) {
            return Reply.exit(1).withStderr("nsenter: cannot open /run/netns/" + ns + ": No such file or directory");
        }
        Path pidFile = Path.of(argv.get(argv.indexOf("-p") + 1));
        if (pidIn(pidFile).filter(host.processes::containsKey).isPresent()) {
            // keepalived refuses to start while the pid in its pid file answers kill -0
            return Reply.exit(0).withStderr("daemon is already running");
        }
        List<String> command = List.copyOf(argv.subList(3, argv.size()));
        long parent = nextPid.incrementAndGet();
        long child = nextPid.incrementAndGet();
        host.processes.put(parent, command);
        host.processes.put(child, command);
        Path dir = Path.of(argv.get(argv.indexOf("-f") + 1)).getParent();
        String key = dir.getFileName().toString();
        Path sibling = dir.resolveSibling(key.endsWith("-1") ? key.substring(0, key.length() - 2) : key + "-1");
        boolean siblingMaster = pidIn(sibling.resolve("keepalived.pid")).filter(host.processes::containsKey).isPresent()
                && readRole(sibling).equals("MASTER");
        try {
            Files.writeString(pidFile, parent + "\n");
            Files.writeString(Path.of(argv.get(argv.indexOf("-r") + 1)), child + "\n");
            Files.writeString(dir.resolve("role"), (siblingMaster ? "BACKUP" : "MASTER") + "\n");
        } catch (IOException e) {
            return Reply.exit(1).withStderr(e.toString());
        }
        return Reply.success();
    }

    /**
     * The HAProxy death watcher ({@code setsid -f sh -c SCRIPT lbaas-haproxy-watch PID_FILE LOCK TRACK FLOCK}):
     * a process {@code flock -x LOCK ...} whose pid goes to the pid file. It does not fire here (the
     * simulation has no locks).
     */
    private Reply startWatcher(List<String> argv) {
        long pid = nextPid.incrementAndGet();
        host.processes.put(pid, List.of("flock", "-x", argv.get(7), "sh", "-c", "printf '1\\n' > \"$0\"", argv.get(8)));
        try {
            Files.writeString(Path.of(argv.get(6)), pid + "\n");
        } catch (IOException e) {
            return Reply.exit(1).withStderr(e.toString());
        }
        return Reply.success();
    }

    private static String readRole(Path instanceDir) {
        try {
            return Files.readString(instanceDir.resolve("role")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** The current pid written in a pid file. */
    Optional<Long> pidIn(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    final class FakeHost implements HostView {
        final Set<String> namespaces = Collections.synchronizedSet(new TreeSet<>());
        final Set<String> devices = Collections.synchronizedSet(new TreeSet<>());
        final Map<Long, List<String>> processes = new ConcurrentHashMap<>();
        /** Accounts of the simulated host's /etc/passwd and /etc/group. */
        final Set<String> users = Collections.synchronizedSet(new TreeSet<>(Set.of("root", "nobody", "haproxy")));
        final Set<String> groups = Collections.synchronizedSet(new TreeSet<>(Set.of("root", "nogroup", "haproxy")));

        /**
         * A start time that changes whenever a pid's entry is replaced (a restart or a reused pid
         * puts a new argument list), as the kernel's does.
         */
        @Override
        public java.util.OptionalLong startTime(long pid) {
            List<String> argv = processes.get(pid);
            return argv == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(System.identityHashCode(argv) & 0x7fffffffL);
        }

        @Override
        public boolean userExists(String name) {
            return users.contains(name);
        }

        @Override
        public boolean groupExists(String name) {
            return groups.contains(name);
        }

        /** Namespaces whose VIP address was added (by {@code ip -n NS -batch -}). */
        final Set<String> addressed = Collections.synchronizedSet(new TreeSet<>());
        /** Root-namespace device to the namespace its veth peer was created in. */
        final Map<String, String> peerNamespace = new ConcurrentHashMap<>();

        @Override
        public List<String> namespaces() {
            synchronized (namespaces) {
                return List.copyOf(namespaces);
            }
        }

        @Override
        public boolean deviceExists(String name) {
            return devices.contains(name);
        }

        /** Devices set down ({@code ip link set DEV down} by hand); {@code link set DEV up} clears it. */
        final Set<String> down = Collections.synchronizedSet(new TreeSet<>());

        @Override
        public boolean deviceUp(String name) {
            return devices.contains(name) && !down.contains(name);
        }

        @Override
        public Optional<ProcessInfo> process(long pid) {
            List<String> argv = processes.get(pid);
            return argv == null ? Optional.empty() : Optional.of(new ProcessInfo(pid, argv));
        }

        @Override
        public List<ProcessInfo> processes() {
            return processes.entrySet().stream().map(e -> new ProcessInfo(e.getKey(), e.getValue()))
                    .sorted(java.util.Comparator.comparingLong(ProcessInfo::pid)).toList();
        }

        @Override
        public Optional<Path> findOnPath(String name) {
            return Optional.empty();
        }

        @Override
        public long openFilesHardLimit() {
            return 20000;
        }
    }

    final class FakeRuntime implements RuntimeClient {
        final List<String> commands = Collections.synchronizedList(new ArrayList<>());
        /** Answers by command prefix; checked before the defaults. */
        final Map<String, Function<String, String>> answers = new ConcurrentHashMap<>();
        volatile String stat = "# pxname,svname,scur,stot,bin,bout,status,weight\n";

        @Override
        public String execute(Path socket, String command, Duration timeout) throws IOException {
            if (!command.equals("show info")) {
                commands.add(command);
                transcript.add("> " + command);
            }
            if (!socketAnswers) {
                throw new IOException("connection refused");
            }
            Optional<Long> pid = pidIn(socket.resolveSibling("pid")).filter(p -> host.processes.containsKey(p));
            if (pid.isEmpty()) {
                throw new IOException("connection refused");
            }
            for (Map.Entry<String, Function<String, String>> e : answers.entrySet()) {
                if (command.startsWith(e.getKey())) {
                    return e.getValue().apply(command);
                }
            }
            if (command.equals("show info")) {
                return "Name: HAProxy\nVersion: 2.6.12\nPid: " + pid.get() + "\n";
            }
            if (command.startsWith("show stat")) {
                return stat;
            }
            if (command.startsWith("add server")) {
                return "New server registered.\n";
            }
            if (command.startsWith("del server")) {
                return "Server deleted.\n";
            }
            return "\n";
        }
    }
}
