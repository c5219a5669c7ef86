package org.lbaas.benchmarks.capacity;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one capacity run measured. Times are in milliseconds, memory in KiB unless the name says
 * otherwise; a figure that could not be measured is {@code NaN} (or -1 for counts).
 *
 * @param requested load balancers asked for
 * @param instances one row per load balancer that was created (in creation order)
 * @param snapshots the state of the node after each decile of N
 * @param answeredAfterCreate load balancers whose VIP answered HTTP 200 right after their creation
 * @param answeredAfterReconcile load balancers whose VIP answered HTTP 200 after the reconcile
 * @param heapPerLbKib JVM heap retained per load balancer (used heap after full GC, before and after
 *     creating them all, divided by their number)
 * @param healthCheckCpuCoreFraction CPU used by all HAProxy processes over an idle window, as a fraction of
 *     one core (health checks are all they do then)
 * @param idleWindowMs the length of that window
 * @param sweepWallMs wall time of one statistics sweep ({@code observeAll}) over every instance
 * @param sweepJvmCpuMs CPU the JVM used during that sweep
 * @param sweepHaproxyCpuMs CPU all HAProxy processes used during that sweep (idle health checks included)
 * @param sweepObserved instances the sweep returned an observation for
 * @param jvmFdsBefore open descriptors of the JVM before the first load balancer
 * @param jvmFdsAfter open descriptors of the JVM with every load balancer deployed
 * @param reconcileMs building a new driver and service over the same state directory and file store,
 *     which reconciles every load balancer, after the old ones were closed ("JVM restart")
 * @param restarts load balancers whose HAProxy pid changed across that reconcile (or vanished)
 * @param teardownMs deleting every VIP, member, pool and monitor through the service until all are gone
 * @param leftovers namespaces, processes, directories and devices left after the cleanup (empty when clean)
 * @param notes what went wrong or was stopped early, if anything
 * @param ha the active/standby figures, present when every load balancer was a pair
 */
public record CapacityResult(int requested, List<Instance> instances, List<Snapshot> snapshots, int answeredAfterCreate,
                             int answeredAfterReconcile, double heapPerLbKib, double healthCheckCpuCoreFraction,
                             long idleWindowMs, double sweepWallMs, double sweepJvmCpuMs, double sweepHaproxyCpuMs,
                             int sweepObserved, int jvmFdsBefore, int jvmFdsAfter, double reconcileMs, int restarts,
                             double teardownMs, List<String> leftovers, List<String> notes, Optional<HaFigures> ha) {

    public CapacityResult {
        Objects.requireNonNull(ha, "ha");
        instances = List.copyOf(Objects.requireNonNull(instances, "instances"));
        snapshots = List.copyOf(Objects.requireNonNull(snapshots, "snapshots"));
        leftovers = List.copyOf(Objects.requireNonNull(leftovers, "leftovers"));
        notes = List.copyOf(Objects.requireNonNull(notes, "notes"));
    }

    /**
     * One load balancer as it was created.
     *
     * @param index 0-based creation order
     * @param poolId the pool
     * @param vip the VIP address
     * @param createToServingMs from the pool's creation until the VIP first answered HTTP 200
     * @param deployMs from the VIP's creation until the service reported it ACTIVE (the driver's deploy)
     * @param answered whether the VIP answered within the timeout
     * @param pid the HAProxy pid (-1 if none; of ordinal 0 in a pair)
     * @param rssKib its RSS right after it first served
     * @param pssKib its PSS right after it first served
     * @param fds its open descriptors right after it first served
     * @param haproxyProcesses the load balancer's live HAProxy processes (1, or 2 for a pair)
     * @param haproxyPssKib the sum of their PSS right after it first served
     * @param keepalivedProcesses its live keepalived processes (0, or 4 for a pair: parent and VRRP child per instance)
     * @param keepalivedPssKib the sum of their PSS right after it first served (0 without keepalived)
     */
    public record Instance(int index, String poolId, String vip, double createToServingMs, double deployMs, boolean answered,
                           long pid, long rssKib, long pssKib, int fds, int haproxyProcesses, long haproxyPssKib,
                           int keepalivedProcesses, long keepalivedPssKib) {
    }

    /**
     * The node after {@code count} load balancers.
     *
     * @param count load balancers deployed at that point
     * @param heapUsedKib JVM heap used after a full GC
     * @param haproxyProcesses live HAProxy processes of this run
     * @param meanRssKib mean RSS over them
     * @param meanPssKib mean PSS over them
     * @param totalPssKib sum of their PSS (what they cost the node together)
     * @param jvmFds open descriptors of the JVM
     * @param keepalivedProcesses live keepalived processes of this run (parents and VRRP children)
     * @param totalKeepalivedPssKib sum of their PSS
     */
    public record Snapshot(int count, long heapUsedKib, int haproxyProcesses, double meanRssKib, double meanPssKib,
                           long totalPssKib, int jvmFds, int keepalivedProcesses, long totalKeepalivedPssKib) {
    }

    /**
     * What the active/standby pairs cost besides their HAProxy: VRRP traffic on the HA bridge and
     * the CPU of keepalived and of this JVM.
     *
     * @param haBridge the HA bridge the pairs' HA links join
     * @param advertIntervalMs the pairs' VRRP advert interval
     * @param pairs pairs deployed when the adverts were counted
     * @param masters pairs with exactly one instance whose role file says {@code MASTER} then
     * @param packets packets the instances sent on their HA links over the window: the sum of
     *     {@code rx_packets} of every port of the HA bridge (the host side of each HA veth)
     * @param windowMs the window's length
     * @param keepalivedCpuCoreFraction CPU of all keepalived processes over the idle window, as a fraction of one core
     * @param jvmCpuCoreFraction CPU of this JVM over the idle window (the service and the driver)
     */
    public record HaFigures(String haBridge, long advertIntervalMs, int pairs, int masters, long packets, long windowMs,
                            double keepalivedCpuCoreFraction, double jvmCpuCoreFraction) {

        public HaFigures {
            Objects.requireNonNull(haBridge, "haBridge");
        }

        /** Packets per second measured on the HA links. */
        public double packetsPerSecond() {
            return windowMs <= 0 ? Double.NaN : packets * 1000.0 / windowMs;
        }

        /** Adverts per second expected: one MASTER per pair, one advert per advert interval. */
        public double expectedPerSecond() {
            return advertIntervalMs <= 0 ? Double.NaN : pairs * 1000.0 / advertIntervalMs;
        }

        /** Measured over expected. */
        public double ratio() {
            return packetsPerSecond() / expectedPerSecond();
        }
    }

    /** Load balancers created. */
    public int created() {
        return instances.size();
    }
}
