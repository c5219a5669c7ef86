package org.lbaas.cluster;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The roles' threads (one named daemon thread each) and their settings' duration checks. */
final class Daemons {

    private Daemons() {
    }

    /** A single named daemon thread that runs tasks in order, now or later. */
    static ScheduledExecutorService thread(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Interrupts the thread's task and waits (bounded) until it has ended. */
    static void stop(ExecutorService thread, Duration patience) {
        thread.shutdownNow();
        try {
            thread.awaitTermination(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns a positive duration, or refuses it naming the setting and the value. */
    static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }
}
