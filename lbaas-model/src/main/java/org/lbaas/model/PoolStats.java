package org.lbaas.model;

/**
 * Traffic counters of a pool, as Neutron reports them. All values are 0 or more; the byte and
 * total-connection counters only grow, except when a driver reports that its counters were reset.
 *
 * @param bytesIn bytes received from clients
 * @param bytesOut bytes sent to clients
 * @param activeConnections connections open now
 * @param totalConnections connections since the counters started
 */
public record PoolStats(long bytesIn, long bytesOut, long activeConnections, long totalConnections) {

    /** All counters zero. */
    public static final PoolStats ZERO = new PoolStats(0, 0, 0, 0);

    public PoolStats {
        Violations v = new Violations();
        v.range(bytesIn, 0, Long.MAX_VALUE, "bytes_in");
        v.range(bytesOut, 0, Long.MAX_VALUE, "bytes_out");
        v.range(activeConnections, 0, Long.MAX_VALUE, "active_connections");
        v.range(totalConnections, 0, Long.MAX_VALUE, "total_connections");
        v.throwIfAny();
    }

    /**
     * Adds two sets of counters, for example the counters of a process that was replaced and
     * those of its successor. Active connections are added too: both processes may hold some.
     *
     * @param other the counters to add
     * @return the sums, saturating at {@link Long#MAX_VALUE}
     */
    public PoolStats plus(PoolStats other) {
        return new PoolStats(sat(bytesIn, other.bytesIn), sat(bytesOut, other.bytesOut),
                sat(activeConnections, other.activeConnections), sat(totalConnections, other.totalConnections));
    }

    private static long sat(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
