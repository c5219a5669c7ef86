package org.lbaas.driver.spi;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.model.LoadBalancer;

/**
 * A driver that forwards every call to another driver, {@link #delegate()}, in the style of
 * Guava's {@code Forwarding*} classes: a wrapper (a checking, counting or deliberately faulty
 * driver in a test, a decorator in an application) extends it and overrides only the methods whose
 * behaviour it changes.
 *
 * <p><b>Everything is forwarded, defaults included.</b> {@link #observeAll}, {@link #probe} and
 * {@link #repair} call the delegate's own implementation, not {@link LoadBalancerDriver}'s
 * defaults over this wrapper's methods. So a subclass that overrides {@link #observe} does not
 * change what {@link #observeAll} returns: override both when both must change.
 *
 * <p><b>New SPI methods are forwarded too.</b> When {@link LoadBalancerDriver} gains a method,
 * this class gains its forwarding implementation in the same change (a test reflects over the
 * interface and fails for any method that is not forwarded), so existing wrappers keep compiling
 * and keep passing new calls to the driver they wrap instead of silently running a default.
 */
public abstract class ForwardingDriver implements LoadBalancerDriver {

    /** For subclasses. */
    protected ForwardingDriver() {
    }

    /**
     * Returns the driver every call is forwarded to. Called on every call; it should return the
     * same driver each time.
     *
     * @return the wrapped driver, never null
     */
    protected abstract LoadBalancerDriver delegate();

    @Override
    public Capabilities capabilities() {
        return delegate().capabilities();
    }

    @Override
    public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
        return delegate().apply(previous, desired);
    }

    @Override
    public void remove(UUID poolId) {
        delegate().remove(poolId);
    }

    @Override
    public Optional<Observation> observe(UUID poolId) {
        return delegate().observe(poolId);
    }

    @Override
    public Map<UUID, Observation> observeAll(Collection<UUID> poolIds) {
        return delegate().observeAll(poolIds);
    }

    @Override
    public Map<UUID, String> probe(Collection<UUID> poolIds) {
        return delegate().probe(poolIds);
    }

    @Override
    public ApplyResult repair(LoadBalancer desired) {
        return delegate().repair(desired);
    }

    @Override
    public ReconcileReport reconcile(Collection<LoadBalancer> desired) {
        return delegate().reconcile(desired);
    }

    @Override
    public void close() {
        delegate().close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate() + "]";
    }
}
