package org.lbaas.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LbMethod;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * The file store's own JSON form of the stored documents, written with Jackson's tree model (no
 * reflection, so nothing has to be opened to Jackson). Field names follow Neutron's. Reading is
 * strict: a missing or mistyped field is an {@link IOException} naming it.
 */
final class StoreCodec {

    /** The version of the document layout; a reader refuses any other. */
    static final int FORMAT = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StoreCodec() {
    }

    static byte[] write(StoredLoadBalancer lb) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("revision", lb.revision());
        root.set("pool", pool(lb.pool()));
        root.set("pool_subnet", subnet(lb.poolSubnet()));
        lb.vip().ifPresent(v -> root.set("vip", vip(v)));
        lb.vipSubnet().ifPresent(s -> root.set("vip_subnet", subnet(s)));
        ArrayNode members = root.putArray("members");
        lb.members().forEach(m -> members.add(member(m)));
        ArrayNode assocs = root.putArray("health_monitors_status");
        for (PoolMonitorAssociation a : lb.associations()) {
            ObjectNode n = assocs.addObject();
            n.put("pool_id", a.poolId().toString());
            n.put("monitor_id", a.monitorId().toString());
            n.put("status", a.status().name());
            n.put("status_description", a.statusDescription());
        }
        return bytes(root);
    }

    static byte[] write(HealthMonitor m) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        ObjectNode n = root.putObject("health_monitor");
        n.put("id", m.id().toString());
        n.put("tenant_id", m.tenantId());
        n.put("type", m.type().name());
        n.put("delay", m.delay());
        n.put("timeout", m.timeout());
        n.put("max_retries", m.maxRetries());
        m.httpCheck().ifPresent(h -> {
            n.put("http_method", h.method().name());
            n.put("url_path", h.urlPath());
            n.put("expected_codes", h.expectedCodes().spec());
        });
        n.put("admin_state_up", m.adminStateUp());
        return bytes(root);
    }

    static StoredLoadBalancer readLoadBalancer(byte[] json) throws IOException {
        JsonNode root = root(json);
        Optional<Vip> vip = root.has("vip") ? Optional.of(vip(obj(root, "vip"))) : Optional.empty();
        Optional<Subnet> vipSubnet = root.has("vip_subnet") ? Optional.of(subnet(obj(root, "vip_subnet"))) : Optional.empty();
        List<Member> members = new ArrayList<>();
        for (JsonNode n : arr(root, "members")) {
            members.add(member(n));
        }
        List<PoolMonitorAssociation> assocs = new ArrayList<>();
        for (JsonNode n : arr(root, "health_monitors_status")) {
            assocs.add(new PoolMonitorAssociation(uuid(n, "pool_id"), uuid(n, "monitor_id"),
                    enumOf(Status.class, n, "status"), str(n, "status_description")));
        }
        try {
            return new StoredLoadBalancer(lng(root, "revision"), pool(obj(root, "pool")), subnet(obj(root, "pool_subnet")),
                    vip, vipSubnet, members, assocs);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    static HealthMonitor readHealthMonitor(byte[] json) throws IOException {
        JsonNode n = obj(root(json), "health_monitor");
        try {
            MonitorType type = enumOf(MonitorType.class, n, "type");
            HttpCheck check = null;
            if (n.has("http_method")) {
                check = new HttpCheck(enumOf(HttpMethod.class, n, "http_method"), str(n, "url_path"),
                        new ExpectedCodes(str(n, "expected_codes")));
            }
            return new HealthMonitor(uuid(n, "id"), str(n, "tenant_id"), type, integer(n, "delay"), integer(n, "timeout"),
                    integer(n, "max_retries"), Optional.ofNullable(check), bool(n, "admin_state_up"));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static ObjectNode pool(Pool p) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", p.id().toString());
        n.put("tenant_id", p.tenantId());
        n.put("name", p.name());
        n.put("description", p.description());
        n.put("subnet_id", p.subnetId().toString());
        n.put("protocol", p.protocol().name());
        n.put("lb_method", p.lbMethod().name());
        n.put("provider", p.provider());
        n.put("admin_state_up", p.adminStateUp());
        n.put("status", p.status().name());
        n.put("status_description", p.statusDescription());
        return n;
    }

    private static Pool pool(JsonNode n) throws IOException {
        try {
            return new Pool(uuid(n, "id"), str(n, "tenant_id"), str(n, "name"), str(n, "description"), uuid(n, "subnet_id"),
                    enumOf(Protocol.class, n, "protocol"), enumOf(LbMethod.class, n, "lb_method"), str(n, "provider"),
                    bool(n, "admin_state_up"), enumOf(Status.class, n, "status"), str(n, "status_description"));
        } catch (IllegalArgumentException e) {
            throw new IOException("pool: " + e.getMessage(), e);
        }
    }

    private static ObjectNode subnet(Subnet s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", s.id().toString());
        n.put("name", s.name());
        n.put("cidr", s.cidr().toString());
        s.gateway().ifPresent(g -> n.put("gateway_ip", IpAddresses.toText(g)));
        return n;
    }

    private static Subnet subnet(JsonNode n) throws IOException {
        try {
            Subnet s = Subnet.of(uuid(n, "id"), str(n, "cidr"), n.has("gateway_ip") ? str(n, "gateway_ip") : null);
            return new Subnet(s.id(), str(n, "name"), s.cidr(), s.gateway());
        } catch (IllegalArgumentException e) {
            throw new IOException("subnet: " + e.getMessage(), e);
        }
    }

    private static ObjectNode vip(Vip v) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", v.id().toString());
        n.put("tenant_id", v.tenantId());
        n.put("name", v.name());
        n.put("description", v.description());
        n.put("subnet_id", v.subnetId().toString());
        n.put("address", IpAddresses.toText(v.address()));
        n.put("port_id", v.portId().toString());
        n.put("protocol_port", v.protocolPort());
        n.put("protocol", v.protocol().name());
        n.put("pool_id", v.poolId().toString());
        v.sessionPersistence().ifPresent(sp -> {
            ObjectNode p = n.putObject("session_persistence");
            p.put("type", sp.type().name());
            sp.cookieName().ifPresent(c -> p.put("cookie_name", c));
        });
        n.put("connection_limit", v.connectionLimit());
        n.put("admin_state_up", v.adminStateUp());
        n.put("status", v.status().name());
        n.put("status_description", v.statusDescription());
        return n;
    }

    private static Vip vip(JsonNode n) throws IOException {
        try {
            SessionPersistence sp = null;
            if (n.has("session_persistence")) {
                JsonNode p = obj(n, "session_persistence");
                sp = new SessionPersistence(enumOf(PersistenceType.class, p, "type"),
                        p.has("cookie_name") ? Optional.of(str(p, "cookie_name")) : Optional.empty());
            }
            return new Vip(uuid(n, "id"), str(n, "tenant_id"), str(n, "name"), str(n, "description"), uuid(n, "subnet_id"),
                    IpAddresses.parse(str(n, "address"), "address"), uuid(n, "port_id"), integer(n, "protocol_port"),
                    enumOf(Protocol.class, n, "protocol"), uuid(n, "pool_id"), Optional.ofNullable(sp),
                    integer(n, "connection_limit"), bool(n, "admin_state_up"), enumOf(Status.class, n, "status"),
                    str(n, "status_description"));
        } catch (IllegalArgumentException e) {
            throw new IOException("vip: " + e.getMessage(), e);
        }
    }

    private static ObjectNode member(Member m) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", m.id().toString());
        n.put("tenant_id", m.tenantId());
        n.put("pool_id", m.poolId().toString());
        n.put("address", IpAddresses.toText(m.address()));
        n.put("protocol_port", m.protocolPort());
        n.put("weight", m.weight());
        n.put("admin_state_up", m.adminStateUp());
        n.put("status", m.status().name());
        n.put("status_description", m.statusDescription());
        return n;
    }

    private static Member member(JsonNode n) throws IOException {
        try {
            return new Member(uuid(n, "id"), str(n, "tenant_id"), uuid(n, "pool_id"),
                    IpAddresses.parse(str(n, "address"), "address"), integer(n, "protocol_port"), integer(n, "weight"),
                    bool(n, "admin_state_up"), enumOf(Status.class, n, "status"), str(n, "status_description"));
        } catch (IllegalArgumentException e) {
            throw new IOException("member: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    private static JsonNode root(byte[] json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException("not a JSON object");
        }
        if (!root.path("format").isInt() || root.get("format").intValue() != FORMAT) {
            throw new IOException("format: expected " + FORMAT + ", found " + root.get("format"));
        }
        return root;
    }

    private static JsonNode field(JsonNode n, String name) throws IOException {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw new IOException(name + ": missing");
        }
        return v;
    }

    private static JsonNode obj(JsonNode n, String name) throws IOException {
        JsonNode v = field(n, name);
        if (!v.isObject()) {
            throw new IOException(name + ": expected an object");
        }
        return v;
    }

    private static JsonNode arr(JsonNode n, String name) throws IOException {
        JsonNode v = field(n, name);
        if (!v.isArray()) {
            throw new IOException(name + ": expected an array");
        }
        return v;
    }

    private static String str(JsonNode n, String name) throws IOException {
        JsonNode v = field(n, name);
        if (!v.isTextual()) {
            throw new IOException(name + ": expected a string");
        }
        return v.textValue();
    }

    private static int integer(JsonNode n, String name) throws IOException {
        JsonNode v = field(n, name);
        if (!v.isInt()) {
            throw new IOException(name + ": expected an integer");
        }
        return v.intValue();
    }

    private static long lng(JsonNode n, String name) throws IOException {
        JsonNode v = field(n, name);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IOException(name + ": expected an integer");
        }
        return v.longValue();
    }

    private static boolean bool(JsonNode n, String name) throws IOException {
        JsonNode v = field(n, name);
        if (!v.isBoolean()) {
            throw new IOException(name + ": expected true or false");
        }
        return v.booleanValue();
    }

    private static UUID uuid(JsonNode n, String name) throws IOException {
        String s = str(n, name);
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": not a UUID: " + s, e);
        }
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, JsonNode n, String name) throws IOException {
        String s = str(n, name);
        for (E c : type.getEnumConstants()) {
            if (c.name().equals(s)) {
                return c;
            }
        }
        throw new IOException(name + ": unknown value " + s);
    }
}
