package org.lbaas.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.lbaas.api.json.InvalidJsonException;
import org.lbaas.api.json.internal.Fields;
import org.lbaas.api.json.internal.JsonText;
import org.lbaas.api.json.internal.Readers;
import org.lbaas.api.json.internal.WireShape;
import org.lbaas.api.json.internal.Writers;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.Member;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Violations;
import org.lbaas.model.Vip;

/**
 * The file store's documents: the Neutron v1 wire nodes (written and read by
 * {@link org.lbaas.api.json.internal.Writers} and {@link org.lbaas.api.json.internal.Readers}, as
 * for the API) in a small versioned envelope.
 *
 * <p>Format {@value #FORMAT}, written:
 * <pre>{@code
 * {"format": 3, "revision": 42, "pool": {<GET /lb/pools/{id}>}, "pool_subnet": {<subnet>},
 *  "vip": {<vip>}, "vip_subnet": {<subnet>}, "instance_addresses": ["10.0.0.3", ...],
 *  "members": [{<member>}, ...]}
 * {"format": 3, "health_monitor": {<monitor, without pools>}}
 * }</pre>
 * The pool's associations are its {@code health_monitors_status}; its {@code members} and
 * {@code vip_id} must name the document's members and VIP. {@code vip}, {@code vip_subnet} and
 * {@code instance_addresses} (the load balancer's
 * {@link org.lbaas.model.LoadBalancer#instanceAddresses()}, in ordinal order, not part of the VIP's
 * wire node) are absent when the pool has no VIP; {@code instance_addresses} is written with every
 * VIP, empty when the driver needs none.
 *
 * <p>Format {@value #FORMAT_2}, still read: format 3 without {@code instance_addresses}. Its VIPs
 * have no instance addresses; the service allocates them when it loads the store
 * ({@code Recovery}) if its driver needs any.
 *
 * <p>Format {@value #FORMAT_1}, still read: the same envelope with the pool's own attributes only,
 * the associations in a top-level {@code health_monitors_status} ({@code [{pool_id, monitor_id,
 * status, status_description}]}), and nodes that leave out what is absent (a subnet's
 * {@code gateway_ip}, a VIP's {@code session_persistence}, a PING or TCP monitor's HTTP
 * attributes). The wire readers accept both.
 *
 * <p>Reading is strict: anything that is not well-formed JSON, another format, an unknown or
 * mistyped attribute, or a broken rule is an {@link IOException} listing every violation with its
 * path ({@code pool.lb_method}).
 */
final class StoreCodec {

    /** The layout written; a reader refuses any other than this, {@link #FORMAT_2} and {@link #FORMAT_1}. */
    static final int FORMAT = 3;
    /** The layout before the store held instance addresses. */
    static final int FORMAT_2 = 2;
    /** The layout before the store held wire nodes. */
    static final int FORMAT_1 = 1;

    /** Jackson's default indentation ({@code "key" : value}), as format 1 was printed. */
    private static final ObjectMapper PRINTER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StoreCodec() {
    }

    static byte[] write(StoredLoadBalancer lb) {
        ObjectNode root = envelope();
        root.put("revision", lb.revision());
        List<UUID> monitorIds = lb.associations().stream().map(PoolMonitorAssociation::monitorId).toList();
        root.set("pool", Writers.pool(new PoolView(lb.pool(), lb.members().stream().map(Member::id).toList(), monitorIds,
                lb.associations(), lb.vip().map(Vip::id))));
        root.set("pool_subnet", Writers.subnet(lb.poolSubnet()));
        lb.vip().ifPresent(v -> root.set("vip", Writers.vip(v)));
        lb.vipSubnet().ifPresent(s -> root.set("vip_subnet", Writers.subnet(s)));
        if (lb.vip().isPresent()) {
            ArrayNode addresses = root.putArray("instance_addresses");
            lb.instanceAddresses().forEach(a -> addresses.add(IpAddresses.toText(a)));
        }
        root.set("members", WireShape.MEMBER.nodes(lb.members()));
        return bytes(root);
    }

    static byte[] write(HealthMonitor m) {
        ObjectNode root = envelope();
        root.set("health_monitor", Writers.healthMonitorAttributes(m));
        return bytes(root);
    }

    static StoredLoadBalancer readLoadBalancer(byte[] json) throws IOException {
        return read(json, "load balancer", StoreCodec::loadBalancer);
    }

    static HealthMonitor readHealthMonitor(byte[] json) throws IOException {
        return read(json, "health monitor", (root, format) ->
                root.require("health_monitor", n -> root.object(n, "health monitor")).flatMap(Readers::healthMonitor));
    }

