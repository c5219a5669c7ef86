package org.lbaas.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.lbaas.driver.spi.InstanceStatus;
import org.lbaas.driver.spi.Observation;

/**
 * How {@code lbaas status} shows the instances of an active/standby pair: one line per instance,
 * its namespace, its role as the driver last saw it (and since when), and its HAProxy's pid.
 */
final class InstanceRoles {

    /** How many instances a pair has (ordinals 0 and 1). */
    static final int PAIR = 2;

    private InstanceRoles() {
    }

    /**
     * Returns the namespaces of a pair's instances, in ordinal order: {@code PREFIX<pool id>} and
     * {@code PREFIX<pool id>-1} (the haproxy-ns driver's instance keys).
     *
     * @param prefix the namespace prefix
     * @param poolId the pool
     * @return the namespaces
     */
    static List<String> namespaces(String prefix, UUID poolId) {
        List<String> out = new ArrayList<>();
        for (int ordinal = 0; ordinal < PAIR; ordinal++) {
            out.add(prefix + poolId + (ordinal == 0 ? "" : "-" + ordinal));
        }
        return out;
    }

    /**
     * Returns the status lines of a pair's instances: for each expected namespace, the role the
     * observation gives it ({@code ACTIVE since 2026-12-03T16:01:02.250Z}, to the millisecond; without a time when the
     * driver does not know it), or {@code UNKNOWN} when the observation does not list it, then its
     * HAProxy's pid or that none runs.
     *
     * @param namespaces the instances' namespaces, in ordinal order ({@link #namespaces})
     * @param observation what the driver observed, if anything runs
     * @param pid the live HAProxy pid of an instance, by namespace
     * @return one line per instance, each starting with two spaces
     */
    static List<String> lines(List<String> namespaces, Optional<Observation> observation,
                              Function<String, Optional<Long>> pid) {
        int width = namespaces.stream().mapToInt(String::length).max().orElse(0);
        List<String> out = new ArrayList<>();
        for (String ns : namespaces) {
            Optional<InstanceStatus> seen = observation.flatMap(o -> o.instances().stream()
                    .filter(i -> i.name().equals(ns)).findFirst());
            String role = seen.map(InstanceRoles::role).orElse(InstanceStatus.Role.UNKNOWN.name());
            String process = pid.apply(ns).map(p -> "haproxy pid " + p).orElse("HAProxy not running");
            out.add(String.format("  instance   %-" + width + "s  %s  %s", ns, role, process));
        }
        return out;
    }

    /** {@code ACTIVE}, or {@code ACTIVE since <instant>} when the driver knows when. */
    static String role(InstanceStatus status) {
        return status.role().name() + status.since().map(t -> " since " + t.truncatedTo(ChronoUnit.MILLIS)).orElse("");
    }

    /**
     * Returns the pid in a pid file when that process still runs: it exists and is not a zombie (a
     * killed daemon whose parent, such as a container's PID 1, does not reap it stays in
     * {@code /proc} as a zombie).
     *
     * @param pidFile the pid file
     * @return the pid, or empty when the file is missing or unreadable or the process is gone
     */
    static Optional<Long> livePid(Path pidFile) {
        try {
            for (String line : Files.readAllLines(pidFile, StandardCharsets.US_ASCII)) {
                if (!line.isBlank()) {
                    long pid = Long.parseLong(line.trim());
                    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
                    // pid (comm) state ...: comm may hold spaces and parentheses, the state follows the last ')'
                    int end = stat.lastIndexOf(')');
                    boolean zombie = end > 0 && stat.substring(end + 1).strip().startsWith("Z");
                    return zombie ? Optional.empty() : Optional.of(pid);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
