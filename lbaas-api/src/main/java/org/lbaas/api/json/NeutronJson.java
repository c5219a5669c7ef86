package org.lbaas.api.json;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.lbaas.api.HealthMonitorCreate;
import org.lbaas.api.HealthMonitorUpdate;
import org.lbaas.api.HealthMonitorView;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.MemberUpdate;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.PoolUpdate;
import org.lbaas.api.PoolView;
import org.lbaas.api.VipCreate;
import org.lbaas.api.VipUpdate;
import org.lbaas.api.json.internal.JsonText;
import org.lbaas.api.json.internal.Readers;
import org.lbaas.api.json.internal.WireRequest;
import org.lbaas.api.json.internal.WireShape;
import org.lbaas.api.json.internal.Writers;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Subnet;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Vip;

/**
 * Reads and writes the OpenStack Neutron LBaaS v1 JSON wire format, and the load balancer
 * document of the {@code lbaas} command. Stateless and thread-safe: one instance,
 * {@link #standard()}, serves everyone.
 *
 * <h2>Writing</h2>
 * Every object is written wrapped in its singular name ({@code {"pool": {...}}}) and a list in its
 * plural name ({@code {"pools": [...]}}), with Neutron's snake_case attribute names, every
 * attribute present, always in the same order (Neutron's), two-space indented, LF line ends and a
 * final newline. The attributes, in order:
 * <ul>
 *   <li>{@code vip}: id, tenant_id, name, description, subnet_id, address, port_id, protocol_port,
 *       protocol, pool_id, session_persistence ({@code {type}}, plus {@code cookie_name} for
 *       APP_COOKIE, or {@code null}), connection_limit, admin_state_up, status, status_description;</li>
 *   <li>{@code pool}: id, tenant_id, name, description, subnet_id, protocol, lb_method, provider,
 *       admin_state_up, members (ids), health_monitors (ids), health_monitors_status
 *       ({@code [{monitor_id, status, status_description}]}), vip_id (or {@code null}), status,
 *       status_description;</li>
 *   <li>{@code member}: id, tenant_id, pool_id, address, protocol_port, weight, admin_state_up,
 *       status, status_description;</li>
 *   <li>{@code health_monitor}: id, tenant_id, type, delay, timeout, max_retries, http_method,
 *       url_path, expected_codes, admin_state_up, pools ({@code [{pool_id, status,
 *       status_description}]}). As in v1 the HTTP attributes are always present: a PING or TCP
 *       monitor shows v1's defaults {@code GET}, {@code /}, {@code 200};</li>
 *   <li>{@code stats}: bytes_in, bytes_out, active_connections, total_connections;</li>
 *   <li>{@code subnet}: id, name, cidr, gateway_ip (or {@code null}), ip_version.</li>
 * </ul>
 * Addresses are written in canonical form (RFC 5952 for IPv6), ids in lower case.
 *
 * <h2>Reading</h2>
 * Reading is strict and reports everything at once; every {@code read} method throws:
 * <ul>
 *   <li>text that is not exactly one well-formed JSON value (truncated, a stray character, a
 *       duplicate key, trailing content) throws {@link InvalidJsonException} with line, column and
 *       the path reached;</li>
 *   <li>anything else throws one {@link ValidationException} listing every violation, each with
 *       its path ({@code vip.protocol_port}, {@code members[2].address},
 *       {@code vip.session_persistence.cookie_name}): a missing required attribute ({@code is
 *       required}), a wrong JSON type ({@code must be an integer}, {@code must be a string},
 *       {@code must be true or false}; nothing is coerced, {@code "80"} is not a port), an unknown
 *       enum value (the allowed ones are listed; no case folding), an id that is not a UUID, an
 *       address that is not an IP literal (host names are never resolved), an attribute the object
 *       does not have ({@code is not an attribute of ...}, with the accepted ones), an attribute
 *       that exists but may not be written here ({@code is read-only}), and, for full objects and
 *       the document, every rule of the model.</li>
 * </ul>
 * JSON {@code null} is a wrong type except where it means something: {@code session_persistence}
 * (none, or in a VIP update: remove it), {@code cookie_name} (none), {@code gateway_ip} (no gateway),
 * {@code vip_id} (no VIP), the {@code address} of a VIP create (let the service pick), and the
 * document's {@code vip} (none).
 *
 * <h3>Request bodies</h3>
 * {@code readXxxCreate} and {@code readXxxUpdate} read the bodies of Neutron's {@code POST} and
 * {@code PUT} requests into the service's request records. A create takes the attributes Neutron
 * allowed on {@code POST}; {@code id}, {@code status}, {@code status_description} and the pool's
 * relations ({@code members}, {@code health_monitors}, {@code health_monitors_status},
 * {@code vip_id}; monitors are associated through the service) are read-only. An update takes only
 * the attributes that may change after creation (vip: name, description, pool_id,
 * session_persistence, connection_limit, admin_state_up; pool: name, description, lb_method,
 * admin_state_up; member: pool_id, weight, admin_state_up; health_monitor: delay, timeout,
 * max_retries, http_method, url_path, expected_codes, admin_state_up); the others are read-only.
 * In an update an absent attribute is {@code Optional.empty()} (keep it); in a VIP update
 * {@code "session_persistence": null} removes persistence and an absent one keeps it (v1 dropped it).
 * Absent optional attributes of a create take v1's defaults (empty name and description, weight 1,
 * admin_state_up true, connection_limit -1); {@code tenant_id} is required, as this layer has no
 * authentication context. Values are checked for type and form only; the service checks the
 * model's rules and relations. A PING or TCP monitor may carry the HTTP attributes only with v1's
 * default values (which v1 showed on every monitor); they are ignored.
 *
 * <h3>The load balancer document</h3>
 * {@link #readDocument(String)} reads the document of {@code lbaas validate/render/deploy}:
 * <pre>{@code
 * {"subnet": {...}, "pool": {...}, "vip": {...}, "members": [...], "health_monitors": [...]}
 * }</pre>
 * with Neutron's attribute names, into a {@link LoadBalancer}. {@code subnet} and {@code pool} are
 * required; {@code vip} is optional (absent or {@code null}: none); {@code members} and
 * {@code health_monitors} default to empty lists. Every violation is reported with its document
 * path, including the model's rules between objects (VIP inside the subnet, protocol match, unique
 * members); those rules are checked among the parts that are valid on their own, so a VIP with a
 * broken attribute of its own is checked against the subnet once that is fixed. Absent attributes
 * take these defaults:
 * <ul>
 *   <li>subnet: {@code name} empty, {@code gateway_ip} none; {@code ip_version}, when given, must
 *       match {@code cidr}; {@code id} and {@code cidr} are required;</li>
 *   <li>pool: {@code subnet_id} the subnet's id; {@code name}, {@code description},
 *       {@code provider} empty; {@code admin_state_up} true; {@code status} ACTIVE,
 *       {@code status_description} empty; {@code tenant_id} the document's tenant (below);
 *       {@code id}, {@code protocol} and {@code lb_method} are required (v1 had no default
 *       method);</li>
 *   <li>vip: {@code tenant_id} the pool's; {@code subnet_id} the subnet's; {@code pool_id} the
 *       pool's; {@code port_id} {@link #derivedPortId(UUID)} of its id; {@code name},
 *       {@code description} empty; {@code session_persistence} none; {@code connection_limit} -1
 *       (unlimited); {@code admin_state_up} true; {@code status} ACTIVE; {@code id},
 *       {@code address}, {@code protocol_port} and {@code protocol} are required;</li>
 *   <li>members: {@code tenant_id} and {@code pool_id} the pool's; {@code weight} 1;
 *       {@code admin_state_up} true; {@code status} ACTIVE; {@code id}, {@code address} and
 *       {@code protocol_port} are required;</li>
 *   <li>health_monitors: {@code tenant_id} the pool's; for HTTP and HTTPS {@code http_method}
 *       GET, {@code url_path} {@code /}, {@code expected_codes} 200; {@code admin_state_up} true;
 *       {@code id}, {@code type}, {@code delay}, {@code timeout} and {@code max_retries} are
 *       required.</li>
 * </ul>
 * <b>Tenant.</b> A document has one tenant: {@code pool.tenant_id} when given, else the first
 * {@code tenant_id} (or {@code project_id}) of the vip, members or health_monitors, else
 * {@link #DOCUMENT_DEFAULT_TENANT}; it applies to every object that names none. A
 * {@code tenant_id} or {@code project_id} that differs from it is a violation at its own path
 * naming the path it had to equal.
 *
 * <p><b>Neutron's own shape.</b> A document may be put together from what Neutron shows
 * ({@code lb-pool-show}, {@code lb-vip-show}, ...). The pool's relations are checked for agreement
 * with the document: {@code members} and {@code health_monitors} (id lists) must name exactly the
 * document's members and health monitors (a mismatch names the ids only on each side), and
 * {@code vip_id} must be the document's vip's id ({@code null} or absent without a vip). Accepted
 * and ignored: the pool's {@code health_monitors_status}, a monitor's {@code pools},
 * {@code status} and {@code status_description}, and {@code project_id} everywhere (checked as a
 * tenant); {@code status_description} may be {@code null} (none). A subnet, in a document and in
 * {@link #readSubnets(String)}, is read as {@code GET /v2.0/subnets} returns it: besides id, name,
 * cidr, gateway_ip and ip_version, Neutron's other attributes (tenant_id, project_id, network_id,
 * allocation_pools, enable_dhcp, dns_nameservers, host_routes, description, ipv6_ra_mode,
 * ipv6_address_mode, subnetpool_id, segment_id, service_types, tags, created_at, updated_at,
 * revision_number, ...) are ignored; an {@code ip_version} that contradicts {@code cidr} is a
 * violation naming both. Any other attribute is still refused, and request bodies are as strict as
 * described above. {@link #writeDocument(LoadBalancer)}
 * writes every attribute explicitly, so that reading its output gives an equal load balancer.
 */
