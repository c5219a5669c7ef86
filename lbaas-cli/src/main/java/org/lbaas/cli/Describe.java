package org.lbaas.cli;

import java.util.stream.Collectors;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.Vip;

/** Short human-readable descriptions of load balancers for progress and summaries. */
final class Describe {

    private Describe() {
    }

    /** {@code HTTP pool web (id) ROUND_ROBIN, 3 members, 1 health monitor (HTTP), VIP 10.0.0.5:80 HTTP_COOKIE}. */
    static String summary(LoadBalancer lb) {
        return summary(lb, true);
    }

    /** Like {@link #summary(LoadBalancer)}, with or without the pool id. */
    static String summary(LoadBalancer lb, boolean withId) {
        StringBuilder sb = new StringBuilder();
        sb.append(lb.pool().protocol()).append(" pool ");
        if (!lb.pool().name().isEmpty()) {
            sb.append(lb.pool().name()).append(' ');
        }
        if (withId) {
            sb.append(lb.pool().id()).append(' ');
        }
        sb.append(lb.pool().lbMethod());
        sb.append(", ").append(plural(lb.members().size(), "member"));
        sb.append(", ").append(plural(lb.healthMonitors().size(), "health monitor"));
        if (!lb.healthMonitors().isEmpty()) {
            sb.append(lb.healthMonitors().stream().map(m -> m.type().name()).collect(Collectors.joining(", ", " (", ")")));
        }
        sb.append(", ").append(lb.vip().map(Describe::vip).orElse("no VIP (nothing would be deployed)"));
        return sb.toString();
    }

    static String vip(Vip vip) {
        return "VIP " + vipDetails(vip);
    }

    /** {@code 10.0.0.5:80 HTTP_COOKIE limit 1000}. */
    static String vipDetails(Vip vip) {
        return endpoint(vip) + vip.sessionPersistence().map(sp -> " " + sp.type()
                + sp.cookieName().map(c -> "(" + c + ")").orElse("")).orElse("")
                + (vip.connectionLimit() >= 0 ? " limit " + vip.connectionLimit() : "")
                + (vip.adminStateUp() ? "" : " (admin down: nothing would be deployed)");
    }

    static String endpoint(Vip vip) {
        return hostPort(IpAddresses.toText(vip.address()), vip.protocolPort());
    }

    static String endpoint(Member m) {
        return hostPort(IpAddresses.toText(m.address()), m.protocolPort());
    }

    static String hostPort(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    static String monitor(HealthMonitor m) {
        StringBuilder sb = new StringBuilder(m.type().name());
        m.httpCheck().ifPresent(h -> sb.append(' ').append(h.method()).append(' ').append(h.urlPath())
                .append(" expecting ").append(h.expectedCodes().spec()));
        sb.append(", every ").append(m.delay()).append(" s, timeout ").append(m.timeout()).append(" s, down after ")
                .append(plural(m.maxRetries(), "failure"));
        return sb.toString();
    }

    static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
