package org.lbaas.benchmarks.failover;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A failure the failover harness injects into the active instance of a pair, and how it is undone
 * before the driver's repair.
 */
public enum FailureKind {
    /** SIGKILL of the active instance's HAProxy; its instance's death watcher faults its keepalived. Repair restarts HAProxy. */
    HAPROXY_KILL("haproxy-kill", true),
    /**
     * {@code ip link set DEV down} of the host-side veth of the active's VIP device (keepalived tracks the
     * namespace end, which loses its carrier). The driver's repair does not look at link state (it checks
     * that devices exist), so the harness sets the link up again before the repair.
     */
    LINK_CUT("link-cut", true),
    /**
     * {@code ip netns del} of the active's namespace: its processes keep the namespace alive, so traffic
     * may go on; the repair rebuilds the instance (stopping its keepalived first hands the VIP over).
     */
    NETNS_DELETE("netns-delete", false),
    /** SIGKILL of the active's keepalived parent, then of its VRRP child. Repair starts keepalived again. */
    KEEPALIVED_KILL("keepalived-kill", false);

    private final String label;
    private final boolean timeTargets;

    FailureKind(String label, boolean timeTargets) {
        this.label = label;
        this.timeTargets = timeTargets;
    }

    /** @return the name on the command line and in the report, e.g. {@code haproxy-kill} */
    public String label() {
        return label;
    }

    /** @return whether the failover time targets (median ≤ 0.5 s, p95 ≤ 1 s) apply to this failure */
    public boolean hasTimeTargets() {
        return timeTargets;
    }

    /**
     * The failure of a command-line name.
     *
     * @param label e.g. {@code link-cut} (case-insensitive)
     * @return the failure, if one has that name
     */
    public static Optional<FailureKind> of(String label) {
        String l = label.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.label.equals(l)).findFirst();
    }

    /** @return every name, comma-separated, in order */
    public static String labels() {
        return String.join(", ", Arrays.stream(values()).map(FailureKind::label).toList());
    }
}
