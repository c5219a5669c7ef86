package org.lbaas.driver.haproxy;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.lbaas.driver.haproxy.internal.ConfigRenderer;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Pool;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Vip;

/**
 * A small, fixed {@link ConfigRenderer} for the driver's own tests: the data plane's golden
 * transcripts must not change when the production renderer ({@code internal.config}) evolves.
 * It was the stand-in before that renderer landed; production never uses it.
 *
 * <p>It follows the same contract: one frontend named by the VIP id, one backend named by the pool
 * id, one {@code server} per member named by the member id with keywords in the fixed order
 * {@code weight [cookie] [check inter fall rise [check-ssl verify none]] [disabled]};
 * {@code balance source} with {@code hash-type consistent}; admin-down members kept
 * {@code disabled}. Only the first admin-up monitor takes effect.
 */
final class MinimalConfigRenderer implements ConfigRenderer {

    private final HaproxySettings settings;

    MinimalConfigRenderer(HaproxySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public String render(LoadBalancer lb, InstanceFiles files) {
        Vip vip = lb.vip().orElseThrow(() -> new IllegalArgumentException("load balancer " + lb.id() + " has no VIP"));
        Pool pool = lb.pool();
        boolean http = pool.protocol().isHttp();
        int feMaxconn = vip.unlimited() ? settings.defaultMaxconn() : Math.max(1, vip.connectionLimit());
        StringBuilder c = new StringBuilder();
        c.append("# rendered by lbaas haproxy-ns (minimal stand-in renderer) for pool ").append(pool.id()).append('\n');
        c.append("global\n");
        c.append("    user ").append(settings.user()).append('\n');
        c.append("    group ").append(settings.group()).append('\n');
        c.append("    nbthread ").append(settings.nbthread()).append('\n');
        c.append("    maxconn ").append(feMaxconn + 16).append('\n');
        c.append("    stats socket ").append(files.socket()).append(" mode 600 level admin expose-fd listeners\n");
        c.append("    stats timeout 30s\n");
        c.append("    hard-stop-after ").append(HaproxySettings.format(settings.hardStopAfter())).append('\n');
        settings.logTarget().ifPresent(t -> c.append("    log ").append(t).append(" local0\n"));
        c.append("\ndefaults\n");
        if (settings.logTarget().isPresent()) {
            c.append("    log global\n");
        }
        c.append("    timeout connect ").append(HaproxySettings.format(settings.timeoutConnect())).append('\n');
        c.append("    timeout client ").append(HaproxySettings.format(settings.timeoutClient())).append('\n');
        c.append("    timeout server ").append(HaproxySettings.format(settings.timeoutServer())).append('\n');
        c.append("    retries 3\n");
        c.append("    option redispatch\n");

        c.append("\nfrontend ").append(vip.id()).append('\n');
        c.append("    bind ").append(endpoint(IpAddresses.toText(vip.address()), vip.protocolPort())).append('\n');
        c.append("    mode ").append(http ? "http" : "tcp").append('\n');
        c.append("    maxconn ").append(feMaxconn).append('\n');
        if (http) {
            c.append("    option forwardfor\n");
            c.append("    option idle-close-on-response\n");
        }
        if (settings.logTarget().isPresent()) {
            c.append(http ? "    option httplog\n" : "    option tcplog\n");
        }
        c.append("    default_backend ").append(pool.id()).append('\n');

        c.append("\nbackend ").append(pool.id()).append('\n');
        c.append("    mode ").append(http ? "http" : "tcp").append('\n');
        switch (pool.lbMethod()) {
            case ROUND_ROBIN -> c.append("    balance roundrobin\n");
            case LEAST_CONNECTIONS -> c.append("    balance leastconn\n");
            case SOURCE_IP -> c.append("    balance source\n    hash-type consistent\n");
        }
        if (!pool.adminStateUp()) {
            c.append("    disabled\n");
        }
        boolean cookie = false;
        if (vip.sessionPersistence().isPresent()) {
            SessionPersistence sp = vip.sessionPersistence().get();
            switch (sp.type()) {
                case SOURCE_IP -> c.append("    stick-table type ipv6 size 100k expire 30m\n    stick on src\n");
                case HTTP_COOKIE -> {
                    c.append("    cookie SRV insert indirect nocache\n");
                    cookie = true;
                }
                case APP_COOKIE -> {
                    String name = sp.cookieName().orElseThrow();
                    c.append("    stick-table type string len 64 size 100k expire 30m\n");
                    c.append("    stick store-response ").append(quoted("res.cook(\"" + name + "\")")).append('\n');
                    c.append("    stick match ").append(quoted("req.cook(\"" + name + "\")")).append('\n');
                }
            }
        }
        List<HealthMonitor> monitors = lb.activeMonitors();
        HealthMonitor monitor = monitors.isEmpty() ? null : monitors.get(0);
        if (monitor != null) {
            c.append("    timeout check ").append(Math.max(1, monitor.timeout())).append("s\n");
            if (monitor.type().isHttp()) {
                HttpCheck hc = monitor.httpCheck().orElseThrow();
                c.append("    option httpchk\n");
                c.append("    http-check send meth ").append(hc.method().name()).append(" uri ").append(quoted(hc.urlPath()))
                        .append(" ver HTTP/1.1 hdr Host lbaas-check\n");
                c.append("    http-check expect status ").append(hc.expectedCodes().spec()).append('\n');
            }
        }
        for (Member m : lb.members()) {
            c.append("    server ").append(m.id()).append(' ')
                    .append(endpoint(IpAddresses.toText(m.address()), m.protocolPort()))
                    .append(" weight ").append(m.weight());
            if (cookie) {
                c.append(" cookie ").append(m.id());
            }
            if (monitor != null) {
                c.append(" check inter ").append(Math.max(1, monitor.delay())).append("s fall ").append(monitor.maxRetries())
                        .append(" rise 2");
                if (monitor.type() == MonitorType.HTTPS) {
                    c.append(" check-ssl verify none");
                }
            }
            if (!m.adminStateUp()) {
                c.append(" disabled");
            }
            c.append('\n');
        }
        return c.toString();
    }

    private static String endpoint(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    /** A double-quoted HAProxy word: {@code \ " $} escaped; the model already refuses control characters. */
    private static String quoted(String value) {
        if (value.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw new IllegalArgumentException("control character in a configuration value");
        }
        return value.chars().mapToObj(ch -> switch (ch) {
            case '\\' -> "\\\\";
            case '"' -> "\\\"";
            case '$' -> "\\$";
            default -> String.valueOf((char) ch);
        }).collect(Collectors.joining("", "\"", "\""));
    }
}
