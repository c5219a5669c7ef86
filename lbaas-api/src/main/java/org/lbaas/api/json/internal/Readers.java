package org.lbaas.api.json.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lbaas.api.HealthMonitorCreate;
import org.lbaas.api.HealthMonitorUpdate;
import org.lbaas.api.HealthMonitorView;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.MemberUpdate;
import org.lbaas.api.PersistenceChange;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.PoolUpdate;
import org.lbaas.api.PoolView;
import org.lbaas.api.VipCreate;
import org.lbaas.api.VipUpdate;
import org.lbaas.api.json.NeutronJson;
import org.lbaas.model.Cidr;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Violation;
import org.lbaas.model.Violations;
import org.lbaas.model.Vip;

/**
 * Reads Neutron v1 JSON trees into the model and the service's request records: the one reader of
 * every wire attribute, used by {@link org.lbaas.api.json.NeutronJson}, the file store and
 * lbaas-rest (through {@link WireShape} and {@link WireRequest}).
 *
 * <p>When an attribute fails, the record is still built from a placeholder (a value that is
 * either {@code null} or out of range, so it can only break a rule at its own path, which
 * {@link Fields#build} then drops), so that the rules of the other attributes are reported in the
 * same pass. No record built from a placeholder is ever returned.
 */
public final class Readers {

    /** Stands in for an id that could not be read; never leaves this class. */
    private static final UUID PLACEHOLDER_ID = new UUID(0, 0);
    /** Stands in for a tenant that could not be read; never leaves this class. */
    private static final String PLACEHOLDER_TENANT = "placeholder";

    static final String CREATE_READ_ONLY = "is read-only: it is set by the service and cannot be given on create";
    static final String UPDATE_READ_ONLY = "is read-only: it is fixed at creation or set by the service and cannot be updated";
    /**
     * The attributes of a subnet as {@code GET /v2.0/subnets} returns it, besides those lbaas reads
     * (id, name, cidr, gateway_ip, ip_version): accepted and ignored.
     */
    static final String[] NEUTRON_SUBNET_ATTRIBUTES = {"tenant_id", "project_id", "network_id", "subnetpool_id",
        "enable_dhcp", "ipv6_ra_mode", "ipv6_address_mode", "allocation_pools", "host_routes", "dns_nameservers",
        "description", "service_types", "tags", "created_at", "updated_at", "revision_number", "segment_id",
        "dns_publish_fixed_ip", "shared", "standard_attr_id"};

    private static final Pattern INDEXED = Pattern.compile("\\b(members|health_monitors)\\[(\\d+)]");

    private Readers() {
    }

    /** What a load balancer document supplies to its parts when they leave it out. */
    private record Defaults(String tenantId, UUID poolId, UUID subnetId) {
    }

    // ---------------------------------------------------------------- entry points

    /** Reads {@code {"key": {...}}} with the reader, or throws every violation. */
    static <T> T wrapped(JsonNode tree, String key, String kind, Function<Fields, Optional<T>> reader) {
        Violations violations = new Violations();
        Optional<T> result = Optional.empty();
        Optional<Fields> root = Fields.object(tree, "", "request body {\"" + key + "\": {...}}", violations);
        if (root.isPresent()) {
            Fields body = root.get();
            Optional<Fields> inner = body.require(key, name -> body.object(name, kind));
            result = inner.flatMap(reader);
            body.finish();
        }
        return result(violations, result);
    }

    /** Reads {@code {"keys": [{...}, ...]}} with the reader, or throws every violation. */
    static <T> List<T> list(JsonNode tree, String key, String kind, Function<Fields, Optional<T>> reader) {
        Violations violations = new Violations();
        List<T> out = new ArrayList<>();
        Optional<Fields> root = Fields.object(tree, "", "body {\"" + key + "\": [...]}", violations);
        if (root.isPresent()) {
            Fields body = root.get();
            Optional<List<Optional<Fields>>> items = body.require(key, name -> body.items(name, kind));
            for (Optional<Fields> item : items.orElse(List.of())) {
                item.flatMap(reader).ifPresent(out::add);
            }
            body.finish();
        }
        violations.throwIfAny();
        return List.copyOf(out);
    }

    /**
     * Reads a load balancer document.
     *
     * @param tree the document
     * @return the load balancer
     * @throws ValidationException listing every violation
     */
    public static LoadBalancer document(JsonNode tree) {
        Violations violations = new Violations();
        Optional<Fields> root = Fields.object(tree, "", "load balancer document", violations);
        return result(violations, root.flatMap(Readers::document));
    }

