package org.lbaas.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.lbaas.api.HealthMonitorCreate;
import org.lbaas.api.HealthMonitorUpdate;
import org.lbaas.api.HealthMonitorView;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.MemberUpdate;
import org.lbaas.api.ObjectKind;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.PoolUpdate;
import org.lbaas.api.PoolView;
import org.lbaas.api.VipCreate;
import org.lbaas.api.VipUpdate;
import org.lbaas.api.json.NeutronJson;
import org.lbaas.model.Member;
import org.lbaas.model.Vip;

/**
 * The four LBaaS v1 collections over one {@link LoadBalancerService}. Objects are written by
 * {@link NeutronJson} and request bodies read by it (after {@link Bodies} prepared them); a
 * reference to a pool in a body (a member's or VIP's {@code pool_id}) must name a pool the caller
 * may see, or the answer is the pool's 404.
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

    private static final NeutronJson JSON = NeutronJson.standard();

    final Resource<PoolView> pools;
    final Resource<Member> members;
    final Resource<HealthMonitorView> monitors;
    final Resource<Vip> vips;

    Resources(LoadBalancerService service) {
        Objects.requireNonNull(service, "service");
        this.pools = new Pools(service);
        this.members = new Members(service, pools);
        this.monitors = new Monitors(service);
        this.vips = new Vips(service, pools);
    }

    /** Returns the collection with this name, if it is one of the four. */
    java.util.Optional<Resource<?>> byPlural(String plural) {
        return java.util.Optional.ofNullable(switch (plural) {
            case "pools" -> pools;
            case "members" -> members;
            case "health_monitors" -> monitors;
            case "vips" -> vips;
            default -> null;
        });
    }

    static ArrayNode array(String text, String plural) {
        return (ArrayNode) Json.written(text).get(plural);
    }

    static ObjectNode object(String text, String singular) {
        return (ObjectNode) Json.written(text).get(singular);
    }

    /** Checks that a pool named in a body is one the caller may see. */
    static void poolVisible(Resource<PoolView> pools, UUID poolId, Caller caller) {
        pools.visible(poolId.toString(), caller);
    }

    // ------------------------------------------------------------------------------- pools

    private static final class Pools extends Resource<PoolView> {
        private final LoadBalancerService service;

        Pools(LoadBalancerService service) {
            super("pool", "pools", ObjectKind.POOL, POOL_ATTRIBUTES);
            this.service = service;
        }

        @Override
        List<PoolView> list(Caller caller) {
            return caller.admin() ? service.listPools() : service.listPools(caller.tenantId());
        }

        @Override
        PoolView get(UUID id) {
            return service.getPool(id);
        }

        @Override
        String tenantOf(PoolView object) {
            return object.pool().tenantId();
        }

        @Override
        ArrayNode writeAll(List<PoolView> objects) {
            return array(JSON.writePools(objects), plural);
        }

        @Override
        ObjectNode write(PoolView object) {
            return object(JSON.writePool(object), singular);
        }

        @Override
        PoolView create(String body, Caller caller) {
            PoolCreate request = Bodies.create(body, singular, caller, JSON::readPoolCreate);
            return service.createPool(request).accepted();
        }

        @Override
        PoolView update(PoolView current, String body, Caller caller) {
            PoolUpdate update = Bodies.update(body, singular, caller, JSON::readPoolUpdate);
            return service.updatePool(current.id(), update).accepted();
        }

        @Override
        void delete(PoolView current) {
            service.deletePool(current.id());
        }
    }

    // ------------------------------------------------------------------------------- members

    private static final class Members extends Resource<Member> {
        private final LoadBalancerService service;
        private final Resource<PoolView> pools;

        Members(LoadBalancerService service, Resource<PoolView> pools) {
            super("member", "members", ObjectKind.MEMBER, MEMBER_ATTRIBUTES);
            this.service = service;
            this.pools = pools;
        }

        @Override
        List<Member> list(Caller caller) {
            return caller.admin() ? service.listMembers() : service.listMembers(caller.tenantId());
        }

        @Override
        Member get(UUID id) {
            return service.getMember(id);
        }

        @Override
        String tenantOf(Member object) {
            return object.tenantId();
        }

        @Override
        ArrayNode writeAll(List<Member> objects) {
            return array(JSON.writeMembers(MemberStatus.derive(service, objects)), plural);
        }

        @Override
        ObjectNode write(Member object) {
            return object(JSON.writeMember(MemberStatus.derive(service, List.of(object)).get(0)), singular);
        }

        @Override
        Member create(String body, Caller caller) {
            MemberCreate request = Bodies.create(body, singular, caller, JSON::readMemberCreate);
            poolVisible(pools, request.poolId(), caller);
            return service.createMember(request).accepted();
        }

        @Override
        Member update(Member current, String body, Caller caller) {
            MemberUpdate update = Bodies.update(body, singular, caller, JSON::readMemberUpdate);
            update.poolId().ifPresent(p -> poolVisible(pools, p, caller));
            return service.updateMember(current.id(), update).accepted();
        }

        @Override
        void delete(Member current) {
            service.deleteMember(current.id());
        }
    }

    // ------------------------------------------------------------------------------- monitors

    private static final class Monitors extends Resource<HealthMonitorView> {
        private final LoadBalancerService service;

        Monitors(LoadBalancerService service) {
            super("health_monitor", "health_monitors", ObjectKind.HEALTH_MONITOR, MONITOR_ATTRIBUTES);
            this.service = service;
        }

        @Override
        List<HealthMonitorView> list(Caller caller) {
            return caller.admin() ? service.listHealthMonitors() : service.listHealthMonitors(caller.tenantId());
        }

        @Override
        HealthMonitorView get(UUID id) {
            return service.getHealthMonitor(id);
        }

        @Override
        String tenantOf(HealthMonitorView object) {
            return object.monitor().tenantId();
        }

        @Override
        ArrayNode writeAll(List<HealthMonitorView> objects) {
            return array(JSON.writeHealthMonitors(objects), plural);
        }

        @Override
        ObjectNode write(HealthMonitorView object) {
            return object(JSON.writeHealthMonitor(object), singular);
        }

        @Override
        HealthMonitorView create(String body, Caller caller) {
            HealthMonitorCreate request = Bodies.create(body, singular, caller, JSON::readHealthMonitorCreate);
            return service.createHealthMonitor(request).accepted();
        }

        @Override
        HealthMonitorView update(HealthMonitorView current, String body, Caller caller) {
            HealthMonitorUpdate update = Bodies.update(body, singular, caller, JSON::readHealthMonitorUpdate);
            return service.updateHealthMonitor(current.id(), update).accepted();
        }

        @Override
        void delete(HealthMonitorView current) {
            service.deleteHealthMonitor(current.id());
        }
    }

    // ------------------------------------------------------------------------------- vips

    private static final class Vips extends Resource<Vip> {
        private final LoadBalancerService service;
        private final Resource<PoolView> pools;

        Vips(LoadBalancerService service, Resource<PoolView> pools) {
            super("vip", "vips", ObjectKind.VIP, VIP_ATTRIBUTES);
            this.service = service;
            this.pools = pools;
        }

        @Override
        List<Vip> list(Caller caller) {
            return caller.admin() ? service.listVips() : service.listVips(caller.tenantId());
        }

        @Override
        Vip get(UUID id) {
            return service.getVip(id);
        }

        @Override
        String tenantOf(Vip object) {
            return object.tenantId();
        }

        @Override
        ArrayNode writeAll(List<Vip> objects) {
            return array(JSON.writeVips(objects), plural);
        }

        @Override
        ObjectNode write(Vip object) {
            return object(JSON.writeVip(object), singular);
        }

        @Override
        Vip create(String body, Caller caller) {
            VipCreate request = Bodies.create(body, singular, caller, JSON::readVipCreate);
            poolVisible(pools, request.poolId(), caller);
            return service.createVip(request).accepted();
        }

        @Override
        Vip update(Vip current, String body, Caller caller) {
            VipUpdate update = Bodies.update(body, singular, caller, JSON::readVipUpdate);
            update.poolId().ifPresent(p -> poolVisible(pools, p, caller));
            return service.updateVip(current.id(), update).accepted();
        }

        @Override
        void delete(Vip current) {
            service.deleteVip(current.id());
        }
    }
}
