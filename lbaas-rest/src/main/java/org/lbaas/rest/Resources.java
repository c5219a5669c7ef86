package org.lbaas.rest;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.lbaas.api.HealthMonitorView;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.ObjectKind;
import org.lbaas.api.PoolView;
import org.lbaas.api.json.internal.WireRequest;
import org.lbaas.api.json.internal.WireShape;
import org.lbaas.model.Member;
import org.lbaas.model.Vip;

/**
 * The four LBaaS v1 collections over one {@link LoadBalancerService}, one row each. Objects are
 * written and request bodies read (after {@link Bodies} prepared them) by the wire mapping's trees
 * ({@link WireShape}, {@link WireRequest}), the same mapping {@link org.lbaas.api.json.NeutronJson}
 * prints; a reference to a pool in a body (a member's or VIP's {@code pool_id}) must name a pool
 * the caller may see, or the answer is the pool's 404.
 */
final class Resources {

    static final Set<String> VIP_ATTRIBUTES = Set.of("id", "tenant_id", "name", "description", "subnet_id", "address",
            "port_id", "protocol_port", "protocol", "pool_id", "session_persistence", "connection_limit",
            "admin_state_up", "status", "status_description");
    static final Set<String> POOL_ATTRIBUTES = Set.of("id", "tenant_id", "name", "description", "subnet_id", "protocol",
            "lb_method", "provider", "admin_state_up", "members", "health_monitors", "health_monitors_status", "vip_id",
            "status", "status_description");
    static final Set<String> MEMBER_ATTRIBUTES = Set.of("id", "tenant_id", "pool_id", "address", "protocol_port",
            "weight", "admin_state_up", "status", "status_description");
    static final Set<String> MONITOR_ATTRIBUTES = Set.of("id", "tenant_id", "type", "delay", "timeout", "max_retries",
            "http_method", "url_path", "expected_codes", "admin_state_up", "pools");
    static final Set<String> STATS_ATTRIBUTES = Set.of("bytes_in", "bytes_out", "active_connections",
            "total_connections");

    final Resource<PoolView> pools;
    final Resource<Member> members;
    final Resource<HealthMonitorView> monitors;
    final Resource<Vip> vips;

    Resources(LoadBalancerService service) {
        LoadBalancerService s = Objects.requireNonNull(service, "service");
        this.pools = new Resource<>(WireShape.POOL, ObjectKind.POOL, POOL_ATTRIBUTES, s::getPool,
                v -> v.pool().tenantId(), PoolView::id)
                .listing(s::listPools, s::listPools)
                .creating(WireRequest.POOL_CREATE, (r, c) -> s.createPool(r).accepted())
                .updating(WireRequest.POOL_UPDATE, (id, u, c) -> s.updatePool(id, u).accepted())
                .deleting(s::deletePool);
        this.members = new Resource<>(WireShape.MEMBER, ObjectKind.MEMBER, MEMBER_ATTRIBUTES, s::getMember,
                Member::tenantId, Member::id)
                .listing(s::listMembers, s::listMembers)
                .showing(list -> MemberStatus.derive(s, list))
                .creating(WireRequest.MEMBER_CREATE,
                        (r, c) -> s.createMember(seeing(Optional.of(r.poolId()), c, r)).accepted())
                .updating(WireRequest.MEMBER_UPDATE, (id, u, c) -> s.updateMember(id, seeing(u.poolId(), c, u)).accepted())
                .deleting(s::deleteMember);
        this.monitors = new Resource<>(WireShape.HEALTH_MONITOR, ObjectKind.HEALTH_MONITOR, MONITOR_ATTRIBUTES,
                s::getHealthMonitor, m -> m.monitor().tenantId(), HealthMonitorView::id)
                .listing(s::listHealthMonitors, s::listHealthMonitors)
                .creating(WireRequest.HEALTH_MONITOR_CREATE, (r, c) -> s.createHealthMonitor(r).accepted())
                .updating(WireRequest.HEALTH_MONITOR_UPDATE, (id, u, c) -> s.updateHealthMonitor(id, u).accepted())
                .deleting(s::deleteHealthMonitor);
        this.vips = new Resource<>(WireShape.VIP, ObjectKind.VIP, VIP_ATTRIBUTES, s::getVip, Vip::tenantId, Vip::id)
                .listing(s::listVips, s::listVips)
                .creating(WireRequest.VIP_CREATE,
                        (r, c) -> s.createVip(seeing(Optional.of(r.poolId()), c, r)).accepted())
                .updating(WireRequest.VIP_UPDATE, (id, u, c) -> s.updateVip(id, seeing(u.poolId(), c, u)).accepted())
                .deleting(s::deleteVip);
    }

    /** Returns the collection with this name, if it is one of the four. */
    Optional<Resource<?>> byPlural(String plural) {
        return Optional.ofNullable(switch (plural) {
            case "pools" -> pools;
            case "members" -> members;
            case "health_monitors" -> monitors;
            case "vips" -> vips;
            default -> null;
        });
    }

    /**
     * Returns a request after checking that the pool it names (a member's or VIP's
     * {@code pool_id}) is one the caller may see: otherwise the answer is that pool's 404.
     */
    private <R> R seeing(Optional<UUID> poolId, Caller caller, R request) {
        poolId.ifPresent(id -> pools.visible(id.toString(), caller));
        return request;
    }
}