    private static <T> T result(Violations violations, Optional<T> result) {
        violations.throwIfAny();
        return result.orElseThrow(() -> new IllegalStateException("a JSON reader found no violation but built nothing"));
    }

    // ---------------------------------------------------------------- shared attribute readers

    private static Optional<Status> status(Fields f, boolean document) {
        Function<String, Optional<Status>> read = name -> f.enumValue(Status.class, name);
        return document ? f.orDefault("status", read, Status.ACTIVE) : f.require("status", read);
    }

    /** {@code status_description}: Neutron shows {@code null} for none, as well as a string. */
    private static Optional<String> statusDescription(Fields f) {
        return f.isNull("status_description") ? Optional.of("") : f.orDefault("status_description", f::string, "");
    }

    private static <T> Optional<T> contextual(Fields f, String name, Function<String, Optional<T>> getter,
                                              Optional<T> fallback) {
        return fallback.isPresent() ? f.orDefault(name, getter, fallback.get()) : f.require(name, getter);
    }

    /**
     * Reads {@code session_persistence}: empty when it is absent or {@code null} (no persistence),
     * and empty after recording violations when it is invalid.
     */
    private static Optional<SessionPersistence> sessionPersistence(Fields f) {
        if (!f.has("session_persistence") || f.isNull("session_persistence")) {
            return Optional.empty();
        }
        return f.object("session_persistence", "session persistence").flatMap(s -> {
            Optional<PersistenceType> type = s.require("type", name -> s.enumValue(PersistenceType.class, name));
            Optional<String> cookie = s.isNull("cookie_name") ? Optional.empty() : s.string("cookie_name");
            s.finish();
            return s.build(() -> new SessionPersistence(type.orElse(null), cookie));
        });
    }

    private static Optional<Vip> vip(Fields f, Optional<Defaults> defaults, boolean document) {
        Optional<UUID> id = f.require("id", f::uuid);
        Optional<String> tenant = contextual(f, "tenant_id", f::string, defaults.map(Defaults::tenantId));
        Optional<String> name = f.orDefault("name", f::string, "");
        Optional<String> description = f.orDefault("description", f::string, "");
        Optional<UUID> subnetId = contextual(f, "subnet_id", f::uuid, defaults.map(Defaults::subnetId));
        Optional<InetAddress> address = f.require("address", f::ip);
        Optional<UUID> portId = document && !f.has("port_id")
                ? Optional.of(id.map(NeutronJson::derivedPortId).orElse(PLACEHOLDER_ID))
                : f.require("port_id", f::uuid);
        Optional<Integer> protocolPort = f.require("protocol_port", f::integer);
        Optional<Protocol> protocol = f.require("protocol", n -> f.enumValue(Protocol.class, n));
        Optional<UUID> poolId = contextual(f, "pool_id", f::uuid, defaults.map(Defaults::poolId));
        Optional<SessionPersistence> persistence = sessionPersistence(f);
        Optional<Integer> limit = f.orDefault("connection_limit", f::integer, Vip.UNLIMITED);
        Optional<Boolean> up = f.orDefault("admin_state_up", f::bool, true);
        Optional<Status> status = status(f, document);
        Optional<String> why = statusDescription(f);
        f.finish();
        return f.build(() -> new Vip(id.orElse(null), tenant.orElse(null), name.orElse(""), description.orElse(""),
                subnetId.orElse(null), address.orElse(null), portId.orElse(null), protocolPort.orElse(0),
                protocol.orElse(null), poolId.orElse(null), persistence, limit.orElse(Integer.MIN_VALUE),
                up.orElse(true), status.orElse(null), why.orElse("")));
    }

    private static Optional<Pool> poolRecord(Fields f, Optional<UUID> defaultSubnet, boolean document) {
        return poolRecord(f, defaultSubnet, Optional.empty(), document);
    }

    private static Optional<Pool> poolRecord(Fields f, Optional<UUID> defaultSubnet, Optional<String> defaultTenant,
                                             boolean document) {
        Optional<UUID> id = f.require("id", f::uuid);
        Optional<String> tenant = contextual(f, "tenant_id", f::string, defaultTenant);
        Optional<String> name = f.orDefault("name", f::string, "");
        Optional<String> description = f.orDefault("description", f::string, "");
        Optional<UUID> subnetId = contextual(f, "subnet_id", f::uuid, defaultSubnet);
        Optional<Protocol> protocol = f.require("protocol", n -> f.enumValue(Protocol.class, n));
        Optional<LbMethod> lbMethod = f.require("lb_method", n -> f.enumValue(LbMethod.class, n));
        Optional<String> provider = f.orDefault("provider", f::string, "");
        Optional<Boolean> up = f.orDefault("admin_state_up", f::bool, true);
        Optional<Status> status = status(f, document);
        Optional<String> why = statusDescription(f);
        return f.build(() -> new Pool(id.orElse(null), tenant.orElse(null), name.orElse(""), description.orElse(""),
                subnetId.orElse(null), protocol.orElse(null), lbMethod.orElse(null), provider.orElse(""),
                up.orElse(true), status.orElse(null), why.orElse("")));
    }