    private interface Reader<T> {
        Optional<T> read(Fields root, int format);
    }

    private static <T> T read(byte[] json, String kind, Reader<T> reader) throws IOException {
        JsonNode tree;
        try {
            tree = JsonText.parse(new String(json, StandardCharsets.UTF_8));
        } catch (InvalidJsonException e) {
            throw new IOException(e.getMessage(), e);
        }
        JsonNode format = tree.path("format");
        if (!format.isInt() || (format.intValue() != FORMAT && format.intValue() != FORMAT_2
                && format.intValue() != FORMAT_1)) {
            throw new IOException("format: expected " + FORMAT + " (or the older " + FORMAT_2 + " or " + FORMAT_1 + "), found "
                    + (tree.has("format") ? tree.get("format") : "none"));
        }
        Violations violations = new Violations();
        try {
            Optional<T> result = Fields.object(tree, "", "store document", violations).flatMap(root -> {
                root.has("format");
                Optional<T> read = reader.read(root, format.intValue());
                root.finish();
                return read;
            });
            violations.throwIfAny();
            return result.orElseThrow(() -> new IOException("no " + kind + " could be read"));
        } catch (IllegalArgumentException e) { // a ValidationException, or a StoredLoadBalancer rule
            throw new IOException("format " + format.intValue() + " " + kind + ": " + e.getMessage(), e);
        }
    }

    private static Optional<StoredLoadBalancer> loadBalancer(Fields root, int format) {
        Optional<Long> revision = root.require("revision", root::longInteger);
        Optional<PoolView> pool = root.require("pool", n -> root.object(n, "pool")).flatMap(Readers::poolView);
        Optional<Subnet> poolSubnet = root.require("pool_subnet", n -> root.object(n, "subnet")).flatMap(Readers::subnet);
        Optional<Vip> vip = root.object("vip", "vip").flatMap(Readers::vip);
        Optional<Subnet> vipSubnet = root.object("vip_subnet", "subnet").flatMap(Readers::subnet);
        List<InetAddress> instanceAddresses = format == FORMAT
                ? root.orDefault("instance_addresses", root::ips, List.of()).orElse(List.of()) : List.of();
        if (vip.isEmpty() && !instanceAddresses.isEmpty()) {
            root.fail("instance_addresses", instanceAddresses.stream().map(IpAddresses::toText).toList(),
                    "must be absent when the document has no vip: instance addresses are allocated with a vip");
        }
        List<Member> members = all(root, "members", "member", Readers::member);
        List<PoolMonitorAssociation> associations = format == FORMAT_1
                ? all(root, "health_monitors_status", "health monitor association", StoreCodec::association)
                : pool.map(PoolView::healthMonitorsStatus).orElse(List.of());
        if (format != FORMAT_1 && pool.isPresent()) {
            List<UUID> memberIds = members.stream().map(Member::id).toList();
            if (!pool.get().memberIds().equals(memberIds)) {
                root.fail("pool.members", pool.get().memberIds(), "must list the document's members " + memberIds);
            }
            if (!pool.get().vipId().equals(vip.map(Vip::id))) {
                root.fail("pool.vip_id", pool.get().vipId().orElse(null), "must be the id of the document's vip");
            }
        }
        if (!root.ok() || revision.isEmpty() || pool.isEmpty() || poolSubnet.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StoredLoadBalancer(revision.get(), pool.get().pool(), poolSubnet.get(), vip, vipSubnet,
                members, associations, instanceAddresses));
    }

    /** A required list of objects, each read by the reader; what fails is recorded and left out. */
    private static <T> List<T> all(Fields root, String name, String kind, Function<Fields, Optional<T>> reader) {
        return root.require(name, n -> root.items(n, kind)).orElse(List.of()).stream()
                .flatMap(Optional::stream).map(reader).flatMap(Optional::stream).toList();
    }

    /** Format 1's {@code {pool_id, monitor_id, status, status_description}}. */
    private static Optional<PoolMonitorAssociation> association(Fields f) {
        Optional<UUID> pool = f.require("pool_id", f::uuid);
        Optional<UUID> monitor = f.require("monitor_id", f::uuid);
        Optional<Status> status = f.require("status", n -> f.enumValue(Status.class, n));
        Optional<String> why = f.require("status_description", f::string);
        f.finish();
        if (!f.ok()) {
            return Optional.empty();
        }
        return f.build(() -> new PoolMonitorAssociation(pool.orElseThrow(), monitor.orElseThrow(), status.orElseThrow(),
                why.orElseThrow()));
    }

    private static ObjectNode envelope() {
        ObjectNode root = PRINTER.createObjectNode();
        root.put("format", FORMAT);
        return root;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return PRINTER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }
}
