package org.lbaas.benchmarks.capacity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads what {@code /proc} says about one process: memory, CPU ticks, open descriptors. */
final class ProcStats {

    private ProcStats() {
    }

    /** Resident and proportional set size in KiB, from {@code smaps_rollup}. */
    record Memory(long rssKib, long pssKib) {
    }

    static Optional<Memory> memory(long pid) {
        try {
            long rss = -1;
            long pss = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Rss:")) {
                    rss = kib(line);
                } else if (line.startsWith("Pss:")) {
                    pss = kib(line);
                }
            }
            return rss < 0 || pss < 0 ? Optional.empty() : Optional.of(new Memory(rss, pss));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long kib(String line) {
        String[] f = line.trim().split("\\s+");
        return Long.parseLong(f[1]);
    }

    /** utime + stime in clock ticks, or -1 when the process is gone. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // f[0] is field 3 (state); utime is field 14, stime field 15
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU time on the processor in nanoseconds (first field of {@code /proc/PID/schedstat}: the
     * same time as utime + stime, without the 10 ms tick granularity), or -1 when the process is gone.
     */
    static long cpuNanos(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "schedstat"), StandardCharsets.US_ASCII);
            return Long.parseLong(s.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Number of open descriptors, or -1 when unreadable. */
    static int openFds(long pid) {
        return openFds(Path.of("/proc", Long.toString(pid), "fd"));
    }

    static int openFdsOfThisJvm() {
        return openFds(Path.of("/proc/self/fd"));
    }

    private static int openFds(Path dir) {
        try (var s = Files.list(dir)) {
            return (int) s.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Whether a process with this pid exists and is not a zombie. */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
