package org.lbaas.driver.haproxy.internal.keepalived;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the death of a pair instance's HAProxy into a fault of its keepalived within one
 * {@code watch_interval}: every interval, for each watched instance whose HAProxy was running, reads
 * {@code /proc/PID/stat} of the pid it last saw (one small read, no command; a zombie counts as
 * dead) and, when that process is gone, asks the driver whether the instance's HAProxy is gone
 * (the pid file may name a newer process after a reload); if so it writes {@code 1} to the track
 * file; keepalived sees the change through inotify and, when MASTER, hands the VIP over at once.
 * Every {@value #FULL_CHECK_EVERY}th sweep asks the driver for every instance, so a pid reused by
 * another program is not taken for the HAProxy for long. keepalived's own {@code track_process} cannot do this inside a network namespace,
 * and {@code vrrp_script} runs at whole-second intervals.
 *
 * <p>The watch runs in the driver's process: with the driver stopped, the death of an HAProxy is
 * noticed only when the driver (or another one on the same state directory) runs again, while a
 * dead keepalived, a cut link or a deleted namespace still fail over (keepalived's adverts stop).
 */
public final class HaproxyWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HaproxyWatch.class);

    private final KeepalivedProcesses keepalived;
    private final BiPredicate<InstanceId, InstanceFiles> haproxyGone;
    /** Sweeps between two checks of every instance through the driver. */
    static final int FULL_CHECK_EVERY = 20;

    private final Map<InstanceId, Entry> watched = new ConcurrentHashMap<>();
    private int sweeps;

    /** One watched instance: its files and the HAProxy pid last seen alive (0 when unknown). */
    private static final class Entry {
        final InstanceFiles files;
        volatile long pid;

        Entry(InstanceFiles files, long pid) {
            this.files = files;
            this.pid = pid;
        }
    }
    private final ScheduledExecutorService timer;

    /**
     * @param keepalived where the track files are
     * @param haproxyGone whether an instance's HAProxy (pid file) is no longer a live process of the
     *     instance; false while the instance is being changed (the driver holds its lock), so a reload
     *     or restart in progress is never taken for a death
     * @param interval how often to look
     */
    public HaproxyWatch(KeepalivedProcesses keepalived, BiPredicate<InstanceId, InstanceFiles> haproxyGone, Duration interval) {
        this.keepalived = Objects.requireNonNull(keepalived, "keepalived");
        this.haproxyGone = Objects.requireNonNull(haproxyGone, "haproxyGone");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lbaas-haproxy-watch");
            t.setDaemon(true);
            return t;
        });
        long nanos = interval.toNanos();
        timer.scheduleWithFixedDelay(this::sweep, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** Watches an instance whose HAProxy was (re)started and whose track file was set to 0. */
    public void watch(InstanceId id, InstanceFiles files) {
        watched.put(id, new Entry(files, files.readPid().orElse(0L)));
    }

    /** Stops watching an instance (removed, or its HAProxy stopped on purpose). */
    public void forget(InstanceId id) {
        watched.remove(id);
    }

    /** Returns whether an instance is watched. */
    public boolean watches(InstanceId id) {
        return watched.containsKey(id);
    }

    /** One look at every watched instance; public for tests that drive it without the timer. */
    public void sweep() {
        boolean full = ++sweeps % FULL_CHECK_EVERY == 0;
        for (Map.Entry<InstanceId, Entry> e : watched.entrySet()) {
            Entry entry = e.getValue();
            try {
                if (entry.pid < 0 || (!full && entry.pid > 0 && alive(entry.pid))) {
                    continue;
                }
                InstanceFiles files = entry.files;
                if (haproxyGone.test(e.getKey(), files)) {
                    if (keepalived.trackedUp(files)) {
                        keepalived.haproxyUp(files, false);
                        LOG.warn("instance {}: HAProxy is gone; its keepalived instance is put in FAULT", e.getKey());
                    }
                    entry.pid = -1;
                } else {
                    entry.pid = files.readPid().orElse(0L);
                }
            } catch (RuntimeException ex) {
                LOG.debug("instance {}: watch failed: {}", e.getKey(), ex.toString());
            }
        }
    }

    /** Whether a process runs: {@code /proc/PID/stat} exists and its state is not zombie or dead. */
    static boolean alive(long pid) {
        byte[] stat;
        try {
            stat = Files.readAllBytes(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException e) {
            return false;
        }
        int close = -1;
        for (int i = stat.length - 1; i >= 0; i--) {
            if (stat[i] == ')') {
                close = i;
                break;
            }
        }
        if (close < 0 || close + 2 >= stat.length) {
            return false;
        }
        byte state = stat[close + 2];
        return state != 'Z' && state != 'X' && state != 'x';
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
