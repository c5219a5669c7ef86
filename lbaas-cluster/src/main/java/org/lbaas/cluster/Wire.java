package org.lbaas.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.lbaas.api.json.NeutronJson;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.InstanceStatus;
import org.lbaas.driver.spi.Observation;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Protocol;

/**
 * The JSON of the cluster's znodes: snake_case keys and {@code "format": 1} in every document.
 * Reading is strict: a missing, unknown or mistyped field, or another format, is a
 * {@link MalformedZnodeException} naming the znode's path and what is wrong.
 */
final class Wire {

    static final int FORMAT = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final NeutronJson NEUTRON = NeutronJson.standard();

    private Wire() {
    }

    // ---- writing

    static byte[] write(WorkItem w) {
        ObjectNode o = start();
        o.put("generation", w.generation());
        o.put("instances", w.instances());
        o.put("store_version", w.storeVersion());
        if (w.loadBalancer().isPresent()) {
            o.set("load_balancer", tree(NEUTRON.writeDocument(w.loadBalancer().get())));
        } else {
            o.putNull("load_balancer");
        }
        // the document leaves the instance addresses out; an active/standby pair needs them on both agents
        ArrayNode addresses = o.putArray("instance_addresses");
        w.loadBalancer().ifPresent(lb -> lb.instanceAddresses().forEach(a -> addresses.add(IpAddresses.toText(a))));
        return bytes(o);
    }

    static byte[] write(AgentInfo a) {
        ObjectNode o = start();
        o.put("agent_id", a.agentId());
        o.put("driver", a.driver());
        Capabilities c = a.capabilities();
        ObjectNode caps = o.putObject("capabilities");
        names(caps.putArray("protocols"), c.protocols());
        names(caps.putArray("lb_methods"), c.lbMethods());
        names(caps.putArray("persistence_types"), c.persistenceTypes());
        names(caps.putArray("monitor_types"), c.monitorTypes());
        caps.put("max_members", c.maxMembers());
        caps.put("max_monitors_per_pool", c.maxMonitorsPerPool());
        caps.put("max_connection_limit", c.maxConnectionLimit());
        caps.put("ipv6", c.ipv6());
        caps.put("instance_addresses", c.instanceAddresses());
        o.put("started_at", a.startedAt().toEpochMilli());
        return bytes(o);
    }

    static byte[] write(Placement p) {
        ObjectNode o = start();
        ArrayNode agents = o.putArray("agents");
        p.agents().forEach(agents::add);
        return bytes(o);
    }

