package org.lbaas.api;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Text;
import org.lbaas.model.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery at start-up: loads the repository into the {@link ServiceState} (repairing what a crash
 * in the middle of a move left behind), asks the driver to reconcile every stored load balancer,
 * marks those it could not reconcile ERROR, and re-applies whatever was left pending.
 */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerService.class);

    private final ServiceState state;
    private final ChangeEngine engine;
    private final DriverRunner runner;
    private final LoadBalancerDriver driver;
    private final Repository repository;

    Recovery(ServiceState state, ChangeEngine engine, DriverRunner runner, LoadBalancerDriver driver,
             Repository repository) {
        this.state = state;
        this.engine = engine;
        this.runner = runner;
        this.driver = driver;
        this.repository = repository;
    }

    /** Loads the repository, reconciles the driver and re-applies whatever was left pending. */
    void recover() {
        Repository.Contents contents = repository.load();
        Set<UUID> fixed = new LinkedHashSet<>();
        List<LoadBalancer> desired = new ArrayList<>();
        Set<UUID> pendingLbs = new LinkedHashSet<>();
        synchronized (state.lock) {
            contents.healthMonitors().stream().sorted(Comparator.comparing(HealthMonitor::id))
                    .forEach(m -> state.replaceMonitor(m.id(), Optional.of(m)));
            List<TrackedLoadBalancer> loaded = load(contents.loadBalancers(), fixed);
            long version = state.nextVersion();
            for (TrackedLoadBalancer lb : loaded) {
                TrackedLoadBalancer withPending = ServiceState.pendingAsStored(lb, Map.of(), version);
                if (!withPending.pending().isEmpty()) {
                    pendingLbs.add(lb.id());
                }
                state.replace(lb.id(), Optional.of(withPending));
                runner.register(lb.id());
            }
            fitInstanceAddresses(driver.capabilities().instanceAddresses(), fixed);
            for (TrackedLoadBalancer lb : state.loadBalancers()) {
                if (lb.pool().status() == Status.PENDING_DELETE) {
                    continue;
                }
                try {
                    desired.add(state.desired(lb));
                } catch (ValidationException e) {
                    LOG.error("stored load balancer {} is invalid and is not reconciled: {}", lb.id(), e.getMessage());
                }
            }
        }
        for (UUID id : fixed) {
            engine.write(id);
        }
        LOG.info("lbaas service starting: {} load balancers, {} health monitors, {} with changes left pending",
                contents.loadBalancers().size(), contents.healthMonitors().size(), pendingLbs.size());
        reconcile(desired);
        List<DriverRunner.LbRuntime> start = new ArrayList<>();
        synchronized (state.lock) {
            for (UUID id : pendingLbs) {
                runner.kick(id, state.version(), start);
            }
        }
        runner.start(start);
    }

    /**
     * Turns the stored documents into load balancers, newest first, dropping the older copy of a
     * member or VIP that a crash left in two documents and associations with monitors that are not
     * stored; raises the change counter to the highest revision. Under the state's lock.
     *
     * @return the load balancers in revision order
     */
    private List<TrackedLoadBalancer> load(List<StoredLoadBalancer> documents, Set<UUID> fixed) {
        List<StoredLoadBalancer> stored = new ArrayList<>(documents);
        stored.sort(Comparator.comparingLong(StoredLoadBalancer::revision).reversed());
        Set<UUID> seenMembers = new HashSet<>();
        Set<UUID> seenVips = new HashSet<>();
        List<TrackedLoadBalancer> loaded = new ArrayList<>();
        for (StoredLoadBalancer s : stored) {
            state.raiseVersion(s.revision());
            TrackedLoadBalancer lb = TrackedLoadBalancer.of(s);
            for (Member m : s.members()) {
                if (!seenMembers.add(m.id())) {
                    LOG.warn("member {} is stored in two pools (a move was interrupted by a crash): keeping the newer "
                            + "copy, dropping the one in pool {}", m.id(), s.id());
                    lb = lb.withoutMember(m.id());
                    fixed.add(s.id());
                }
            }
            if (s.vip().isPresent() && !seenVips.add(s.vip().get().id())) {
                LOG.warn("vip {} is stored with two pools (a move was interrupted by a crash): keeping the newer "
                        + "copy, dropping the one with pool {}", s.vip().get().id(), s.id());
                lb = lb.withVip(Optional.empty(), Optional.empty());
                fixed.add(s.id());
            }
            for (PoolMonitorAssociation a : s.associations()) {
                if (state.monitor(a.monitorId()).isEmpty()) {
                    LOG.warn("pool {} is associated with health monitor {}, which is not stored: dropping the association",
                            s.id(), a.monitorId());
                    lb = lb.withoutAssociation(a.monitorId());
                    fixed.add(s.id());
                }
            }
            loaded.add(lb);
        }
        loaded.sort(Comparator.comparingLong(TrackedLoadBalancer::revision));
        return loaded;
    }

    /**
     * Gives every stored VIP as many instance addresses as the driver declares now: a store of an
     * older format has none, and a driver's setting (its topology) may have changed since they were
     * allocated. Missing ones are allocated as for a new VIP ({@link VipAddresses#free}: not taken on
     * the subnet, not the VIP's, not a member's), surplus ones are dropped from the end (the first
     * {@code needed} stay). A subnet with too few free addresses leaves the load balancer with fewer,
     * logged as an error. Changed load balancers are added to {@code fixed}, to be written back.
     * Under the state's lock, after every load balancer is in the state.
     */
    private void fitInstanceAddresses(int needed, Set<UUID> fixed) {
        for (TrackedLoadBalancer lb : List.copyOf(state.loadBalancers())) {
            if (lb.vip().isEmpty() || lb.vip().get().status() == Status.PENDING_DELETE
                    || lb.instanceAddresses().size() == needed) {
                continue;
            }
            List<InetAddress> addresses = new ArrayList<>(lb.instanceAddresses());
            if (addresses.size() > needed) {
                LOG.info("load balancer {}: the driver needs {} instance addresses, releasing {}", lb.id(), needed,
                        addresses.subList(needed, addresses.size()));
                addresses.subList(needed, addresses.size()).clear();
            } else {
                Subnet subnet = lb.vipSubnet().orElseThrow();
                Set<InetAddress> taken = state.takenAddresses(subnet.id());
                taken.addAll(state.memberAddressesIn(subnet));
                List<InetAddress> more = VipAddresses.free(subnet, taken, needed - addresses.size());
                if (more.size() < needed - addresses.size()) {
                    LOG.error("load balancer {} gets {} of the {} instance addresses the driver needs: subnet {} ({}) has "
                            + "no more free addresses", lb.id(), addresses.size() + more.size(), needed, subnet.id(),
                            subnet.cidr());
                }
                LOG.info("load balancer {}: allocated instance addresses {} on subnet {}", lb.id(), more, subnet.id());
                addresses.addAll(more);
            }
            state.replace(lb.id(), Optional.of(lb.withInstanceAddresses(addresses)));
            fixed.add(lb.id());
        }
    }

    /**
     * Asks the driver to reconcile; records what it runs now, and sets a settled load balancer it
     * could not reconcile to ERROR.
     */
    private void reconcile(List<LoadBalancer> desired) {
        Map<UUID, DriverException> failed = Map.of();
        Set<UUID> reconciled = new HashSet<>();
        try {
            ReconcileReport report = driver.reconcile(desired);
            LOG.info("driver reconciled: {} adopted, {} repaired, {} orphans removed, {} failed", report.adopted().size(),
                    report.repaired().size(), report.removed().size(), report.failed().size());
            LOG.debug("reconcile report: adopted {}, repaired {}, removed {}", report.adopted(), report.repaired(),
                    report.removed());
            failed = report.failed();
            desired.forEach(d -> reconciled.add(d.id()));
        } catch (RuntimeException e) {
            LOG.error("the driver could not reconcile; pending changes are re-applied one by one", e);
        }
        synchronized (state.lock) {
            for (LoadBalancer d : desired) {
                if (reconciled.contains(d.id()) && !failed.containsKey(d.id())) {
                    runner.applied(d.id(), d);
                }
            }
        }
        for (Map.Entry<UUID, DriverException> f : failed.entrySet()) {
            UUID id = f.getKey();
            LOG.warn("load balancer {} could not be reconciled: {}", id, f.getValue().operatorMessage());
            Optional<DriverRunner.LbRuntime> rt;
            synchronized (state.lock) {
                rt = runner.runtime(id);
            }
            if (rt.isEmpty()) {
                continue;
            }
            engine.internal(rt.get().writeLock, () -> {
                Optional<TrackedLoadBalancer> lb = state.loadBalancer(id);
                if (lb.isEmpty() || lb.get().pool().status().isPending()) {
                    return null;
                }
                ChangeEngine.Tx tx = engine.begin();
                engine.putLb(tx, id, Optional.of(lb.get().withPool(lb.get().pool().withStatus(Status.ERROR,
                        Text.statusDescription(f.getValue().tenantMessage()))).withRevision(tx.version)));
                return tx;
            });
        }
    }
}
