package org.lbaas.cli;

import java.util.ArrayList;
import java.util.Collection;
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
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;

/**
 * A driver that passes every call to another (probe and repair included) and keeps what its
 * reconciles reported, so that {@code lbaas reconcile} can show the report of the reconcile the
 * service runs when it starts, and what the driver told the operator when a call for a load
 * balancer failed (apply, repair, remove).
 */
final class ReportingDriver extends ForwardingDriver {

    private final LoadBalancerDriver delegate;
    private final List<ReconcileReport> reports = new ArrayList<>();
    private final Map<UUID, String> failures = new ConcurrentHashMap<>();

    ReportingDriver(LoadBalancerDriver delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    protected LoadBalancerDriver delegate() {
        return delegate;
    }

    /** Returns every reconcile report so far, oldest first. */
    synchronized List<ReconcileReport> reports() {
        return List.copyOf(reports);
    }

    /**
     * Returns what the driver told the operator when its last call for a load balancer failed
     * (the service shows tenants a shorter message); empty when that call succeeded.
     */
    Optional<String> lastFailure(UUID poolId) {
        return Optional.ofNullable(failures.get(poolId));
    }

    @Override
    public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
        return noted(desired.id(), () -> delegate.apply(previous, desired));
    }

    @Override
    public ApplyResult repair(LoadBalancer desired) {
        return noted(desired.id(), () -> delegate.repair(desired));
    }

    @Override
    public void remove(UUID poolId) {
        noted(poolId, () -> {
            delegate.remove(poolId);
            return null;
        });
    }

    @Override
    public ReconcileReport reconcile(Collection<LoadBalancer> desired) {
        ReconcileReport report = delegate.reconcile(desired);
        synchronized (this) {
            reports.add(report);
        }
        return report;
    }

    /** Runs a call for one load balancer, noting its operator message when it fails and forgetting it when it succeeds. */
    private <T> T noted(UUID poolId, Supplier<T> call) {
        try {
            T result = call.get();
            failures.remove(poolId);
            return result;
        } catch (DriverException e) {
            failures.put(poolId, CliException.oneLine(e.operatorMessage()));
            throw e;
        }
    }
}
