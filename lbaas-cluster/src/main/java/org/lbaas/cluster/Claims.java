package org.lbaas.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.curator.utils.ZKPaths;
import org.lbaas.api.StoredLoadBalancer;
import org.lbaas.model.Vip;

/**
 * What a load balancer's document claims across documents, one znode per claim, so that two
 * controllers never give one address or port to two VIPs: under {@code <root>/store/claims}
 * <pre>
 * &lt;subnet id&gt;/&lt;address&gt;   the VIP's address and its instance addresses (one namespace per subnet)
 * ports/&lt;port id&gt;          the VIP's port
 * </pre>
 * A claim holds {@code {"format":1,"vip_id":…,"pool_id":…}}: it belongs to the VIP, so a VIP
 * moved to another pool keeps its claims (the new pool's write takes them over). The repository
 * creates, takes over and deletes claims in the same ZooKeeper transaction as the document.
 */
final class Claims {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One claim: its znode and what it claims, for messages. */
    record Claim(String path, String what) {
    }

    /** Who holds a claim. */
    record Owner(UUID vipId, UUID poolId) {
    }

    private final String base;

    Claims(String root) {
        this.base = ZKPaths.makePath(root, "store", "claims");
    }

    String base() {
        return base;
    }

    /** Returns the claims of a document by znode path (none without a VIP). */
    Map<String, Claim> of(StoredLoadBalancer lb) {
        Map<String, Claim> out = new LinkedHashMap<>();
        if (lb.vip().isEmpty()) {
            return out;
        }
        Vip vip = lb.vip().get();
        String subnet = vip.subnetId().toString();
        add(out, ZKPaths.makePath(base, subnet, name(vip.address())), "address " + name(vip.address()) + " on subnet " + subnet);
        for (InetAddress a : lb.instanceAddresses()) {
            add(out, ZKPaths.makePath(base, subnet, name(a)), "instance address " + name(a) + " on subnet " + subnet);
        }
        add(out, ZKPaths.makePath(base, "ports", vip.portId().toString()), "port " + vip.portId());
        return out;
    }

    private static void add(Map<String, Claim> out, String path, String what) {
        out.putIfAbsent(path, new Claim(path, what));
    }

    private static String name(InetAddress a) {
        return a.getHostAddress();
    }

    static byte[] write(Owner owner) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("format", 1);
        o.put("vip_id", owner.vipId().toString());
        o.put("pool_id", owner.poolId().toString());
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a claim's holder; empty when the znode is not a claim this version reads. */
    static Optional<Owner> read(byte[] data) {
        try {
            JsonNode n = MAPPER.readTree(data == null ? new byte[0] : data);
            if (n == null || !n.path("format").isInt() || n.path("format").asInt() != 1) {
                return Optional.empty();
            }
            return Optional.of(new Owner(UUID.fromString(n.path("vip_id").asText()), UUID.fromString(n.path("pool_id").asText())));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
