package org.lbaas.api.json;

import java.util.List;

/**
 * The attribute names of the Neutron LBaaS v1 API, in the order of its resource attribute map,
 * written down here from the API reference (not from the production code) so that the golden
 * tests check the writer against an independent list.
 */
final class NeutronV1Attributes {

    static final List<String> VIP = List.of("id", "tenant_id", "name", "description", "subnet_id", "address",
            "port_id", "protocol_port", "protocol", "pool_id", "session_persistence", "connection_limit",
            "admin_state_up", "status", "status_description");
    static final List<String> SESSION_PERSISTENCE = List.of("type", "cookie_name");
    static final List<String> POOL = List.of("id", "tenant_id", "name", "description", "subnet_id", "protocol",
            "lb_method", "provider", "admin_state_up", "members", "health_monitors", "health_monitors_status", "vip_id",
            "status", "status_description");
    static final List<String> POOL_MONITOR_STATUS = List.of("monitor_id", "status", "status_description");
    static final List<String> MEMBER = List.of("id", "tenant_id", "pool_id", "address", "protocol_port", "weight",
            "admin_state_up", "status", "status_description");
    static final List<String> HEALTH_MONITOR = List.of("id", "tenant_id", "type", "delay", "timeout", "max_retries",
            "http_method", "url_path", "expected_codes", "admin_state_up", "pools");
    static final List<String> MONITOR_POOL = List.of("pool_id", "status", "status_description");
    static final List<String> STATS = List.of("bytes_in", "bytes_out", "active_connections", "total_connections");
    static final List<String> SUBNET = List.of("id", "name", "cidr", "gateway_ip", "ip_version");

    private NeutronV1Attributes() {
    }
}
