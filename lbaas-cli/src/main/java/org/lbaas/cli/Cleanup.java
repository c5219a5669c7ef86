package org.lbaas.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a command must undo, in reverse order of creation, exactly once: on the normal path, after a
 * failure, or from a JVM shutdown hook on Ctrl-C ({@link #onShutdown(Runnable)}).
 */
final class Cleanup {

    private record Step(String name, Runnable action) {
    }

    private final Deque<Step> steps = new ArrayDeque<>();
    private final AtomicBoolean ran = new AtomicBoolean();
    private Thread hook;

    /** Adds an undo step; it runs before those added earlier. */
    synchronized void push(String name, Runnable action) {
        steps.push(new Step(Objects.requireNonNull(name, "name"), Objects.requireNonNull(action, "action")));
    }

    /**
     * Registers a shutdown hook that runs every step if the JVM stops before {@link #run()}.
     *
     * @param announce runs first in the hook (to say what is happening)
     */
    synchronized void onShutdown(Runnable announce) {
        hook = new Thread(() -> {
            if (!ran.get()) {
                announce.run();
                runSteps();
            }
        }, "lbaas-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Runs every step (once), newest first, even when some fail, and removes the shutdown hook.
     *
     * @return one line per failed step
     */
    List<String> run() {
        List<String> failures = runSteps();
        Thread h;
        synchronized (this) {
            h = hook;
            hook = null;
        }
        if (h != null && Thread.currentThread() != h) {
            try {
                Runtime.getRuntime().removeShutdownHook(h);
            } catch (IllegalStateException e) {
                // the JVM is shutting down; the hook finds the steps done
            }
        }
        return failures;
    }

    private List<String> runSteps() {
        List<String> failures = new ArrayList<>();
        if (!ran.compareAndSet(false, true)) {
            return failures;
        }
        while (true) {
            Step s;
            synchronized (this) {
                s = steps.poll();
            }
            if (s == null) {
                return failures;
            }
            try {
                s.action().run();
            } catch (RuntimeException e) {
                failures.add(s.name() + ": " + CliException.oneLine(String.valueOf(e.getMessage())));
            }
        }
    }
}