    private static Optional<Member> member(Fields f, Optional<Defaults> defaults, boolean document) {
        Optional<UUID> id = f.require("id", f::uuid);
        Optional<String> tenant = contextual(f, "tenant_id", f::string, defaults.map(Defaults::tenantId));
        Optional<UUID> poolId = contextual(f, "pool_id", f::uuid, defaults.map(Defaults::poolId));
        Optional<InetAddress> address = f.require("address", f::ip);
        Optional<Integer> protocolPort = f.require("protocol_port", f::integer);
        Optional<Integer> weight = f.orDefault("weight", f::integer, MemberCreate.DEFAULT_WEIGHT);
        Optional<Boolean> up = f.orDefault("admin_state_up", f::bool, true);
        Optional<Status> status = status(f, document);
        Optional<String> why = statusDescription(f);
        f.finish();
        return f.build(() -> new Member(id.orElse(null), tenant.orElse(null), poolId.orElse(null),
                address.orElse(null), protocolPort.orElse(0), weight.orElse(-1), up.orElse(true), status.orElse(null),
                why.orElse("")));
    }

    private static Optional<HealthMonitor> monitorRecord(Fields f, Optional<String> defaultTenant) {
        Optional<UUID> id = f.require("id", f::uuid);
        Optional<String> tenant = contextual(f, "tenant_id", f::string, defaultTenant);
        Optional<MonitorType> type = f.require("type", n -> f.enumValue(MonitorType.class, n));
        Optional<Integer> delay = f.require("delay", f::integer);
        Optional<Integer> timeout = f.require("timeout", f::integer);
        Optional<Integer> maxRetries = f.require("max_retries", f::integer);
        Optional<HttpCheck> check = httpCheck(f, type);
        Optional<Boolean> up = f.orDefault("admin_state_up", f::bool, true);
        return f.build(() -> new HealthMonitor(id.orElse(null), tenant.orElse(null), type.orElse(null),
                delay.orElse(-1), timeout.orElse(-1), maxRetries.orElse(0), check, up.orElse(true)));
    }

    /**
     * The HTTP attributes of a full monitor. HTTP and HTTPS monitors take v1's defaults for absent
     * ones; PING and TCP monitors accept them only with v1's default values (which v1 returned for
     * every monitor), and ignore them.
     */
    private static Optional<HttpCheck> httpCheck(Fields f, Optional<MonitorType> type) {
        Optional<HttpMethod> method = f.orDefault("http_method", n -> f.enumValue(HttpMethod.class, n), HttpMethod.GET);
        Optional<String> path = f.orDefault("url_path", f::string, "/");
        Optional<String> codes = f.orDefault("expected_codes", f::string, ExpectedCodes.defaultCodes().spec());
        if (type.isEmpty()) {
            return Optional.empty();
        }
        if (!type.get().isHttp()) {
            onlyDefaultsForNonHttp(f, type.get(), method, path, codes);
            return Optional.empty();
        }
        // Each part is checked on its own, so that a bad path and bad codes are both reported;
        // a part that failed is replaced by v1's default, which cannot add a violation.
        Optional<ExpectedCodes> expected = codes.flatMap(spec -> f.build(() -> ExpectedCodes.parse(spec)));
        return f.build(() -> new HttpCheck(method.orElse(HttpMethod.GET), path.orElse("/"),
                        expected.orElse(ExpectedCodes.defaultCodes())))
                .or(() -> Optional.of(HttpCheck.defaults())); // placeholder: the monitor has failed already
    }

    private static void onlyDefaultsForNonHttp(Fields f, MonitorType type, Optional<HttpMethod> method,
                                               Optional<String> path, Optional<String> codes) {
        String rule = "is only for HTTP and HTTPS monitors: a " + type + " monitor must omit it"
                + " (v1's default, which v1 showed on every monitor, is accepted and ignored)";
        if (method.isPresent() && method.get() != HttpMethod.GET) {
            f.fail("http_method", method.get().name(), rule);
        }
        if (path.isPresent() && !path.get().equals("/")) {
            f.fail("url_path", path.get(), rule);
        }
        if (codes.isPresent() && !codes.get().equals(ExpectedCodes.defaultCodes().spec())) {
            f.fail("expected_codes", codes.get(), rule);
        }
    }

