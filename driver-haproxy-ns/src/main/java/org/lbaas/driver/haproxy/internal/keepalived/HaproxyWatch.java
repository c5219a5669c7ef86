package org.lbaas.driver.haproxy.internal.keepalived;

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
 * {@code watch_interval}: every interval, for each watched instance whose track file says HAProxy
 * runs, checks that the process of its pid file is still a live HAProxy of the instance (a zombie
 * counts as dead: {@code /proc/PID/stat} is read, no command runs) and otherwise writes {@code 1}
 * to the track file; keepalived sees the change through inotify and, when MASTER, hands the VIP
 * over at once. keepalived's own {@code track_process} cannot do this inside a network namespace,
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
    private final Map<InstanceId, InstanceFiles> watched = new ConcurrentHashMap<>();
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
        watched.put(id, files);
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
        for (Map.Entry<InstanceId, InstanceFiles> e : watched.entrySet()) {
            try {
                InstanceFiles files = e.getValue();
                if (keepalived.trackedUp(files) && haproxyGone.test(e.getKey(), files)) {
                    keepalived.haproxyUp(files, false);
                    LOG.warn("instance {}: HAProxy is gone; its keepalived instance is put in FAULT", e.getKey());
                }
            } catch (RuntimeException ex) {
                LOG.debug("instance {}: watch failed: {}", e.getKey(), ex.toString());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
