package org.lbaas.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;

/**
 * A driver that passes every call to another and keeps what its reconciles reported, so that
 * {@code lbaas reconcile} can show the report of the reconcile the service runs when it starts.
 */
final class ReportingDriver implements LoadBalancerDriver {

    private final LoadBalancerDriver delegate;
    private final List<ReconcileReport> reports = new ArrayList<>();
    private final Map<UUID, String> failures = new java.util.concurrent.ConcurrentHashMap<>();

    ReportingDriver(LoadBalancerDriver delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Returns every reconcile report so far, oldest first. */
    synchronized List<ReconcileReport> reports() {
        return List.copyOf(reports);
    }

    @Override
    public Capabilities capabilities() {
        return delegate.capabilities();
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
        try {
            ApplyResult r = delegate.apply(previous, desired);
            failures.remove(desired.id());
            return r;
        } catch (DriverException e) {
            failures.put(desired.id(), CliException.oneLine(e.operatorMessage()));
            throw e;
        }
    }

    @Override
    public void remove(UUID poolId) {
        try {
            delegate.remove(poolId);
            failures.remove(poolId);
        } catch (DriverException e) {
            failures.put(poolId, CliException.oneLine(e.operatorMessage()));
            throw e;
        }
    }

    @Override
    public Optional<Observation> observe(UUID poolId) {
        return delegate.observe(poolId);
    }

    @Override
    public Map<UUID, Observation> observeAll(Collection<UUID> poolIds) {
        return delegate.observeAll(poolIds);
    }

    @Override
    public ReconcileReport reconcile(Collection<LoadBalancer> desired) {
        ReconcileReport report = delegate.reconcile(desired);
        synchronized (this) {
            reports.add(report);
        }
        return report;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