    private static Optional<Subnet> subnetRecord(Fields f) {
        Optional<UUID> id = f.require("id", f::uuid);
        Optional<String> name = f.orDefault("name", f::string, "");
        Optional<Cidr> cidr = f.require("cidr", f::string).flatMap(text -> f.build(() -> Cidr.parse(text)));
        Optional<InetAddress> gateway = f.isNull("gateway_ip") ? Optional.empty() : f.ip("gateway_ip");
        Optional<Integer> version = f.integer("ip_version");
        if (version.isPresent() && cidr.isPresent() && version.get() != cidr.get().ipVersion()) {
            f.fail("ip_version", version.get(), "contradicts cidr " + cidr.get() + ", which is an IPv" + cidr.get().ipVersion()
                    + " network: ip_version must be " + cidr.get().ipVersion());
        }
        f.ignore(NEUTRON_SUBNET_ATTRIBUTES);
        f.finish();
        return f.build(() -> new Subnet(id.orElse(null), name.orElse(""), cidr.orElse(null), gateway));
    }

    // ---------------------------------------------------------------- full objects (responses)

    public static Optional<Vip> vip(Fields f) {
        return vip(f, Optional.empty(), false);
    }

    public static Optional<Member> member(Fields f) {
        return member(f, Optional.empty(), false);
    }

    public static Optional<Subnet> subnet(Fields f) {
        return subnetRecord(f);
    }

    /**
     * Reads a monitor's own attributes, without {@code pools}: the shape of
     * {@link Writers#healthMonitorAttributes}.
     */
    public static Optional<HealthMonitor> healthMonitor(Fields f) {
        Optional<HealthMonitor> monitor = monitorRecord(f, Optional.empty());
        f.finish();
        return monitor;
    }

    static Optional<PoolStats> stats(Fields f) {
        Optional<Long> in = f.require("bytes_in", f::longInteger);
        Optional<Long> out = f.require("bytes_out", f::longInteger);
        Optional<Long> active = f.require("active_connections", f::longInteger);
        Optional<Long> total = f.require("total_connections", f::longInteger);
        f.finish();
        return f.build(() -> new PoolStats(in.orElse(-1L), out.orElse(-1L), active.orElse(-1L), total.orElse(-1L)));
    }

    public static Optional<PoolView> poolView(Fields f) {
        Optional<UUID> poolId = f.has("id") ? Fields.uuidOf(f.raw("id").orElseThrow()) : Optional.empty();
        Optional<List<UUID>> members = f.orDefault("members", f::uuids, List.of());
        Optional<List<UUID>> monitors = f.orDefault("health_monitors", f::uuids, List.of());
        List<PoolMonitorAssociation> statuses = associations(f, "health_monitors_status", "health monitor status",
                "monitor_id", (monitorId, status, why) -> new PoolMonitorAssociation(poolId.orElse(PLACEHOLDER_ID),
                        monitorId, status, why));
        Optional<UUID> vipId = f.isNull("vip_id") ? Optional.empty() : f.uuid("vip_id");
        if (monitors.isPresent() && f.ok()) {
            List<UUID> statusIds = statuses.stream().map(PoolMonitorAssociation::monitorId).toList();
            if (!statusIds.equals(monitors.get())) {
                f.fail("health_monitors", monitors.get(),
                        "must list the same monitors, in the same order, as health_monitors_status " + statusIds);
            }
        }
        Optional<Pool> pool = poolRecord(f, Optional.empty(), false);
        f.finish();
        if (pool.isEmpty() || !f.ok()) {
            return Optional.empty();
        }
        return Optional.of(new PoolView(pool.get(), members.orElseThrow(), monitors.orElseThrow(), statuses, vipId));
    }

    static Optional<HealthMonitorView> healthMonitorView(Fields f) {
        Optional<UUID> monitorId = f.has("id") ? Fields.uuidOf(f.raw("id").orElseThrow()) : Optional.empty();
        List<PoolMonitorAssociation> pools = associations(f, "pools", "pool association", "pool_id",
                (poolId, status, why) -> new PoolMonitorAssociation(poolId, monitorId.orElse(PLACEHOLDER_ID), status, why));
        Optional<HealthMonitor> monitor = monitorRecord(f, Optional.empty());
        f.finish();
        if (monitor.isEmpty() || !f.ok()) {
            return Optional.empty();
        }
        return Optional.of(new HealthMonitorView(monitor.get(), pools));
    }

    /** Makes an association of one side's object from the other side's id, a status and its description. */
    @FunctionalInterface
    private interface AssociationOf {
        PoolMonitorAssociation of(UUID otherId, Status status, String statusDescription);
    }

