package org.lbaas.api;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.ForwardingDriver;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;

/** Times every call the service makes to its driver, by {@link ServiceMetrics.Operation}. */
final class MeteredDriver extends ForwardingDriver {

    private final LoadBalancerDriver delegate;
    private final ServiceMetrics metrics;

    MeteredDriver(LoadBalancerDriver delegate, ServiceMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    protected LoadBalancerDriver delegate() {
        return delegate;
    }

    @Override
    public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
        return timed(ServiceMetrics.Operation.APPLY, () -> delegate.apply(previous, desired));
    }

    @Override
    public void remove(UUID poolId) {
        timed(ServiceMetrics.Operation.REMOVE, () -> {
            delegate.remove(poolId);
            return null;
        });
    }

    @Override
    public Optional<Observation> observe(UUID poolId) {
        return timed(ServiceMetrics.Operation.OBSERVE, () -> delegate.observe(poolId));
    }

    @Override
    public Map<UUID, Observation> observeAll(Collection<UUID> poolIds) {
        return timed(ServiceMetrics.Operation.OBSERVE, () -> delegate.observeAll(poolIds));
    }

    @Override
    public Map<UUID, String> probe(Collection<UUID> poolIds) {
        return timed(ServiceMetrics.Operation.PROBE, () -> delegate.probe(poolIds));
    }

    @Override
    public ApplyResult repair(LoadBalancer desired) {
        return timed(ServiceMetrics.Operation.REPAIR, () -> delegate.repair(desired));
    }

    @Override
    public ReconcileReport reconcile(Collection<LoadBalancer> desired) {
        return timed(ServiceMetrics.Operation.RECONCILE, () -> delegate.reconcile(desired));
    }

    private <T> T timed(ServiceMetrics.Operation operation, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            T result = call.get();
            metrics.driverCall(operation, null, System.nanoTime() - start);
            return result;
        } catch (Throwable e) { // rethrown as is; counts a checked exception a driver threw sneakily too
            metrics.driverCall(operation, e, System.nanoTime() - start);
            throw e;
        }
    }
}