    static byte[] write(Report r) {
        ObjectNode o = start();
        o.put("generation", r.generation());
        o.put("ordinal", r.ordinal());
        o.put("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT));
        if (r.action().isPresent()) {
            o.put("action", r.action().get().name());
        } else {
            o.putNull("action");
        }
        o.put("tenant_message", r.tenantMessage());
        o.put("operator_message", r.operatorMessage());
        if (r.observation().isPresent()) {
            o.set("observation", observation(r.observation().get()));
        } else {
            o.putNull("observation");
        }
        o.put("at", r.at().toEpochMilli());
        return bytes(o);
    }

    private static ObjectNode observation(Observation ob) {
        ObjectNode o = MAPPER.createObjectNode();
        ObjectNode stats = o.putObject("stats");
        stats.put("bytes_in", ob.stats().bytesIn());
        stats.put("bytes_out", ob.stats().bytesOut());
        stats.put("active_connections", ob.stats().activeConnections());
        stats.put("total_connections", ob.stats().totalConnections());
        ObjectNode health = o.putObject("member_health");
        ob.memberHealth().forEach((id, h) -> health.put(id.toString(), h.name()));
        o.put("counters_reset", ob.countersReset());
        ArrayNode instances = o.putArray("instances");
        for (InstanceStatus i : ob.instances()) {
            ObjectNode n = instances.addObject();
            n.put("name", i.name());
            n.put("role", i.role().name());
            if (i.since().isPresent()) {
                n.put("since", i.since().get().toEpochMilli());
            } else {
                n.putNull("since");
            }
        }
        return o;
    }

    // ---- reading

    static WorkItem readWork(String path, byte[] data) {
        Reader r = new Reader(path, data, "generation", "instances", "load_balancer", "instance_addresses", "store_version?");
        JsonNode lb = r.node.get("load_balancer");
        JsonNode addressList = r.node.get("instance_addresses");
        if (!addressList.isArray() || (lb.isNull() && !addressList.isEmpty())) {
            throw r.bad("instance_addresses must be an array of IP literals, empty without a load balancer: " + addressList);
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (JsonNode a : addressList) {
            addresses.add(IpAddresses.parse(a.isTextual() ? a.asText() : "")
                    .orElseThrow(() -> r.bad("instance_addresses must hold IP literals, found " + a)));
        }
        Optional<LoadBalancer> loadBalancer = Optional.empty();
        if (!lb.isNull()) {
            if (!lb.isObject()) {
                throw r.bad("load_balancer must be an object or null");
            }
            try {
                loadBalancer = Optional.of(NEUTRON.readDocument(lb.toString()).withInstanceAddresses(addresses));
            } catch (RuntimeException e) {
                throw new MalformedZnodeException(path, "load_balancer is not a load balancer document: " + e.getMessage(), e);
            }
        }
        long generation = r.number(r.node, "generation");
        long instances = r.number(r.node, "instances");
        Optional<LoadBalancer> document = loadBalancer;
        long storeVersion = r.node.has("store_version") ? r.number(r.node, "store_version") : -1;
        return r.build(() -> new WorkItem(generation, Math.toIntExact(instances), document, storeVersion));
    }

    static AgentInfo readAgent(String path, byte[] data) {
        Reader r = new Reader(path, data, "agent_id", "driver", "capabilities", "started_at");
        JsonNode c = r.object(r.node, "capabilities");
        r.exactly(c, "capabilities", Set.of("protocols", "lb_methods", "persistence_types", "monitor_types", "max_members",
                "max_monitors_per_pool", "max_connection_limit", "ipv6", "instance_addresses"));
        Capabilities caps = r.build(() -> new Capabilities(r.enums(c, "protocols", Protocol.class),
                r.enums(c, "lb_methods", LbMethod.class), r.enums(c, "persistence_types", PersistenceType.class),
                r.enums(c, "monitor_types", MonitorType.class), Math.toIntExact(r.number(c, "max_members")),
                Math.toIntExact(r.number(c, "max_monitors_per_pool")), Math.toIntExact(r.number(c, "max_connection_limit")),
                r.bool(c, "ipv6"), Math.toIntExact(r.number(c, "instance_addresses"))));
        String id = r.text(r.node, "agent_id");
        if (!id.equals(ZnodePaths.name(path))) {
            throw r.bad("agent_id '" + id + "' differs from the znode's name");
        }
        return r.build(() -> new AgentInfo(id, r.text(r.node, "driver"), caps,
                Instant.ofEpochMilli(r.number(r.node, "started_at"))));
    }

    static Placement readPlacement(String path, byte[] data) {
        Reader r = new Reader(path, data, "agents");
        JsonNode agents = r.node.get("agents");
        if (!agents.isArray()) {
            throw r.bad("agents must be an array of agent ids");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode a : agents) {
            if (!a.isTextual()) {
                throw r.bad("agents must be an array of agent ids, found " + a);
            }
            ids.add(a.asText());
        }
        return r.build(() -> new Placement(ids));
    }

    static Report readReport(String path, byte[] data) {
        Reader r = new Reader(path, data, "generation", "ordinal", "outcome", "action", "tenant_message", "operator_message",
                "observation", "at");
        String outcome = r.text(r.node, "outcome");
        Report.Outcome o = switch (outcome) {
            case "applied" -> Report.Outcome.APPLIED;
            case "removed" -> Report.Outcome.REMOVED;
            case "failed" -> Report.Outcome.FAILED;
            default -> throw r.bad("outcome must be applied, removed or failed: '" + outcome + "'");
        };
        JsonNode action = r.node.get("action");
        Optional<ApplyResult.Action> a = action.isNull() ? Optional.empty()
                : Optional.of(r.constant(ApplyResult.Action.class, action, "action"));
        JsonNode ob = r.node.get("observation");
        Optional<Observation> observation = ob.isNull() ? Optional.empty() : Optional.of(readObservation(r, r.object(r.node, "observation")));
        return r.build(() -> new Report(r.number(r.node, "generation"), Math.toIntExact(r.number(r.node, "ordinal")), o, a,
                r.text(r.node, "tenant_message"), r.text(r.node, "operator_message"), observation,
                Instant.ofEpochMilli(r.number(r.node, "at"))));
    }

    private static Observation readObservation(Reader r, JsonNode o) {
        r.exactly(o, "observation", Set.of("stats", "member_health", "counters_reset", "instances"));
        JsonNode s = r.object(o, "stats");
        r.exactly(s, "stats", Set.of("bytes_in", "bytes_out", "active_connections", "total_connections"));
        PoolStats stats = r.build(() -> new PoolStats(r.number(s, "bytes_in"), r.number(s, "bytes_out"),
                r.number(s, "active_connections"), r.number(s, "total_connections")));
        Map<UUID, MemberHealth> health = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : r.object(o, "member_health").properties()) {
            UUID id = ZnodePaths.poolId(e.getKey());
            if (id == null) {
                throw r.bad("member_health key is not a member id: '" + e.getKey() + "'");
            }
            health.put(id, r.constant(MemberHealth.class, e.getValue(), "member_health"));
        }
        JsonNode instances = o.get("instances");
        if (!instances.isArray()) {
            throw r.bad("observation.instances must be an array");
        }
        List<InstanceStatus> list = new ArrayList<>();
        for (JsonNode i : instances) {
            if (!i.isObject()) {
                throw r.bad("observation.instances holds objects");
            }
            r.exactly(i, "instance", Set.of("name", "role", "since"));
            JsonNode since = i.get("since");
            list.add(new InstanceStatus(r.text(i, "name"), r.constant(InstanceStatus.Role.class, i.get("role"), "role"),
                    since.isNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(r.number(i, "since")))));
        }
        return r.build(() -> new Observation(stats, health, r.bool(o, "counters_reset"), list));
    }