    /**
     * Reads the list of pool-monitor association statuses at {@code key} (a pool's
     * {@code health_monitors_status}, a monitor's {@code pools}): each item names the other side's id
     * under {@code otherIdKey}, a {@code status} and an optional {@code status_description}. Items
     * that break a rule are reported on {@code f} and left out.
     */
    private static List<PoolMonitorAssociation> associations(Fields f, String key, String what, String otherIdKey,
                                                             AssociationOf association) {
        List<PoolMonitorAssociation> out = new ArrayList<>();
        for (Optional<Fields> item : f.orDefault(key, n -> f.items(n, what), List.<Optional<Fields>>of())
                .orElse(List.of())) {
            item.flatMap(a -> {
                Optional<UUID> otherId = a.require(otherIdKey, a::uuid);
                Optional<Status> status = a.require("status", n -> a.enumValue(Status.class, n));
                Optional<String> why = a.orDefault("status_description", a::string, "");
                a.finish();
                return a.build(() -> association.of(otherId.orElse(null), status.orElse(null), why.orElse("")));
            }).ifPresent(out::add);
        }
        return out;
    }

    // ---------------------------------------------------------------- request bodies

    static Optional<PoolCreate> poolCreate(Fields f) {
        Optional<String> tenant = f.require("tenant_id", f::string);
        Optional<String> name = f.orDefault("name", f::string, "");
        Optional<String> description = f.orDefault("description", f::string, "");
        Optional<UUID> subnetId = f.require("subnet_id", f::uuid);
        Optional<Protocol> protocol = f.require("protocol", n -> f.enumValue(Protocol.class, n));
        Optional<LbMethod> lbMethod = f.require("lb_method", n -> f.enumValue(LbMethod.class, n));
        Optional<String> provider = f.string("provider");
        Optional<Boolean> up = f.orDefault("admin_state_up", f::bool, true);
        f.reject(CREATE_READ_ONLY, "id", "members", "health_monitors", "health_monitors_status", "vip_id", "status",
                "status_description");
        f.finish();
        if (!f.ok()) {
            return Optional.empty();
        }
        return Optional.of(new PoolCreate(tenant.orElseThrow(), name.orElseThrow(), description.orElseThrow(),
                subnetId.orElseThrow(), protocol.orElseThrow(), lbMethod.orElseThrow(), provider, up.orElseThrow()));
    }

    static Optional<PoolUpdate> poolUpdate(Fields f) {
        Optional<String> name = f.string("name");
        Optional<String> description = f.string("description");
        Optional<LbMethod> lbMethod = f.enumValue(LbMethod.class, "lb_method");
        Optional<Boolean> up = f.bool("admin_state_up");
        f.reject(UPDATE_READ_ONLY, "id", "tenant_id", "subnet_id", "protocol", "provider", "members", "health_monitors",
                "health_monitors_status", "vip_id", "status", "status_description");
        f.finish();
        return f.ok() ? Optional.of(new PoolUpdate(name, description, lbMethod, up)) : Optional.empty();
    }

    static Optional<MemberCreate> memberCreate(Fields f) {
        Optional<String> tenant = f.require("tenant_id", f::string);
        Optional<UUID> poolId = f.require("pool_id", f::uuid);
        Optional<InetAddress> address = f.require("address", f::ip);
        Optional<Integer> protocolPort = f.require("protocol_port", f::integer);
        Optional<Integer> weight = f.orDefault("weight", f::integer, MemberCreate.DEFAULT_WEIGHT);
        Optional<Boolean> up = f.orDefault("admin_state_up", f::bool, true);
        f.reject(CREATE_READ_ONLY, "id", "status", "status_description");
        f.finish();
        if (!f.ok()) {
            return Optional.empty();
        }
        return Optional.of(new MemberCreate(tenant.orElseThrow(), poolId.orElseThrow(), address.orElseThrow(),
                protocolPort.orElseThrow(), weight.orElseThrow(), up.orElseThrow()));
    }

    static Optional<MemberUpdate> memberUpdate(Fields f) {
        Optional<Integer> weight = f.integer("weight");
        Optional<Boolean> up = f.bool("admin_state_up");
        Optional<UUID> poolId = f.uuid("pool_id");
        f.reject(UPDATE_READ_ONLY, "id", "tenant_id", "address", "protocol_port", "status", "status_description");
        f.finish();
        return f.ok() ? Optional.of(new MemberUpdate(weight, up, poolId)) : Optional.empty();
    }

