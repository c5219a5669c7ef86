package org.lbaas.lab.netns;

import java.util.Objects;

/**
 * A JVM shutdown hook that runs a lab's cleanup when the JVM exits before the lab was cleaned up
 * (Ctrl-C, a test run cut short). {@link #close()} removes it once the lab cleaned up itself.
 * The cleanup should be idempotent: it may run from the hook and from the lab.
 */
public final class CleanupHook implements AutoCloseable {

    private final Thread thread;

    private CleanupHook(Thread thread) {
        this.thread = thread;
    }

    /**
     * Registers a cleanup to run at JVM exit.
     *
     * @param name the hook thread's name, which also starts the line printed to standard error
     *     when the cleanup fails there
     * @param cleanup the cleanup
     * @return the registered hook
     */
    public static CleanupHook register(String name, Runnable cleanup) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cleanup, "cleanup");
        Thread thread = new Thread(() -> {
            try {
                cleanup.run();
            } catch (RuntimeException | Error e) {
                System.err.println(name + " failed: " + e);
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(thread);
        return new CleanupHook(thread);
    }

    /** The hook's thread, for tests. */
    Thread thread() {
        return thread;
    }

    /**
     * Whether the calling thread is this hook's: the cleanup runs because the JVM exits.
     *
     * @return true inside the hook
     */
    public boolean isRunningHere() {
        return Thread.currentThread() == thread;
    }

    /**
     * Removes the hook. Does nothing inside the hook itself, when it was removed already, or when
     * the JVM is shutting down (then the hook runs or ran anyway).
     */
    @Override
    public void close() {
        if (isRunningHere()) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs or ran and finds the lab cleaned up
        }
    }
}
