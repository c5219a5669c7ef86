package org.lbaas.lab.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CleanupHookTest {

    @Test
    void theHookRunsTheCleanupKnowsItIsInsideAndKeepsItsFailureToItself() throws Exception {
        AtomicBoolean inside = new AtomicBoolean();
        CleanupHook[] hook = new CleanupHook[1];
        hook[0] = CleanupHook.register("cleanup-hook-test", () -> {
            inside.set(hook[0].isRunningHere());
            hook[0].close(); // inside the hook: does nothing
            throw new IllegalStateException("cleanup failed on purpose");
        });
        assertFalse(hook[0].isRunningHere(), "the test thread is not the hook");
        hook[0].close();
        hook[0].close(); // removed already: nothing happens

        // removed from the JVM, the thread can be run as the JVM would run it at exit
        Thread t = hook[0].thread();
        assertEquals("cleanup-hook-test", t.getName());
        List<Throwable> escaped = new CopyOnWriteArrayList<>();
        t.setUncaughtExceptionHandler((th, e) -> escaped.add(e));
        t.start();
        t.join(10_000);
        assertTrue(inside.get(), "the cleanup ran on the hook's thread");
        assertEquals(List.of(), escaped, "a failing cleanup is printed, not thrown");
    }
}