    static Optional<HealthMonitorCreate> healthMonitorCreate(Fields f) {
        Optional<String> tenant = f.require("tenant_id", f::string);
        Optional<MonitorType> type = f.require("type", n -> f.enumValue(MonitorType.class, n));
        Optional<Integer> delay = f.require("delay", f::integer);
        Optional<Integer> timeout = f.require("timeout", f::integer);
        Optional<Integer> maxRetries = f.require("max_retries", f::integer);
        Optional<HttpMethod> method = f.enumValue(HttpMethod.class, "http_method");
        Optional<String> path = f.string("url_path");
        Optional<String> codes = f.string("expected_codes");
        Optional<Boolean> up = f.orDefault("admin_state_up", f::bool, true);
        f.reject(CREATE_READ_ONLY, "id", "pools");
        if (type.isPresent() && !type.get().isHttp()) {
            onlyDefaultsForNonHttp(f, type.get(), method, path, codes);
            method = Optional.empty();
            path = Optional.empty();
            codes = Optional.empty();
        }
        f.finish();
        if (!f.ok()) {
            return Optional.empty();
        }
        return Optional.of(new HealthMonitorCreate(tenant.orElseThrow(), type.orElseThrow(), delay.orElseThrow(),
                timeout.orElseThrow(), maxRetries.orElseThrow(), method, path, codes, up.orElseThrow()));
    }

    static Optional<HealthMonitorUpdate> healthMonitorUpdate(Fields f) {
        Optional<Integer> delay = f.integer("delay");
        Optional<Integer> timeout = f.integer("timeout");
        Optional<Integer> maxRetries = f.integer("max_retries");
        Optional<HttpMethod> method = f.enumValue(HttpMethod.class, "http_method");
        Optional<String> path = f.string("url_path");
        Optional<String> codes = f.string("expected_codes");
        Optional<Boolean> up = f.bool("admin_state_up");
        f.reject(UPDATE_READ_ONLY, "id", "tenant_id", "type", "pools");
        f.finish();
        return f.ok() ? Optional.of(new HealthMonitorUpdate(delay, timeout, maxRetries, method, path, codes, up))
                : Optional.empty();
    }

    static Optional<VipCreate> vipCreate(Fields f) {
        Optional<String> tenant = f.require("tenant_id", f::string);
        Optional<String> name = f.orDefault("name", f::string, "");
        Optional<String> description = f.orDefault("description", f::string, "");
        Optional<UUID> subnetId = f.require("subnet_id", f::uuid);
        Optional<InetAddress> address = f.isNull("address") ? Optional.empty() : f.ip("address");
        Optional<UUID> portId = f.uuid("port_id");
        Optional<Integer> protocolPort = f.require("protocol_port", f::integer);
        Optional<Protocol> protocol = f.require("protocol", n -> f.enumValue(Protocol.class, n));
        Optional<UUID> poolId = f.require("pool_id", f::uuid);
        Optional<SessionPersistence> persistence = sessionPersistence(f);
        Optional<Integer> limit = f.orDefault("connection_limit", f::integer, Vip.UNLIMITED);
        Optional<Boolean> up = f.orDefault("admin_state_up", f::bool, true);
        f.reject(CREATE_READ_ONLY, "id", "status", "status_description");
        f.finish();
        if (!f.ok()) {
            return Optional.empty();
        }
        return Optional.of(new VipCreate(tenant.orElseThrow(), name.orElseThrow(), description.orElseThrow(),
                subnetId.orElseThrow(), address, portId, protocolPort.orElseThrow(), protocol.orElseThrow(),
                poolId.orElseThrow(), persistence, limit.orElseThrow(), up.orElseThrow()));
    }

    static Optional<VipUpdate> vipUpdate(Fields f) {
        Optional<String> name = f.string("name");
        Optional<String> description = f.string("description");
        Optional<UUID> poolId = f.uuid("pool_id");
        Optional<Integer> limit = f.integer("connection_limit");
        Optional<Boolean> up = f.bool("admin_state_up");
        Optional<PersistenceChange> change;
        if (!f.has("session_persistence")) {
            change = Optional.empty();
        } else if (f.isNull("session_persistence")) {
            change = Optional.of(PersistenceChange.clear());
        } else {
            change = sessionPersistence(f).map(PersistenceChange::set);
        }
        f.reject(UPDATE_READ_ONLY, "id", "tenant_id", "subnet_id", "address", "port_id", "protocol_port", "protocol",
                "status", "status_description");
        f.finish();
        return f.ok() ? Optional.of(new VipUpdate(name, description, poolId, limit, up, change)) : Optional.empty();
    }

    // ---------------------------------------------------------------- the load balancer document