public final class NeutronJson {

    /**
     * The tenant of a load balancer document in which no object names one ({@code tenant_id} or
     * {@code project_id}).
     */
    public static final String DOCUMENT_DEFAULT_TENANT = "default";

    /**
     * The longest document {@link #readDocument(String)} reads (4 Mi characters), checked before
     * parsing: about ten times a pool of 1000 members (the haproxy-ns driver's most) written in
     * Neutron's shape.
     */
    public static final int MAX_DOCUMENT_CHARS = 4 << 20;

    private static final NeutronJson STANDARD = new NeutronJson();

    private NeutronJson() {
    }

    /** Returns the shared instance. */
    public static NeutronJson standard() {
        return STANDARD;
    }

    /**
     * Returns the port id the document gives a VIP that names none: a name-based (version 3)
     * UUID of {@code "lbaas:vip-port:" + vipId}, so the same VIP always gets the same port (and
     * the data plane the same MAC address).
     *
     * @param vipId the VIP's id
     * @return its derived port id
     */
    public static UUID derivedPortId(UUID vipId) {
        Objects.requireNonNull(vipId, "vipId");
        return UUID.nameUUIDFromBytes(("lbaas:vip-port:" + vipId).getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------------------- writing

    /** Returns {@code {"vip": {...}}}. */
    public String writeVip(Vip vip) {
        return JsonText.print(WireShape.VIP.wrapped(Objects.requireNonNull(vip, "vip")));
    }

    /** Returns {@code {"vips": [...]}}. */
    public String writeVips(List<Vip> vips) {
        return JsonText.print(WireShape.VIP.wrappedAll(vips));
    }

    /** Returns {@code {"pool": {...}}}, the pool with its relations. */
    public String writePool(PoolView pool) {
        return JsonText.print(WireShape.POOL.wrapped(Objects.requireNonNull(pool, "pool")));
    }

    /** Returns {@code {"pools": [...]}}. */
    public String writePools(List<PoolView> pools) {
        return JsonText.print(WireShape.POOL.wrappedAll(pools));
    }

    /** Returns {@code {"member": {...}}}. */
    public String writeMember(Member member) {
        return JsonText.print(WireShape.MEMBER.wrapped(Objects.requireNonNull(member, "member")));
    }

    /** Returns {@code {"members": [...]}}. */
    public String writeMembers(List<Member> members) {
        return JsonText.print(WireShape.MEMBER.wrappedAll(members));
    }

    /** Returns {@code {"health_monitor": {...}}}, the monitor with its pool associations. */
    public String writeHealthMonitor(HealthMonitorView monitor) {
        return JsonText.print(WireShape.HEALTH_MONITOR.wrapped(Objects.requireNonNull(monitor, "monitor")));
    }

    /** Returns {@code {"health_monitors": [...]}}. */
    public String writeHealthMonitors(List<HealthMonitorView> monitors) {
        return JsonText.print(WireShape.HEALTH_MONITOR.wrappedAll(monitors));
    }

    /** Returns {@code {"stats": {"bytes_in", "bytes_out", "active_connections", "total_connections"}}}. */
    public String writeStats(PoolStats stats) {
        return JsonText.print(WireShape.STATS.wrapped(Objects.requireNonNull(stats, "stats")));
    }

    /** Returns {@code {"subnet": {...}}}. */
    public String writeSubnet(Subnet subnet) {
        return JsonText.print(WireShape.SUBNET.wrapped(Objects.requireNonNull(subnet, "subnet")));
    }

    /** Returns {@code {"subnets": [...]}}. */
    public String writeSubnets(List<Subnet> subnets) {
        return JsonText.print(WireShape.SUBNET.wrappedAll(subnets));
    }

    /**
     * Writes a load balancer as a document, every attribute explicit; {@code vip} is left out
     * when the load balancer has none.
     *
     * @param loadBalancer the load balancer
     * @return the document, which {@link #readDocument(String)} reads back to an equal value
     */
    public String writeDocument(LoadBalancer loadBalancer) {
        return JsonText.print(Writers.document(Objects.requireNonNull(loadBalancer, "loadBalancer")));
    }

    // ------------------------------------------------------------------------------- full objects
    // Every reader below throws InvalidJsonException when the text is not well-formed JSON and one
    // ValidationException listing every violation otherwise (see the class description).

    /**
     * Reads {@code {"vip": {...}}} as written by {@link #writeVip}: {@code id}, {@code tenant_id},
     * {@code subnet_id}, {@code address}, {@code port_id}, {@code protocol_port}, {@code protocol},
     * {@code pool_id} and {@code status} are required, the others take v1's defaults.
     */
    public Vip readVip(String json) {
        return WireShape.VIP.read(JsonText.parse(json));
    }

    /** Reads {@code {"vips": [...]}}; violations have paths such as {@code vips[1].address}. */
    public List<Vip> readVips(String json) {
        return WireShape.VIP.readAll(JsonText.parse(json));
    }

    /**
     * Reads {@code {"pool": {...}}} as written by {@link #writePool}. The relations default to
     * none; {@code health_monitors} must list the monitors of {@code health_monitors_status}.
     */
    public PoolView readPool(String json) {
        return WireShape.POOL.read(JsonText.parse(json));
    }

    /** Reads {@code {"pools": [...]}}. */
    public List<PoolView> readPools(String json) {
        return WireShape.POOL.readAll(JsonText.parse(json));
    }

    /** Reads {@code {"member": {...}}} as written by {@link #writeMember}. */
    public Member readMember(String json) {
        return WireShape.MEMBER.read(JsonText.parse(json));
    }

    /** Reads {@code {"members": [...]}}. */
    public List<Member> readMembers(String json) {
        return WireShape.MEMBER.readAll(JsonText.parse(json));
    }

    /** Reads {@code {"health_monitor": {...}}} as written by {@link #writeHealthMonitor}. */
    public HealthMonitorView readHealthMonitor(String json) {
        return WireShape.HEALTH_MONITOR.read(JsonText.parse(json));
    }

    /** Reads {@code {"health_monitors": [...]}}. */
    public List<HealthMonitorView> readHealthMonitors(String json) {
        return WireShape.HEALTH_MONITOR.readAll(JsonText.parse(json));
    }

    /** Reads {@code {"stats": {...}}}; all four counters are required. */
    public PoolStats readStats(String json) {
        return WireShape.STATS.read(JsonText.parse(json));
    }

    /**
     * Reads {@code {"subnet": {...}}}: {@code id} and {@code cidr} are required, {@code name}
     * defaults to empty, {@code gateway_ip} to none; {@code ip_version}, when given, must match
     * {@code cidr}.
     */
    public Subnet readSubnet(String json) {
        return WireShape.SUBNET.read(JsonText.parse(json));
    }

    /** Reads {@code {"subnets": [...]}}. */
    public List<Subnet> readSubnets(String json) {
        return WireShape.SUBNET.readAll(JsonText.parse(json));
    }

    // ------------------------------------------------------------------------------- requests

    /**
     * Reads the body of {@code POST /lb/pools}: {@code {"pool": {tenant_id, subnet_id, protocol,
     * lb_method, name?, description?, provider?, admin_state_up?}}}.
     */
    public PoolCreate readPoolCreate(String json) {
        return WireRequest.POOL_CREATE.read(JsonText.parse(json));
    }

    /**
     * Reads the body of {@code PUT /lb/pools/{id}}: {@code {"pool": {name?, description?,
     * lb_method?, admin_state_up?}}}.
     */
    public PoolUpdate readPoolUpdate(String json) {
        return WireRequest.POOL_UPDATE.read(JsonText.parse(json));
    }

    /**
     * Reads the body of {@code POST /lb/members}: {@code {"member": {tenant_id, pool_id, address,
     * protocol_port, weight?, admin_state_up?}}}.
     */
    public MemberCreate readMemberCreate(String json) {
        return WireRequest.MEMBER_CREATE.read(JsonText.parse(json));
    }

    /**
     * Reads the body of {@code PUT /lb/members/{id}}: {@code {"member": {pool_id?, weight?,
     * admin_state_up?}}}.
     */
    public MemberUpdate readMemberUpdate(String json) {
        return WireRequest.MEMBER_UPDATE.read(JsonText.parse(json));
    }

    /**
     * Reads the body of {@code POST /lb/health_monitors}: {@code {"health_monitor": {tenant_id,
     * type, delay, timeout, max_retries, http_method?, url_path?, expected_codes?,
     * admin_state_up?}}}.
     */
    public HealthMonitorCreate readHealthMonitorCreate(String json) {
        return WireRequest.HEALTH_MONITOR_CREATE.read(JsonText.parse(json));
    }

    /**
     * Reads the body of {@code PUT /lb/health_monitors/{id}}: {@code {"health_monitor": {delay?,
     * timeout?, max_retries?, http_method?, url_path?, expected_codes?, admin_state_up?}}}.
     */
    public HealthMonitorUpdate readHealthMonitorUpdate(String json) {
        return WireRequest.HEALTH_MONITOR_UPDATE.read(JsonText.parse(json));
    }

    /**
     * Reads the body of {@code POST /lb/vips}: {@code {"vip": {tenant_id, subnet_id, protocol_port,
     * protocol, pool_id, address?, port_id?, name?, description?, session_persistence?,
     * connection_limit?, admin_state_up?}}}.
     */
    public VipCreate readVipCreate(String json) {
        return WireRequest.VIP_CREATE.read(JsonText.parse(json));
    }

    /**
     * Reads the body of {@code PUT /lb/vips/{id}}: {@code {"vip": {name?, description?, pool_id?,
     * session_persistence?, connection_limit?, admin_state_up?}}}; {@code "session_persistence":
     * null} removes persistence, leaving it out keeps it.
     */
    public VipUpdate readVipUpdate(String json) {
        return WireRequest.VIP_UPDATE.read(JsonText.parse(json));
    }

    // ------------------------------------------------------------------------------- document

    /**
     * Reads a load balancer document (see the class description for its shape and defaults).
     *
     * @param json the text
     * @return the load balancer, valid as a whole
     * @throws InvalidJsonException when the text is not well-formed JSON, is nested more than 20 levels deep, or is
     *     longer than {@link #MAX_DOCUMENT_CHARS}
     * @throws ValidationException listing every violation, with document paths such as
     *     {@code members[2].protocol_port}
     */
    public LoadBalancer readDocument(String json) {
        Objects.requireNonNull(json, "json");
        if (json.length() > MAX_DOCUMENT_CHARS) {
            throw new InvalidJsonException(1, 1, "", "the document has " + json.length() + " characters; at most "
                    + MAX_DOCUMENT_CHARS + " are read (about ten times a pool of 1000 members)");
        }
        return Readers.document(JsonText.parse(json));
    }
}
