package org.lbaas.lab.netns;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.lab.backend.TestBackendProcess;

/**
 * What a lab creates: the test backends it starts, and the devices and namespaces it creates in
 * the root namespace, each recorded before the command that creates it runs; and their removal
 * in reverse order.
 *
 * <p>The methods that record a resource return the {@code ip -batch} lines that create it, so a
 * lab writes its whole root namespace in one batch: bridges without addresses that bypass the
 * host's packet filters, namespaces, and veth pairs with {@code eth0} inside a namespace.
 * {@link #removeAll(String)} stops the backends, deletes what was recorded in one
 * {@code ip -force -batch -} call, retries
 * one by one whatever with the prefix is still there, and reports what stays. Every command runs
 * through the given {@link ShellExecutor} with the given timeout. Thread-safe.
 */
public final class NetnsLedger {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private enum Kind { LINK, NETNS }

    private record Resource(Kind kind, String name) {
        String deleteLine() {
            return (kind == Kind.LINK ? "link del " : "netns del ") + name;
        }
    }

    private final ShellExecutor shell;
    private final String prefix;
    private final Duration ipTimeout;
    private final Deque<Resource> created = new ArrayDeque<>();
    private final Deque<TestBackendProcess> started = new ArrayDeque<>();

    /**
     * Starts an empty ledger.
     *
     * @param shell the executor every command goes through
     * @param prefix the prefix of every name the lab creates (see {@link #randomPrefix()})
     * @param ipTimeout the timeout of each {@code ip} command
     */
    public NetnsLedger(ShellExecutor shell, String prefix, Duration ipTimeout) {
        this.shell = Objects.requireNonNull(shell, "shell");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.ipTimeout = Objects.requireNonNull(ipTimeout, "ipTimeout");
    }

    /**
     * A fresh name prefix: {@code lbt} and six random lower-case letters or digits, so that
     * concurrent labs cannot collide.
     *
     * @return the prefix
     */
    public static String randomPrefix() {
        SecureRandom random = new SecureRandom();
        StringBuilder p = new StringBuilder("lbt");
        for (int i = 0; i < 6; i++) {
            p.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return p.toString();
    }

    /**
     * The prefix of every name this ledger's lab creates.
     *
     * @return the prefix
     */
    public String prefix() {
        return prefix;
    }

    /**
     * Records a bridge and returns the batch lines that create it up, without an address (no IPv6
     * link-local either) and bypassing iptables, ip6tables and arptables.
     *
     * @param name the device name
     * @param options more {@code type bridge} options, such as {@code " mcast_snooping 0"}, or empty
     * @return the {@code ip -batch} lines
     */
    public String bridge(String name, String options) {
        record(Kind.LINK, name);
        return "link add " + name + " type bridge nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0" + options + "\n"
                + "link set " + name + " addrgenmode none\n"
                + "link set " + name + " up\n";
    }

    /**
     * Records a namespace and returns the batch line that adds it.
     *
     * @param name the namespace name
     * @return the {@code ip -batch} line
     */
    public String namespace(String name) {
        record(Kind.NETNS, name);
        return "netns add " + name + "\n";
    }

    /**
     * Records a veth pair whose other end is {@code eth0} inside a namespace, and returns the batch
     * lines that create it and attach the root end, up and without an address, to a bridge.
     *
     * @param rootEnd the device name of the root end
     * @param namespace the namespace of the {@code eth0} end
     * @param bridge the bridge the root end joins
     * @return the {@code ip -batch} lines
     */
    public String veth(String rootEnd, String namespace, String bridge) {
        record(Kind.LINK, rootEnd);
        return "link add " + rootEnd + " type veth peer name eth0 netns " + namespace + "\n"
                + "link set " + rootEnd + " addrgenmode none master " + bridge + " up\n";
    }

    /**
     * Records a device that the lab creates by its own batch lines (deleting it deletes its peer).
     *
     * @param name the device name
     */
    public void link(String name) {
        record(Kind.LINK, name);
    }

    /**
     * Records a test backend the lab started, for {@link #removeAll(String)} to stop.
     *
     * @param process the backend
     * @return the same backend
     */
    public TestBackendProcess started(TestBackendProcess process) {
        Objects.requireNonNull(process, "process");
        synchronized (started) {
            started.push(process);
        }
        return process;
    }

    private void record(Kind kind, String name) {
        Objects.requireNonNull(name, "name");
        synchronized (created) {
            created.push(new Resource(kind, name));
        }
    }

    /**
     * Runs an {@code ip} command (or any other) with this ledger's timeout.
     *
     * @param command the command
     * @return the result, whatever the exit code
     */
    public CommandResult run(Command command) {
        return shell.execute(command.withTimeout(ipTimeout));
    }

    /**
     * A command run inside a namespace with {@code ip netns exec}, keeping the timeout, input and
     * other settings of the command.
     *
     * @param namespace the namespace
     * @param command the command to run there
     * @return the wrapped command
     */
    public static Command inNamespace(String namespace, Command command) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(command, "command");
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        argv.addAll(command.argv());
        return new Command(argv, command.environment(), command.workingDirectory(), command.timeout(), command.stdin(),
                command.outputLimit());
    }