    /** Where a document's objects name their tenant ({@code tenant_id} or {@code project_id}), in document order. */
    private static java.util.LinkedHashMap<String, JsonNode> tenants(Fields root) {
        java.util.LinkedHashMap<String, JsonNode> out = new java.util.LinkedHashMap<>();
        for (String part : List.of("pool", "vip")) {
            root.raw(part).filter(JsonNode::isObject).ifPresent(n -> tenantsOf(n, part, out));
        }
        for (String list : List.of("members", "health_monitors")) {
            Optional<JsonNode> items = root.raw(list).filter(JsonNode::isArray);
            if (items.isPresent()) {
                for (int i = 0; i < items.get().size(); i++) {
                    if (items.get().get(i).isObject()) {
                        tenantsOf(items.get().get(i), list + "[" + i + "]", out);
                    }
                }
            }
        }
        return out;
    }

    private static void tenantsOf(JsonNode object, String path, java.util.Map<String, JsonNode> out) {
        for (String name : List.of("tenant_id", "project_id")) {
            JsonNode v = object.get(name);
            if (v != null && v.isTextual()) {
                out.put(path + "." + name, v);
            }
        }
    }

    /**
     * The document's one tenant: the first {@code tenant_id} (or {@code project_id}) given, in
     * document order (pool, vip, members, health_monitors), else
     * {@link NeutronJson#DOCUMENT_DEFAULT_TENANT}. Every other one that differs is a violation
     * naming both paths; the paths so reported are added to {@code reported}.
     */
    private static String documentTenant(Fields root, Set<String> reported) {
        java.util.LinkedHashMap<String, JsonNode> given = tenants(root);
        if (given.isEmpty()) {
            return NeutronJson.DOCUMENT_DEFAULT_TENANT;
        }
        java.util.Map.Entry<String, JsonNode> first = given.entrySet().iterator().next();
        String tenant = first.getValue().textValue();
        for (java.util.Map.Entry<String, JsonNode> e : given.entrySet()) {
            if (!e.getValue().textValue().equals(tenant)) {
                root.violations().add(Violation.of(e.getKey(), e.getValue().textValue(), "must equal " + first.getKey()
                        + " (" + tenant + "): every object of a document belongs to one tenant"));
                reported.add(e.getKey());
            }
        }
        return tenant;
    }

    /** Checks that a list of ids the pool gives (as Neutron shows a pool) names exactly the document's objects. */
    private static void sameIds(Fields root, String poolPath, Optional<List<UUID>> listed, String documentPath,
                                List<UUID> documentIds, boolean complete) {
        if (listed.isEmpty() || !complete) {
            return;
        }
        Set<UUID> inPool = new java.util.LinkedHashSet<>(listed.get());
        Set<UUID> inDocument = new java.util.LinkedHashSet<>(documentIds);
        if (inPool.equals(inDocument) && listed.get().size() == inPool.size()) {
            return;
        }
        List<UUID> onlyPool = inPool.stream().filter(id -> !inDocument.contains(id)).toList();
        List<UUID> onlyDocument = inDocument.stream().filter(id -> !inPool.contains(id)).toList();
        root.violations().add(Violation.of(poolPath, listed.get().toString(), "must list the ids of the document's "
                + documentPath + (listed.get().size() != inPool.size() ? ", each once" : "") + "; only in " + poolPath + ": "
                + onlyPool + "; only in " + documentPath + ": " + onlyDocument));
    }

