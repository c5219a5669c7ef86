package org.lbaas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Which ids the service gave the objects of a deployed document. {@code LoadBalancerService}
 * assigns every object a new id, as Neutron did; the document keeps its own, so {@code update}
 * and {@code undeploy} find the deployed objects through this record
 * ({@code <state dir>/documents/<document pool id>.json}).
 *
 * @param documentPoolId the pool id written in the document
 * @param poolId the pool id the service assigned
 * @param vipId the VIP id the service assigned, if the document has a VIP
 * @param members service member id by document member id
 * @param monitors service health monitor id by document health monitor id
 */
record DeployedDocument(UUID documentPoolId, UUID poolId, Optional<UUID> vipId, Map<UUID, UUID> members,
                        Map<UUID, UUID> monitors) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    DeployedDocument {
        Objects.requireNonNull(documentPoolId, "documentPoolId");
        Objects.requireNonNull(poolId, "poolId");
        Objects.requireNonNull(vipId, "vipId");
        members = Map.copyOf(members);
        monitors = Map.copyOf(monitors);
    }

    static Path file(StateDir dir, UUID documentPoolId) {
        return dir.documents().resolve(documentPoolId + ".json");
    }

    void save(StateDir dir) {
        dir.createDirectories();
        ObjectNode root = JSON.createObjectNode();
        root.put("document_pool_id", documentPoolId.toString());
        root.put("pool_id", poolId.toString());
        vipId.ifPresentOrElse(v -> root.put("vip_id", v.toString()), () -> root.putNull("vip_id"));
        ObjectNode m = root.putObject("members");
        new java.util.TreeMap<>(members).forEach((k, v) -> m.put(k.toString(), v.toString()));
        ObjectNode h = root.putObject("health_monitors");
        new java.util.TreeMap<>(monitors).forEach((k, v) -> h.put(k.toString(), v.toString()));
        try {
            StateDir.writeAtomically(file(dir, documentPoolId), JSON.writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new StepFailedException("write " + file(dir, documentPoolId), e.toString(), e);
        }
    }

    void delete(StateDir dir) {
        try {
            Files.deleteIfExists(file(dir, documentPoolId));
        } catch (IOException e) {
            throw new StepFailedException("delete " + file(dir, documentPoolId), e.toString(), e);
        }
    }

    /** Returns the record of a document's pool id, if that document is deployed. */
    static Optional<DeployedDocument> load(StateDir dir, UUID documentPoolId) {
        return read(file(dir, documentPoolId));
    }

    /** Returns every record of the state directory. */
    static List<DeployedDocument> all(StateDir dir) {
        List<DeployedDocument> out = new ArrayList<>();
        if (!Files.isDirectory(dir.documents())) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir.documents(), "*.json")) {
            for (Path p : s) {
                read(p).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new StepFailedException("read " + dir.documents(), e.toString(), e);
        }
        return out;
    }

    /** Finds the record whose service or document pool id is {@code id}. */
    static Optional<DeployedDocument> byEitherId(StateDir dir, UUID id) {
        return all(dir).stream().filter(d -> d.poolId().equals(id) || d.documentPoolId().equals(id)).findFirst();
    }

    private static Optional<DeployedDocument> read(Path file) {
        try {
            JsonNode root = JSON.readTree(Files.readString(file));
            UUID doc = UUID.fromString(root.get("document_pool_id").asText());
            UUID pool = UUID.fromString(root.get("pool_id").asText());
            JsonNode vip = root.get("vip_id");
            Optional<UUID> vipId = vip == null || vip.isNull() ? Optional.empty() : Optional.of(UUID.fromString(vip.asText()));
            return Optional.of(new DeployedDocument(doc, pool, vipId, ids(root.get("members")), ids(root.get("health_monitors"))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new StepFailedException("read " + file, "not a record written by lbaas: " + e, e);
        }
    }

    private static Map<UUID, UUID> ids(JsonNode node) {
        Map<UUID, UUID> out = new LinkedHashMap<>();
        if (node != null) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.put(UUID.fromString(e.getKey()), UUID.fromString(e.getValue().asText()));
            }
        }
        return out;
    }
}
