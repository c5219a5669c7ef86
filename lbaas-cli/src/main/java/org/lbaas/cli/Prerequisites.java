package org.lbaas.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellException;

/** The programs the commands need on the host, and what to do when they are missing. */
final class Prerequisites {

    /**
     * A program and where it comes from.
     *
     * @param name the program
     * @param debianPackage the Debian package that installs it
     * @param fedoraPackage the Fedora/RHEL package that installs it
     * @param purpose why it is needed
     */
    record Program(String name, String debianPackage, String fedoraPackage, String purpose) {
    }

    static final Program HAPROXY = new Program("haproxy", "haproxy", "haproxy", "HAProxy 2.6, the data plane");
    static final Program IP = new Program("ip", "iproute2", "iproute", "iproute2, for network namespaces");
    static final Program CURL = new Program("curl", "curl", "curl", "the demo's HTTP client");
    static final Program KEEPALIVED = new Program("keepalived", "keepalived", "keepalived",
            "keepalived 2.x, VRRP between the two instances of an active/standby pair");

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

    private Prerequisites() {
    }

    static List<Program> missing(Host host, List<Program> needed) {
        return needed.stream().filter(p -> host.findProgram(p.name()).isEmpty()).toList();
    }

    /**
     * Makes sure the programs are installed: as root on a Debian-family system, installs missing
     * ones with apt-get (saying so, unless {@code mayInstall} is false); otherwise fails naming what
     * is missing and how to install it.
     *
     * @param host the host
     * @param progress where the installation is announced
     * @param step the step name for failures
     * @param needed the programs
     * @param mayInstall whether installing is allowed
     */
    static void require(Host host, PrintStream progress, String step, List<Program> needed, boolean mayInstall) {
        List<Program> missing = missing(host, needed);
        if (missing.isEmpty()) {
            return;
        }
        String names = missing.stream().map(p -> p.name() + " (" + p.purpose() + ")").collect(Collectors.joining(", "));
        List<String> debian = missing.stream().map(Program::debianPackage).distinct().toList();
        if (mayInstall && host.isRoot() && host.isDebianFamily()) {
            progress.println("installing " + String.join(" ", debian) + " with apt-get (missing: " + names + ")");
            install(host, step, debian);
            List<Program> still = missing(host, needed);
            if (still.isEmpty()) {
                return;
            }
            missing = still;
        }
        List<String> fedora = missing.stream().map(Program::fedoraPackage).distinct().toList();
        throw new StepFailedException(step, "missing " + missing.stream().map(p -> p.name() + " (" + p.purpose() + ")")
                .collect(Collectors.joining(", ")) + "; install it: Debian/Ubuntu: apt-get install -y "
                + String.join(" ", missing.stream().map(Program::debianPackage).distinct().toList())
                + "; Fedora/RHEL: dnf install -y " + String.join(" ", fedora)
                + (host.isRoot() ? "" : "; the commands that need it also need root"));
    }

    private static void install(Host host, String step, List<String> packages) {
        String aptGet = host.findProgram("apt-get").map(Path::toString).orElse("apt-get");
        run(host, step, Command.of(aptGet, "update", "-q"));
        List<String> argv = new ArrayList<>(List.of(aptGet, "install", "-y", "-q", "--no-install-recommends"));
        argv.addAll(packages);
        run(host, step, Command.of(argv));
    }

    private static void run(Host host, String step, Command c) {
        Command command = c.withEnvironment("DEBIAN_FRONTEND", "noninteractive").withTimeout(INSTALL_TIMEOUT);
        CommandResult r;
        try {
            r = host.shell().execute(command);
        } catch (ShellException e) {
            throw new StepFailedException(step, command.commandLine() + ": " + e.getMessage(), e);
        }
        if (!r.isSuccess()) {
            String tail = r.stderr().strip().lines().reduce((a, b) -> b).orElse("");
            throw new StepFailedException(step, command.commandLine() + " failed (exit " + r.exitCode() + ")"
                    + (tail.isEmpty() ? "" : ": " + tail));
        }
    }

    /**
     * Fails unless the process is root.
     *
     * @param command the command
     * @param why what the command does that needs root
     */
    static void requireRoot(LbaasCommand command, String why) {
        if (!command.host().isRoot()) {
            throw new StepFailedException(command.name(), "needs root (" + why + "); run it as root, e.g. with sudo"
                    + (command.declares("--dry-run") ? ", or see what it would do with --dry-run" : ""));
        }
    }

    /**
     * Fails when the interface driver's bridge does not exist.
     *
     * @param step the step name
     * @param settings the driver settings
     */
    static void requireBridge(String step, java.util.Map<String, String> settings) {
        String kind = settings.getOrDefault("interface_driver", "linuxbridge");
        String bridge = settings.getOrDefault("bridge", "br-lbaas");
        if (kind.equals("linuxbridge") && bridge.matches("[A-Za-z0-9_.-]{1,15}")
                && !Files.exists(Path.of("/sys/class/net", bridge))) {
            throw new StepFailedException(step, "bridge " + bridge + " does not exist; create it (ip link add " + bridge
                    + " type bridge && ip link set " + bridge + " up), name another with --bridge NAME,"
                    + " or use --interface-driver noop");
        }
    }
}
