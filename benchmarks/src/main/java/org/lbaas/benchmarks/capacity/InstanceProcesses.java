package org.lbaas.benchmarks.capacity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.lbaas.lab.netns.Leftovers;

/**
 * The processes and HA traffic of the {@code haproxy-ns} driver's instances, read from its state
 * directory, {@code /proc} and {@code /sys}: an instance's directory is {@code <state dir>/<key>}
 * with key {@code <pool id>} (ordinal 0) or {@code <pool id>-1} (ordinal 1); HAProxy's pid is in
 * {@code pid}, keepalived's parent in {@code keepalived.pid}, its VRRP child in {@code vrrp.pid},
 * and keepalived's last state ({@code MASTER}, {@code BACKUP}, ...) in {@code role}.
 */
final class InstanceProcesses {

    private InstanceProcesses() {
    }

    /** The keys of a load balancer's instances: the pool id, and {@code <pool id>-1} for a pair. */
    static List<String> keys(UUID pool, boolean pair) {
        return pair ? List.of(pool.toString(), pool + "-1") : List.of(pool.toString());
    }

    /** The live process whose pid is the first word of a pid file, or -1. */
    static long pidIn(Path file) {
        try {
            long pid = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip().split("\\s+")[0]);
            return ProcStats.alive(pid) ? pid : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * What a load balancer's processes cost.
     *
     * @param haproxy live HAProxy processes
     * @param haproxyPssKib sum of their PSS
     * @param keepalived live keepalived processes (parents and VRRP children)
     * @param keepalivedPssKib sum of their PSS
     */
    record Sums(int haproxy, long haproxyPssKib, int keepalived, long keepalivedPssKib) {
    }

    /** Sums the PSS of the HAProxy and keepalived processes of a load balancer's instances. */
    static Sums of(Path stateDir, UUID pool, boolean pair) {
        int h = 0;
        long hPss = 0;
        int k = 0;
        long kPss = 0;
        for (String key : keys(pool, pair)) {
            Path dir = stateDir.resolve(key);
            long pss = pss(pidIn(dir.resolve("pid")));
            if (pss >= 0) {
                h++;
                hPss += pss;
            }
            for (String file : List.of("keepalived.pid", "vrrp.pid")) {
                long kp = pss(pidIn(dir.resolve(file)));
                if (kp >= 0) {
                    k++;
                    kPss += kp;
                }
            }
        }
        return new Sums(h, hPss, k, kPss);
    }

    private static long pss(long pid) {
        return pid <= 0 ? -1 : ProcStats.memory(pid).map(ProcStats.Memory::pssKib).orElse(-1L);
    }

    /**
     * Every live process whose command line names a file under the state directory, by program:
     * the base name of its first argument ({@code haproxy}, {@code keepalived}, ...).
     */
    static Map<Long, String> programsUnder(Path stateDir) {
        Map<Long, String> out = new java.util.LinkedHashMap<>();
        Leftovers.commandLinesContaining(stateDir + "/").forEach((pid, cmdline) -> out.put(pid, program(cmdline)));
        return out;
    }

    /** The base name of the first word of a command line (arguments separated by spaces or NULs). */
    static String program(String cmdline) {
        String first = cmdline.strip().split("[\\s\\x00]+")[0];
        return first.substring(first.lastIndexOf('/') + 1);
    }

    /** Live processes of one program under the state directory. */
    static List<Long> pidsOf(Path stateDir, String program) {
        List<Long> out = new ArrayList<>();
        programsUnder(stateDir).forEach((pid, p) -> {
            if (p.equals(program)) {
                out.add(pid);
            }
        });
        return out;
    }

    /**
     * Packets the ports of a bridge received from their other ends: the sum of {@code rx_packets}
     * of every device in {@code /sys/class/net/<bridge>/brif}. For the HA bridge these are the
     * packets the instances sent on their HA links (unicast VRRP adverts, ARP, HAProxy peers); the
     * bridge's own counters see only what it delivers to the host, not what it forwards.
     *
     * @return the sum, or -1 when the bridge does not exist
     */
    static long packetsIntoPorts(String bridge) {
        Path brif = Path.of("/sys/class/net", bridge, "brif");
        if (!Files.isDirectory(brif)) {
            return -1;
        }
        long sum = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(brif)) {
            for (Path port : s) {
                try {
                    sum += Long.parseLong(Files.readString(Path.of("/sys/class/net", port.getFileName().toString(), "statistics",
                            "rx_packets"), StandardCharsets.US_ASCII).strip());
                } catch (IOException | NumberFormatException e) {
                    // a port that went away between the listing and the read
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return sum;
    }

    /** Pairs of which exactly one instance's role file says {@code MASTER}. */
    static int pairsWithOneMaster(Path stateDir, List<UUID> pools) {
        int n = 0;
        for (UUID pool : pools) {
            int masters = 0;
            for (String key : keys(pool, true)) {
                try {
                    if (Files.readString(stateDir.resolve(key).resolve("role"), StandardCharsets.US_ASCII).strip().equals("MASTER")) {
                        masters++;
                    }
                } catch (IOException e) {
                    // no role yet
                }
            }
            if (masters == 1) {
                n++;
            }
        }
        return n;
    }
}