    /**
     * Names of namespaces and devices with the prefix that exist right now.
     *
     * @return the names, namespaces first
     */
    public List<String> leftovers() {
        return Leftovers.names(shell, List.of(prefix));
    }

    /**
     * Stops the recorded backends (by PID, the last started first), then deletes every recorded
     * device and namespace, in reverse order of creation, in one {@code ip -force -batch -} call (it
     * goes on after errors, such as a device that was never created); then retries one by one each
     * recorded name that is still there. Runs no command when no device or namespace was recorded.
     *
     * @param what names the lab in the report of what stays, such as {@code "topology"}
     * @return the problems met, in order: backends that did not stop, failed commands and, last, an
     *     {@link IllegalStateException} "{@code <what> <prefix> left behind: [...]}"; empty when
     *     everything is gone
     */
    public List<RuntimeException> removeAll(String what) {
        List<Resource> toDelete;
        synchronized (created) {
            toDelete = new ArrayList<>(created);
        }
        List<RuntimeException> problems = new ArrayList<>();
        List<TestBackendProcess> toStop;
        synchronized (started) {
            toStop = new ArrayList<>(started);
        }
        for (TestBackendProcess p : toStop) {
            try {
                p.close();
            } catch (RuntimeException e) {
                problems.add(e);
            }
        }
        if (toDelete.isEmpty()) {
            return problems;
        }
        StringBuilder script = new StringBuilder();
        toDelete.forEach(r -> script.append(r.deleteLine()).append('\n'));
        try {
            run(Command.of("ip", "-force", "-batch", "-").withStdin(script.toString()));
        } catch (RuntimeException e) {
            problems.add(e);
        }
        try {
            List<String> left = leftovers();
            if (!left.isEmpty()) {
                for (Resource r : toDelete) {
                    if (left.contains(r.name())) {
                        run(Command.of(r.kind() == Kind.LINK
                                ? List.of("ip", "link", "del", r.name()) : List.of("ip", "netns", "del", r.name())));
                    }
                }
                left = leftovers();
            }
            if (!left.isEmpty()) {
                problems.add(new IllegalStateException(what + " " + prefix + " left behind: " + left));
            }
        } catch (RuntimeException e) {
            problems.add(e);
        }
        return problems;
    }

    /**
     * Builds a lab, or closes what was built so far and rethrows when building fails (a problem
     * of the cleanup is attached to the failure as suppressed).
     *
     * @param <T> the lab
     * @param lab the lab, not built yet
     * @param build builds it
     * @return the built lab
     */
    public static <T extends AutoCloseable> T buildOrClose(T lab, Consumer<? super T> build) {
        try {
            build.accept(lab);
            return lab;
        } catch (RuntimeException | Error e) {
            try {
                lab.close();
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Throws the first problem, with the others attached as suppressed; does nothing when there
     * are none.
     *
     * @param problems the problems, in the order they happened
     */
    public static void throwIfAny(List<? extends RuntimeException> problems) {
        if (!problems.isEmpty()) {
            RuntimeException first = problems.get(0);
            problems.subList(1, problems.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
