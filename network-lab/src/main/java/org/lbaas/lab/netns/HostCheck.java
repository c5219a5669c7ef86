package org.lbaas.lab.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Whether this host can run the live network tests, the demo and the harnesses: they need root
 * and programs such as {@code ip}, {@code curl} and {@code haproxy}. One check for all of them;
 * what a caller does with the answer (skip a test, fail a run, exit) is its own business.
 */
public final class HostCheck {

    /** Where programs are looked for besides the {@code PATH}: the system directories root uses. */
    private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/sbin", "/sbin", "/usr/local/sbin");

    private HostCheck() {
    }

    /**
     * Whether this process runs as root: {@code /proc/self} belongs to the effective uid.
     *
     * @return true for uid 0; false otherwise or when it cannot be told
     */
    public static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Finds an executable program on the {@code PATH} or in {@code /usr/sbin}, {@code /sbin} or
     * {@code /usr/local/sbin}, in that order.
     *
     * @param name the program name, such as {@code haproxy}
     * @return its path, or empty when it is not installed
     */
    public static Optional<Path> program(String name) {
        Objects.requireNonNull(name, "name");
        Set<String> dirs = new LinkedHashSet<>(Arrays.asList(String.valueOf(System.getenv("PATH")).split(":")));
        dirs.addAll(SYSTEM_DIRECTORIES);
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }

    /**
     * The programs that are not installed.
     *
     * @param programs program names
     * @return those {@link #program(String)} does not find, in the order given
     */
    public static List<String> missing(Collection<String> programs) {
        return programs.stream().filter(p -> program(p).isEmpty()).toList();
    }

    /**
     * Why this host cannot run what needs root and the given programs.
     *
     * @param programs the programs needed besides root, such as {@code ip} and {@code haproxy}
     * @return the reason, such as {@code "needs root"} or {@code "missing haproxy, curl (Debian/Ubuntu:
     *     apt-get install -y haproxy iproute2 curl)"}; empty when the host can run it
     */
    public static Optional<String> unmet(String... programs) {
        if (!runningAsRoot()) {
            return Optional.of("needs root");
        }
        return missingReason(List.of(programs));
    }

    /**
     * The reason given when programs are missing.
     *
     * @param programs the programs needed
     * @return {@code "missing a, b (Debian/Ubuntu: apt-get install -y haproxy iproute2 curl)"}, or
     *     empty when all are installed
     */
    public static Optional<String> missingReason(Collection<String> programs) {
        List<String> missing = new ArrayList<>(missing(programs));
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("missing " + String.join(", ", missing) + " (Debian/Ubuntu: apt-get install -y haproxy iproute2 curl)");
    }
}
