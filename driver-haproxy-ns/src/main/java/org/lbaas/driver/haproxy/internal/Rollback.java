package org.lbaas.driver.haproxy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undo steps of one operation on one instance, run in reverse order of registration; a failing
 * step is logged and attached to the original error, and the remaining steps still run.
 */
public final class Rollback {

    private static final Logger LOG = LoggerFactory.getLogger(Rollback.class);

    private final InstanceId id;
    private final List<Map.Entry<String, Runnable>> steps = new ArrayList<>();

    /** @param id the instance the steps belong to (for the log) */
    public Rollback(InstanceId id) {
        this.id = Objects.requireNonNull(id, "id");
    }

    /**
     * Registers an undo step.
     *
     * @param what what it does, for the log
     * @param undo the step
     */
    public void push(String what, Runnable undo) {
        steps.add(Map.entry(what, undo));
    }

    /**
     * Runs every registered step, the last first.
     *
     * @param cause the failure being undone; failures of steps are added to it as suppressed
     */
    public void run(RuntimeException cause) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            Map.Entry<String, Runnable> step = steps.get(i);
            try {
                step.getValue().run();
            } catch (RuntimeException e) {
                LOG.error("instance {}: rollback step '{}' failed: {}", id, step.getKey(), e.toString());
                cause.addSuppressed(e);
            }
        }
    }
}