    private static Optional<LoadBalancer> document(Fields root) {
        Set<String> reported = new java.util.HashSet<>();
        Optional<Subnet> subnet = root.require("subnet", n -> root.object(n, "subnet")).flatMap(Readers::subnetRecord);
        String tenant = documentTenant(root, reported);
        Optional<Fields> poolFields = root.require("pool", n -> root.object(n, "pool"));
        List<Optional<List<UUID>>> poolLists = new ArrayList<>(List.of(Optional.empty(), Optional.empty()));
        List<Optional<UUID>> poolVipId = new ArrayList<>(List.of(Optional.empty()));
        boolean[] poolVipIdNull = {false};
        Optional<Pool> pool = poolFields.flatMap(f -> {
            Optional<Pool> p = poolRecord(f, Optional.of(subnet.map(Subnet::id).orElse(PLACEHOLDER_ID)), Optional.of(tenant),
                    true);
            // What Neutron shows on a pool (lb-pool-show): relations checked against the document, the rest ignored.
            poolLists.set(0, f.has("members") ? f.uuids("members") : Optional.empty());
            poolLists.set(1, f.has("health_monitors") ? f.uuids("health_monitors") : Optional.empty());
            if (f.isNull("vip_id")) {
                poolVipIdNull[0] = true;
            } else if (f.has("vip_id")) {
                poolVipId.set(0, f.uuid("vip_id"));
            }
            f.ignore("health_monitors_status", "project_id");
            f.finish();
            return p;
        });
        // When the pool failed, its parts still get checked, with placeholders that never escape.
        Defaults defaults = new Defaults(pool.map(Pool::tenantId).orElse(PLACEHOLDER_TENANT),
                pool.map(Pool::id).orElse(PLACEHOLDER_ID), subnet.map(Subnet::id).orElse(PLACEHOLDER_ID));

        Optional<Vip> vip = Optional.empty();
        if (root.has("vip") && !root.isNull("vip")) {
            vip = root.object("vip", "vip").flatMap(f -> {
                f.ignore("project_id");
                return vip(f, Optional.of(defaults), true);
            });
        }

        List<Member> members = new ArrayList<>();
        List<Integer> memberAt = new ArrayList<>();
        List<Optional<Fields>> memberItems = root.orDefault("members", n -> root.items(n, "member"),
                List.<Optional<Fields>>of()).orElse(List.of());
        for (int i = 0; i < memberItems.size(); i++) {
            Optional<Member> m = memberItems.get(i).flatMap(f -> {
                f.ignore("project_id");
                return member(f, Optional.of(defaults), true);
            });
            if (m.isPresent()) {
                members.add(m.get());
                memberAt.add(i);
            }
        }

        List<HealthMonitor> monitors = new ArrayList<>();
        List<Integer> monitorAt = new ArrayList<>();
        List<Optional<Fields>> monitorItems = root.orDefault("health_monitors", n -> root.items(n, "health monitor"),
                List.<Optional<Fields>>of()).orElse(List.of());
        for (int i = 0; i < monitorItems.size(); i++) {
            Optional<HealthMonitor> m = monitorItems.get(i).flatMap(f -> {
                Optional<HealthMonitor> built = monitorRecord(f, Optional.of(defaults.tenantId()));
                // As lb-healthmonitor-show prints it: its pools are given by the document, status by the service.
                f.ignore("pools", "project_id", "status", "status_description");
                f.finish();
                return built;
            });
            if (m.isPresent()) {
                monitors.add(m.get());
                monitorAt.add(i);
            }
        }
        root.finish();
        sameIds(root, "pool.members", poolLists.get(0), "members", members.stream().map(Member::id).toList(),
                members.size() == memberItems.size());
        sameIds(root, "pool.health_monitors", poolLists.get(1), "health_monitors",
                monitors.stream().map(HealthMonitor::id).toList(), monitors.size() == monitorItems.size());
        if (poolVipId.get(0).isPresent() && vip.isPresent() && !poolVipId.get(0).get().equals(vip.get().id())) {
            root.violations().add(Violation.of("pool.vip_id", poolVipId.get(0).get().toString(),
                    "must be the id of the document's vip (" + vip.get().id() + ")"));
        } else if (poolVipId.get(0).isPresent() && (!root.has("vip") || root.isNull("vip"))) {
            root.violations().add(Violation.of("pool.vip_id", poolVipId.get(0).get().toString(),
                    "must be null or absent: the document has no vip"));
        } else if (poolVipIdNull[0] && vip.isPresent()) {
            root.violations().add(Violation.of("pool.vip_id", null, "must be the id of the document's vip (" + vip.get().id()
                    + "), not null"));
        }

        if (subnet.isEmpty() || pool.isEmpty()) {
            return Optional.empty();
        }
        boolean vipOk = !root.has("vip") || root.isNull("vip") || vip.isPresent();
        try {
            LoadBalancer lb = new LoadBalancer(subnet.get(), pool.get(), vip, members, monitors);
            return root.ok() && vipOk ? Optional.of(lb) : Optional.empty();
        } catch (ValidationException e) {
            // Checked on the parts that could be built; indices are mapped back to the document's.
            for (Violation violation : e.violations()) {
                if (reported.contains(reindex(violation.path(), memberAt, monitorAt))) {
                    continue;
                }
                root.violations().add(new Violation(reindex(violation.path(), memberAt, monitorAt),
                        violation.rejectedValue(), reindex(violation.rule(), memberAt, monitorAt)));
            }
            return Optional.empty();
        }
    }

    private static String reindex(String text, List<Integer> memberAt, List<Integer> monitorAt) {
        Matcher m = INDEXED.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            List<Integer> at = m.group(1).equals("members") ? memberAt : monitorAt;
            int index = Integer.parseInt(m.group(2));
            int original = index < at.size() ? at.get(index) : index;
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + "[" + original + "]"));
        }
        m.appendTail(out);
        return out.toString();
    }
}