    // ---- helpers

    private static ObjectNode start() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("format", FORMAT);
        return o;
    }

    private static void names(ArrayNode array, Set<? extends Enum<?>> values) {
        values.stream().map(Enum::name).sorted().forEach(array::add);
    }

    private static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the load balancer document is not JSON", e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads one document strictly; every failure names the znode's path. */
    private static final class Reader {

        final String path;
        final JsonNode node;

        Reader(String path, byte[] data, String... fields) {
            this.path = path;
            if (data == null || data.length == 0) {
                throw new MalformedZnodeException(path, "empty, expected a JSON document", null);
            }
            try {
                this.node = MAPPER.readTree(new String(data, StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new MalformedZnodeException(path, "not JSON: " + e.getOriginalMessage(), e);
            }
            if (node == null || !node.isObject()) {
                throw bad("expected a JSON object");
            }
            JsonNode format = node.get("format");
            if (format == null || !format.isInt() || format.asInt() != FORMAT) {
                throw bad("format must be " + FORMAT + ", found " + format);
            }
            Set<String> expected = new java.util.HashSet<>();
            for (String f : fields) { // "name?": optional
                String name = f.endsWith("?") ? f.substring(0, f.length() - 1) : f;
                if (!f.endsWith("?") || node.has(name)) {
                    expected.add(name);
                }
            }
            expected.add("format");
            exactly(node, "document", expected);
        }

        MalformedZnodeException bad(String reason) {
            return new MalformedZnodeException(path, reason, null);
        }

        void exactly(JsonNode o, String what, Set<String> fields) {
            Set<String> found = new java.util.TreeSet<>();
            o.fieldNames().forEachRemaining(found::add);
            if (!found.equals(new java.util.TreeSet<>(fields))) {
                Set<String> missing = new java.util.TreeSet<>(fields);
                missing.removeAll(found);
                found.removeAll(fields);
                throw bad(what + " must have exactly the fields " + new java.util.TreeSet<>(fields) + "; missing " + missing
                        + ", unknown " + found);
            }
        }

        JsonNode object(JsonNode o, String field) {
            JsonNode v = o.get(field);
            if (v == null || !v.isObject()) {
                throw bad(field + " must be an object");
            }
            return v;
        }

        long number(JsonNode o, String field) {
            JsonNode v = o.get(field);
            if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
                throw bad(field + " must be an integer, found " + v);
            }
            return v.asLong();
        }

        String text(JsonNode o, String field) {
            JsonNode v = o.get(field);
            if (v == null || !v.isTextual()) {
                throw bad(field + " must be a string, found " + v);
            }
            return v.asText();
        }

        boolean bool(JsonNode o, String field) {
            JsonNode v = o.get(field);
            if (v == null || !v.isBoolean()) {
                throw bad(field + " must be true or false, found " + v);
            }
            return v.asBoolean();
        }

        <E extends Enum<E>> E constant(Class<E> type, JsonNode v, String field) {
            if (v == null || !v.isTextual()) {
                throw bad(field + " must be one of " + EnumSet.allOf(type) + ", found " + v);
            }
            try {
                return Enum.valueOf(type, v.asText());
            } catch (IllegalArgumentException e) {
                throw bad(field + " must be one of " + EnumSet.allOf(type) + ", found " + v);
            }
        }

        <E extends Enum<E>> Set<E> enums(JsonNode o, String field, Class<E> type) {
            JsonNode v = o.get(field);
            if (v == null || !v.isArray()) {
                throw bad(field + " must be an array");
            }
            Set<E> out = EnumSet.noneOf(type);
            v.forEach(e -> out.add(constant(type, e, field)));
            return out;
        }

        /** Builds a value, turning a refused record (a bad generation, agent id...) into a malformed znode. */
        <T> T build(java.util.function.Supplier<T> value) {
            try {
                return value.get();
            } catch (MalformedZnodeException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new MalformedZnodeException(path, e.getMessage(), e);
            }
        }
    }
}
