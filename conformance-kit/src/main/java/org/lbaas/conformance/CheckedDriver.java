package org.lbaas.conformance;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.ForwardingDriver;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;

/**
 * Wraps the driver under test and writes down every call in a {@link Ledger}. Two views share one
 * ledger: the one handed to the service also checks that every {@code previous} state is the
 * desired state the service last applied for that pool; the kit's own view (which passes wrong
 * previous states on purpose) does not. Both record any exception other than
 * {@link DriverException} that a driver lets escape. What it does not check (capabilities, and any
 * method the SPI gains) is forwarded unchanged.
 */
final class CheckedDriver extends ForwardingDriver {

    private final LoadBalancerDriver delegate;
    private final Ledger ledger;
    private final boolean checksPrevious;

    private CheckedDriver(LoadBalancerDriver delegate, Ledger ledger, boolean checksPrevious) {
        this.delegate = delegate;
        this.ledger = ledger;
        this.checksPrevious = checksPrevious;
    }

    /** Returns the kit's view of a driver, with a new ledger. */
    static CheckedDriver wrap(LoadBalancerDriver delegate) {
        return new CheckedDriver(Objects.requireNonNull(delegate, "createDriver returned null"), new Ledger(), false);
    }

    /** Returns the view for the service: same driver and ledger, previous states checked. */
    CheckedDriver forService() {
        return new CheckedDriver(delegate, ledger, true);
    }

    Ledger ledger() {
        return ledger;
    }

    @Override
    protected LoadBalancerDriver delegate() {
        return delegate;
    }

