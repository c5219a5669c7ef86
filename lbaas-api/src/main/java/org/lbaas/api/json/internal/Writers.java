package org.lbaas.api.json.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lbaas.api.HealthMonitorView;
import org.lbaas.api.PoolView;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.PoolStats;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * Builds the Neutron v1 JSON trees: the one writer of every wire attribute, used by
 * {@link org.lbaas.api.json.NeutronJson}, the file store and lbaas-rest. Every attribute is
 * written, always in the order of the Neutron v1 attribute lists, so the text is deterministic.
 */
public final class Writers {

    private static final JsonNodeFactory NODES = JsonText.nodes();

    private Writers() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ObjectNode vip(Vip vip) {
        ObjectNode n = object();
        n.put("id", vip.id().toString());
        n.put("tenant_id", vip.tenantId());
        n.put("name", vip.name());
        n.put("description", vip.description());
        n.put("subnet_id", vip.subnetId().toString());
        n.put("address", IpAddresses.toText(vip.address()));
        n.put("port_id", vip.portId().toString());
        n.put("protocol_port", vip.protocolPort());
        n.put("protocol", vip.protocol().name());
        n.put("pool_id", vip.poolId().toString());
        if (vip.sessionPersistence().isPresent()) {
            n.set("session_persistence", sessionPersistence(vip.sessionPersistence().get()));
        } else {
            n.putNull("session_persistence");
        }
        n.put("connection_limit", vip.connectionLimit());
        n.put("admin_state_up", vip.adminStateUp());
        n.put("status", vip.status().name());
        n.put("status_description", vip.statusDescription());
        return n;
    }

    /** {@code {type}} or, for APP_COOKIE, {@code {type, cookie_name}}, as v1 returned it. */
    static ObjectNode sessionPersistence(SessionPersistence persistence) {
        ObjectNode n = object();
        n.put("type", persistence.type().name());
        persistence.cookieName().ifPresent(name -> n.put("cookie_name", name));
        return n;
    }

    public static ObjectNode pool(PoolView view) {
        ObjectNode n = poolAttributes(view.pool());
        ArrayNode members = n.putArray("members");
        view.memberIds().forEach(id -> members.add(id.toString()));
        ArrayNode monitors = n.putArray("health_monitors");
        view.healthMonitorIds().forEach(id -> monitors.add(id.toString()));
        ArrayNode statuses = n.putArray("health_monitors_status");
        for (PoolMonitorAssociation association : view.healthMonitorsStatus()) {
            ObjectNode s = statuses.addObject();
            s.put("monitor_id", association.monitorId().toString());
            s.put("status", association.status().name());
            s.put("status_description", association.statusDescription());
        }
        if (view.vipId().isPresent()) {
            n.put("vip_id", view.vipId().get().toString());
        } else {
            n.putNull("vip_id");
        }
        n.put("status", view.pool().status().name());
        n.put("status_description", view.pool().statusDescription());
        return n;
    }

    /** The pool's own attributes, without relations and status. */
    private static ObjectNode poolAttributes(Pool pool) {
        ObjectNode n = object();
        n.put("id", pool.id().toString());
        n.put("tenant_id", pool.tenantId());
        n.put("name", pool.name());
        n.put("description", pool.description());
        n.put("subnet_id", pool.subnetId().toString());
        n.put("protocol", pool.protocol().name());
        n.put("lb_method", pool.lbMethod().name());
        n.put("provider", pool.provider());
        n.put("admin_state_up", pool.adminStateUp());
        return n;
    }

    public static ObjectNode member(Member member) {
        ObjectNode n = object();
        n.put("id", member.id().toString());
        n.put("tenant_id", member.tenantId());
        n.put("pool_id", member.poolId().toString());
        n.put("address", IpAddresses.toText(member.address()));
        n.put("protocol_port", member.protocolPort());
        n.put("weight", member.weight());
        n.put("admin_state_up", member.adminStateUp());
        n.put("status", member.status().name());
        n.put("status_description", member.statusDescription());
        return n;
    }

    public static ObjectNode healthMonitor(HealthMonitorView view) {
        ObjectNode n = healthMonitorAttributes(view.monitor());
        ArrayNode pools = n.putArray("pools");
        for (PoolMonitorAssociation association : view.pools()) {
            ObjectNode p = pools.addObject();
            p.put("pool_id", association.poolId().toString());
            p.put("status", association.status().name());
            p.put("status_description", association.statusDescription());
        }
        return n;
    }

    /**
     * The monitor's attributes without {@code pools}. The HTTP attributes are always written, as
     * v1 did: a PING or TCP monitor shows v1's defaults ({@code GET}, {@code /}, {@code 200}).
     */
    public static ObjectNode healthMonitorAttributes(HealthMonitor monitor) {
        ObjectNode n = object();
        n.put("id", monitor.id().toString());
        n.put("tenant_id", monitor.tenantId());
        n.put("type", monitor.type().name());
        n.put("delay", monitor.delay());
        n.put("timeout", monitor.timeout());
        n.put("max_retries", monitor.maxRetries());
        HttpCheck check = monitor.httpCheck().orElse(HttpCheck.defaults());
        n.put("http_method", check.method().name());
        n.put("url_path", check.urlPath());
        n.put("expected_codes", check.expectedCodes().spec());
        n.put("admin_state_up", monitor.adminStateUp());
        return n;
    }

    public static ObjectNode stats(PoolStats stats) {
        ObjectNode n = object();
        n.put("bytes_in", stats.bytesIn());
        n.put("bytes_out", stats.bytesOut());
        n.put("active_connections", stats.activeConnections());
        n.put("total_connections", stats.totalConnections());
        return n;
    }

    public static ObjectNode subnet(Subnet subnet) {
        ObjectNode n = object();
        n.put("id", subnet.id().toString());
        n.put("name", subnet.name());
        n.put("cidr", subnet.cidr().toString());
        if (subnet.gateway().isPresent()) {
            n.put("gateway_ip", IpAddresses.toText(subnet.gateway().get()));
        } else {
            n.putNull("gateway_ip");
        }
        n.put("ip_version", subnet.ipVersion());
        return n;
    }

    /**
     * The load balancer document: every attribute written explicitly, so that reading it back
     * needs no default and gives an equal {@link LoadBalancer}.
     */
    public static ObjectNode document(LoadBalancer lb) {
        ObjectNode n = object();
        n.set("subnet", subnet(lb.subnet()));
        ObjectNode pool = poolAttributes(lb.pool());
        pool.put("status", lb.pool().status().name());
        pool.put("status_description", lb.pool().statusDescription());
        n.set("pool", pool);
        lb.vip().ifPresent(vip -> n.set("vip", vip(vip)));
        ArrayNode members = n.putArray("members");
        lb.members().forEach(m -> members.add(member(m)));
        ArrayNode monitors = n.putArray("health_monitors");
        lb.healthMonitors().forEach(m -> monitors.add(healthMonitorAttributes(m)));
        return n;
    }

    static ObjectNode wrap(String key, ObjectNode value) {
        ObjectNode n = object();
        n.set(key, value);
        return n;
    }

    static ObjectNode wrapAll(String key, Iterable<ObjectNode> values) {
        ObjectNode n = object();
        ArrayNode items = n.putArray(key);
        values.forEach(items::add);
        return n;
    }
}
