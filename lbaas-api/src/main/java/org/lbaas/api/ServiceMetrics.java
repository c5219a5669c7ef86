package org.lbaas.api;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.driver.spi.Observation;
import org.lbaas.model.Status;

/**
 * What the service reports to a metrics system. The seam between the service and Micrometer,
 * which is an optional dependency: nothing here names a Micrometer type, and
 * {@link MicrometerServiceMetrics}, the only class that does, is loaded only when the builder was
 * given a registry ({@link LoadBalancerService.Builder#meterRegistry}). Every method must be quick
 * and must not throw; {@link #NONE} does nothing.
 */
interface ServiceMetrics {

    /** Reports nothing: the service's default, which touches no metrics class. */
    ServiceMetrics NONE = new ServiceMetrics() {
    };

    /** The driver operations that are timed, with their tag values. */
    enum Operation {
        APPLY("apply"), REMOVE("remove"), OBSERVE("observe"), RECONCILE("reconcile"), PROBE("probe"), REPAIR("repair");

        final String tag;

        Operation(String tag) {
            this.tag = tag;
        }
    }

    /**
     * A driver call returned or threw.
     *
     * @param operation the operation
     * @param failure the exception it threw, or {@code null} when it returned
     * @param nanos how long it took
     */
    default void driverCall(Operation operation, Throwable failure, long nanos) {
    }

    /** Why a driver call's deadline passed, with its tag values. */
    enum DeadlineReason {
        /** The call itself did not return in time. */
        IN_CALL("in_call"),
        /** An earlier call for the same load balancer, which this change waited behind, did not. */
        EARLIER_CALL("earlier_call"),
        /** A call for the load balancer that had already exceeded its deadline was still running. */
        HUNG("hung"),
        /** Every driver thread was busy. */
        NO_THREAD("no_thread");

        final String tag;

        DeadlineReason(String tag) {
            this.tag = tag;
        }
    }

    /**
     * A change's driver deadline passed before the driver finished it: its objects ended in ERROR.
     *
     * @param reason why
     */
    default void deadlineExceeded(DeadlineReason reason) {
    }

    /** An object's provisioning status changed (as the {@link StatusListener} hears it). */
    default void statusChanged(StatusChange change) {
    }

    /** A call of the service's API failed with this exception. */
    default void failed(Throwable failure) {
    }

    /** The service is running: gauges may now read it. */
    default void start(Source source) {
    }

    /** The service closed: gauges stop reading it. */
    default void close() {
    }

    /** What the gauges read from a running service. */
    interface Source {

        /** Counts the load balancers whose pool has this status. */
        long loadBalancers(Status status);

        /** The ids of every pool. */
        List<UUID> pools();

        /**
         * Observes one load balancer through the driver (within the deadline, never beside another
         * call for it); empty when nothing is deployed for it or the pool is gone.
         */
        Optional<Observation> observe(UUID poolId);
    }
}