    @Override
    public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
        UUID id = desired.id();
        if (checksPrevious) {
            ledger.checkPrevious(id, previous);
        }
        try {
            ApplyResult result = guarded("apply", () -> delegate.apply(previous, desired));
            if (result == null) {
                ledger.breach("apply of pool " + id + " returned null instead of an ApplyResult");
            }
            ledger.applied(new Apply(id, previous, desired, Optional.ofNullable(result), Optional.empty(), checksPrevious));
            return result;
        } catch (RuntimeException e) {
            ledger.applied(new Apply(id, previous, desired, Optional.empty(), Optional.of(e), checksPrevious));
            throw e;
        }
    }

    @Override
    public void remove(UUID poolId) {
        guarded("remove", () -> {
            delegate.remove(poolId);
            return null;
        });
        ledger.removed(poolId);
    }

    @Override
    public Optional<Observation> observe(UUID poolId) {
        Optional<Observation> o = guarded("observe", () -> delegate.observe(poolId));
        if (o == null) {
            ledger.breach("observe of pool " + poolId + " returned null instead of an Optional");
            return Optional.empty();
        }
        return o;
    }

    @Override
    public Map<UUID, Observation> observeAll(Collection<UUID> poolIds) {
        return guarded("observeAll", () -> delegate.observeAll(poolIds));
    }

    @Override
    public Map<UUID, String> probe(Collection<UUID> poolIds) {
        Map<UUID, String> dead = guarded("probe", () -> delegate.probe(poolIds));
        if (dead == null) {
            ledger.breach("probe returned null instead of a map");
            return Map.of();
        }
        return dead;
    }

    @Override
    public ApplyResult repair(LoadBalancer desired) {
        ApplyResult result = guarded("repair", () -> delegate.repair(desired));
        if (result == null) {
            ledger.breach("repair of pool " + desired.id() + " returned null instead of an ApplyResult");
        }
        ledger.repaired(desired);
        return result;
    }

    @Override
    public ReconcileReport reconcile(Collection<LoadBalancer> desired) {
        ReconcileReport report = guarded("reconcile", () -> delegate.reconcile(desired));
        ledger.reconciled(desired, report);
        return report;
    }

    @Override
    public void close() {
        guarded("close", () -> {
            delegate.close();
            return null;
        });
    }

    private <T> T guarded(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (DriverException e) {
            ledger.count(operation);
            throw e;
        } catch (RuntimeException e) {
            ledger.count(operation);
            ledger.breach(operation + " threw " + e + " instead of a DriverException (failures must carry a tenant"
                    + " and an operator message)");
            throw e;
        } finally {
            ledger.count(operation + "#calls");
        }
    }

    /**
     * One apply call.
     *
     * @param poolId the pool id
     * @param previous the previous state it was told
     * @param desired the desired state
     * @param result what it returned
     * @param failure what it threw
     * @param viaService whether the service made the call
     */
    record Apply(UUID poolId, Optional<LoadBalancer> previous, LoadBalancer desired, Optional<ApplyResult> result,
                 Optional<RuntimeException> failure, boolean viaService) {

        boolean succeeded() {
            return failure.isEmpty();
        }
    }

    /** What the driver was told and did, and every breach of the contract seen on the way. Thread-safe. */
    static final class Ledger {

        private final List<Apply> applies = Collections.synchronizedList(new ArrayList<>());
        private final List<String> breaches = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, Integer> counts = new ConcurrentHashMap<>();
        private final Map<UUID, LoadBalancer> lastApplied = new ConcurrentHashMap<>();
        private final Map<UUID, LoadBalancer> lastAttempted = new ConcurrentHashMap<>();
        private final Map<UUID, Integer> repairs = new ConcurrentHashMap<>();
        private volatile int previousChecks;

        void breach(String what) {
            breaches.add(what);
        }

        List<String> breaches() {
            synchronized (breaches) {
                return List.copyOf(breaches);
            }
        }

        /** Every apply so far, in call order. */
        List<Apply> applies() {
            synchronized (applies) {
                return List.copyOf(applies);
            }
        }

        /** The applies of one pool, in call order. */
        List<Apply> applies(UUID poolId) {
            return applies().stream().filter(a -> a.poolId().equals(poolId)).toList();
        }

        /** How many calls of an operation were made ({@code apply}, {@code remove}, ...). */
        int calls(String operation) {
            return counts.getOrDefault(operation + "#calls", 0);
        }

        /** How many calls of every operation were made. */
        int allCalls() {
            return counts.entrySet().stream().filter(e -> e.getKey().endsWith("#calls")).mapToInt(Map.Entry::getValue).sum();
        }

        /** How many previous states the service passed were checked. */
        int previousChecks() {
            return previousChecks;
        }

        void count(String key) {
            counts.merge(key, 1, Integer::sum);
        }

        void checkPrevious(UUID id, Optional<LoadBalancer> previous) {
            previousChecks++;
            Optional<LoadBalancer> applied = Optional.ofNullable(lastApplied.get(id));
            Optional<LoadBalancer> attempted = Optional.ofNullable(lastAttempted.get(id));
            if (!previous.equals(applied) && !previous.equals(attempted)) {
                breach("the service told the driver a previous state of pool " + id + " (" + describe(previous)
                        + ") that is not the desired state it last gave the driver (" + describe(applied) + ")");
            }
        }

        void applied(Apply a) {
            applies.add(a);
            if (a.succeeded()) {
                lastApplied.put(a.poolId(), a.desired());
            }
            lastAttempted.put(a.poolId(), a.desired());
        }

        /** A successful repair: the driver serves {@code desired}, as after an apply. */
        void repaired(LoadBalancer desired) {
            lastApplied.put(desired.id(), desired);
            lastAttempted.put(desired.id(), desired);
            repairs.merge(desired.id(), 1, Integer::sum);
        }

        /** How many repairs of a pool succeeded. */
        int repairs(UUID id) {
            return repairs.getOrDefault(id, 0);
        }

        void removed(UUID id) {
            lastApplied.remove(id);
            lastAttempted.remove(id);
        }

        void reconciled(Collection<LoadBalancer> desired, ReconcileReport report) {
            for (LoadBalancer lb : desired) {
                if (!report.failed().containsKey(lb.id())) {
                    lastApplied.put(lb.id(), lb);
                }
            }
            report.removed().stream().filter(id -> desired.stream().noneMatch(lb -> lb.id().equals(id)))
                    .forEach(this::removed);
        }

        static String describe(Optional<LoadBalancer> lb) {
            return lb.map(Ledger::describe).orElse("none");
        }

        static String describe(LoadBalancer lb) {
            return "pool " + lb.pool().lbMethod() + (lb.pool().adminStateUp() ? "" : " admin down") + ", "
                    + lb.members().size() + " members, " + lb.healthMonitors().size() + " monitors, "
                    + lb.vip().map(v -> "VIP " + (v.adminStateUp() ? "up" : "down")).orElse("no VIP");
        }
    }
}
