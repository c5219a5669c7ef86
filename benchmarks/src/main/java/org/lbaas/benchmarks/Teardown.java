package org.lbaas.benchmarks;

import com.google.common.io.MoreFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.lbaas.benchmarks.client.AgentProcess;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.lab.netns.CleanupHook;
import org.lbaas.lab.netns.NetnsTopology;

/**
 * The end of a harness run on a network lab, in the order that leaves nothing behind: the client
 * agent stops, the driver removes every load balancer of its state directory (reconcile with
 * nothing desired) and closes, the harness's own steps run, the topology closes; then what is
 * still there is listed, and the work directory is deleted only when nothing is. Each step runs
 * even when an earlier one failed.
 */
public final class Teardown {

    private Teardown() {
    }

    /**
     * What a teardown found.
     *
     * @param problems each step that failed, as a line for the report
     * @param leftovers what was still there afterwards
     */
    public record Outcome(List<String> problems, List<String> leftovers) {
        /**
         * Copies the lists.
         *
         * @param problems failed steps
         * @param leftovers what was left
         */
        public Outcome {
            problems = List.copyOf(problems);
            leftovers = List.copyOf(leftovers);
        }
    }

    /**
     * Tears a run down; any argument may be null when the run did not get that far.
     *
     * @param agent the client agent
     * @param driver the driver
     * @param ownSteps the harness's steps between the driver and the topology
     * @param topology the topology
     * @param leftovers lists what is still there, after the topology closed
     * @param work the work directory
     * @return the problems and leftovers
     */
    public static Outcome run(AgentProcess agent, LoadBalancerDriver driver, List<Runnable> ownSteps, NetnsTopology topology,
                              Supplier<List<String>> leftovers, Path work) {
        List<String> problems = new ArrayList<>();
        if (agent != null) {
            agent.close();
        }
        if (driver != null) {
            try {
                ReconcileReport r = driver.reconcile(List.of());
                if (!r.succeeded()) {
                    problems.add("cleanup reconcile failed for " + r.failed());
                }
            } catch (RuntimeException e) {
                problems.add("cleanup: " + e);
            } finally {
                driver.close();
            }
        }
        List<Runnable> steps = new ArrayList<>(ownSteps);
        if (topology != null) {
            steps.add(topology::close);
        }
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                problems.add("cleanup: " + e);
            }
        }
        List<String> left = leftovers.get();
        if (work != null && left.isEmpty() && Files.exists(work)) {
            try {
                MoreFiles.deleteRecursively(work);
            } catch (IOException e) {
                problems.add("cleanup: cannot delete " + work + ": " + e);
            }
        }
        return new Outcome(problems, left);
    }

    /**
     * Measures with a cleanup that runs in all cases: at the end, after a failure (noted as
     * {@code run failed: ...} with its stack trace in the log) and, through a shutdown hook, on
     * interrupt.
     *
     * @param hookName the shutdown hook's name
     * @param measure the measurement
     * @param cleanup the cleanup (idempotent, as {@link #once} makes it)
     * @param notes the run's notes
     * @param log where progress goes
     */
    public static void measured(String hookName, Runnable measure, Runnable cleanup, List<String> notes, PrintStream log) {
        CleanupHook hook = CleanupHook.register(hookName, cleanup);
        try {
            measure.run();
        } catch (RuntimeException | Error e) {
            notes.add("run failed: " + e);
            e.printStackTrace(log);
        } finally {
            cleanup.run();
            hook.close();
        }
    }

    /**
     * Runs a harness's cleanup once: the end of its run and its shutdown hook both call this; a
     * cleanup that fails becomes a note of the run (and its stack trace goes to the log).
     *
     * @param done set by the first call
     * @param cleanup the cleanup
     * @param notes the run's notes
     * @param log where progress goes
     */
    public static void once(AtomicBoolean done, Runnable cleanup, List<String> notes, PrintStream log) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        try {
            cleanup.run();
        } catch (RuntimeException | Error e) {
            notes.add("cleanup failed: " + e);
            e.printStackTrace(log);
        }
    }

    /**
     * Sleeps; an interrupt ends the run.
     *
     * @param d how long
     * @throws IllegalStateException when interrupted (the interrupt flag is set again)
     */
    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
