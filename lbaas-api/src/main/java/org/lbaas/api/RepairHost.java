package org.lbaas.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.Status;
import org.lbaas.model.Text;
import org.lbaas.model.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service as {@link SelfHealing} sees it: the settled, deployed load balancers, and a repair
 * that runs on a driver thread holding the load balancer's one-call permit
 * ({@link DriverRunner.LbRuntime#calls}), like an apply, so it never overlaps an apply or remove of
 * it; a change accepted meanwhile is applied after it.
 */
record RepairHost(ServiceState state, ChangeEngine engine, DriverRunner runner) implements SelfHealing.Host {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerService.class);

    @Override
    public Map<UUID, Status> settledDeployed() {
        Map<UUID, Status> out = new LinkedHashMap<>();
        synchronized (state.lock) {
            if (state.closed()) {
                return out;
            }
            for (TrackedLoadBalancer lb : state.loadBalancers()) {
                if (isSettledDeployed(lb)) {
                    out.put(lb.id(), lb.pool().status());
                }
            }
        }
        return out;
    }

    @Override
    public CompletionStage<SelfHealing.Repair> repair(UUID poolId, String reason) {
        CompletableFuture<SelfHealing.Repair> done = new CompletableFuture<>();
        Optional<DriverRunner.LbRuntime> rt;
        synchronized (state.lock) {
            rt = state.closed() ? Optional.empty() : runner.runtime(poolId);
        }
        if (rt.isEmpty()) {
            done.complete(SelfHealing.Repair.skipped("the load balancer is gone"));
            return done;
        }
        try {
            runner.execute(() -> repairOnRunner(rt.get(), done));
        } catch (RejectedExecutionException e) {
            done.complete(SelfHealing.Repair.skipped("the service is closing"));
        }
        return done;
    }

    /**
     * Whether a load balancer is deployed and nothing about it waits for the driver: no pending
     * object, no driver work queued, running or hung, and no object in ERROR but the pool. Under
     * the state's lock.
     */
    private boolean isSettledDeployed(TrackedLoadBalancer lb) {
        if (!lb.pending().isEmpty() || lb.vip().isEmpty() || !lb.vip().get().adminStateUp()
                || lb.vip().get().status() == Status.ERROR) {
            return false;
        }
        if (!runner.idle(lb.id())) {
            return false;
        }
        for (Member m : lb.members().values()) {
            if (m.status() == Status.ERROR) {
                return false;
            }
        }
        for (PoolMonitorAssociation a : lb.associations().values()) {
            if (a.status() == Status.ERROR) {
                return false;
            }
        }
        return true;
    }

    /**
     * Repairs a load balancer on a driver thread, holding its one-call-at-a-time permit like an
     * apply does, so no apply or remove of it runs meanwhile. The desired state is taken once the
     * permit is held; a change accepted later waits for the permit and is applied after the
     * repair. Skipped when the load balancer changed or has driver work of its own.
     */
    private void repairOnRunner(DriverRunner.LbRuntime rt, CompletableFuture<SelfHealing.Repair> done) {
        if (!rt.calls.tryAcquire()) {
            done.complete(SelfHealing.Repair.skipped("a driver call for it is in progress"));
            return;
        }
        try {
            LoadBalancer desired;
            long revision;
            synchronized (state.lock) {
                Optional<TrackedLoadBalancer> lb = state.loadBalancer(rt.id);
                if (state.closed() || lb.isEmpty() || runner.runtime(rt.id).orElse(null) != rt
                        || !isSettledDeployed(lb.get())) {
                    done.complete(SelfHealing.Repair.skipped("it changed or has driver work of its own"));
                    return;
                }
                try {
                    desired = state.desired(lb.get());
                } catch (ValidationException e) {
                    done.complete(SelfHealing.Repair.skipped("it is invalid: " + e.getMessage()));
                    return;
                }
                revision = lb.get().revision();
            }
            AtomicBoolean settled = new AtomicBoolean();
            AtomicBoolean inCall = new AtomicBoolean(true);
            CompletableFuture<Long> errorRevision = new CompletableFuture<>();
            Thread caller = Thread.currentThread();
            long start = System.nanoTime();
            ScheduledFuture<?> deadlineTimer = null;
            try {
                deadlineTimer = runner.afterDeadline(() -> {
                    if (!settled.compareAndSet(false, true)) {
                        return;
                    }
                    try {
                        synchronized (inCall) {
                            if (inCall.get()) {
                                caller.interrupt();
                            }
                        }
                        String why = "driver did not repair it within " + DriverRunner.text(runner.deadline());
                        errorRevision.complete(settleRepair(rt, revision, false, why));
                        done.complete(new SelfHealing.Repair(SelfHealing.Repair.Result.FAILED, why,
                                DriverRunner.millis(start)));
                    } finally {
                        errorRevision.complete(revision);
                    }
                });
            } catch (RejectedExecutionException e) {
                LOG.debug("service closing: no deadline for the repair of load balancer {}", rt.id);
            }
            boolean ok;
            String tenantMessage;
            String detail;
            try {
                ApplyResult r = runner.driver().repair(desired);
                ok = true;
                tenantMessage = "";
                detail = r == null ? "(no result)" : r.action() + (r.detail().isEmpty() ? "" : " " + r.detail());
            } catch (DriverException e) {
                ok = false;
                tenantMessage = e.tenantMessage();
                detail = e.operatorMessage();
            } catch (Exception | Error e) {
                ok = false;
                tenantMessage = "the driver failed unexpectedly";
                detail = e.toString();
            }
            if (deadlineTimer != null) {
                deadlineTimer.cancel(false);
            }
            synchronized (inCall) {
                inCall.set(false);
            }
            Thread.interrupted();
            if (ok) {
                synchronized (state.lock) {
                    rt.lastApplied = Optional.of(desired);
                }
            }
            if (settled.compareAndSet(false, true)) {
                settleRepair(rt, revision, ok, tenantMessage);
                done.complete(new SelfHealing.Repair(ok ? SelfHealing.Repair.Result.REPAIRED : SelfHealing.Repair.Result.FAILED,
                        detail, DriverRunner.millis(start)));
            } else if (ok) {
                LOG.warn("self-healing: the driver repaired load balancer {} after the deadline had passed ({} ms)", rt.id,
                        DriverRunner.millis(start));
                settleRepair(rt, errorRevision.join(), true, "");
            }
        } finally {
            rt.calls.release();
        }
    }

    /**
     * Records what a repair came to, unless the load balancer changed since {@code revision}: a
     * success clears ERROR (ACTIVE or DISABLED again, as after an apply), a failure sets the pool
     * to ERROR with the tenant's message.
     *
     * @return the load balancer's revision afterwards
     */
    private long settleRepair(DriverRunner.LbRuntime rt, long revision, boolean ok, String tenantMessage) {
        long[] after = {revision};
        engine.internal(rt.writeLock, () -> {
            Optional<TrackedLoadBalancer> found = state.loadBalancer(rt.id);
            if (state.closed() || found.isEmpty() || found.get().revision() != revision || !found.get().pending().isEmpty()) {
                return null;
            }
            TrackedLoadBalancer lb = found.get();
            ChangeEngine.Tx tx = engine.begin();
            if (ok) {
                engine.resolve(tx, rt.id, 0, true, "");
            } else {
                String why = Text.statusDescription("the load balancer stopped and could not be restarted: " + tenantMessage);
                if (lb.pool().status() != Status.ERROR || !lb.pool().statusDescription().equals(why)) {
                    engine.putLb(tx, rt.id, Optional.of(lb.withPool(lb.pool().withStatus(Status.ERROR, why))
                            .withRevision(tx.version)));
                }
            }
            after[0] = state.lbOrThrow(rt.id).revision();
            return tx;
        });
        return after[0];
    }
}
