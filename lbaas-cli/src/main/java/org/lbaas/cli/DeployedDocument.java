package org.lbaas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * A record of the {@code documents/} folder that older versions of lbaas kept: they deployed a
 * document under ids the service assigned, and noted here which ids each document's objects got
 * ({@code <state dir>/documents/<document pool id>.json}). lbaas now deploys a document under its
 * own ids and keeps no such record. A state directory that still has records is not migrated
 * (its load balancers run under the assigned ids, in namespaces named after them): {@code deploy}
 * and {@code update} refuse it and say what to do ({@link #refuseLegacy}); {@code undeploy},
 * {@code status}, {@code stats} and {@code reconcile} still work and {@code undeploy} deletes the
 * record of what it removes, and the folder with the last one.
 *
 * @param documentPoolId the pool id written in the document
 * @param poolId the pool id the service assigned
 * @param vipId the VIP id the service assigned, if the document has a VIP
 * @param members service member id by document member id
 * @param monitors service health monitor id by document health monitor id
 */
record DeployedDocument(UUID documentPoolId, UUID poolId, Optional<UUID> vipId, Map<UUID, UUID> members,
                        Map<UUID, UUID> monitors) {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    void delete(StateDir dir) {
        try {
            Files.deleteIfExists(file(dir, documentPoolId));
            try (java.util.stream.Stream<Path> left = Files.list(dir.documents())) {
                if (left.findAny().isEmpty()) {
                    Files.deleteIfExists(dir.documents());
                }
            }
        } catch (IOException e) {
            throw new StepFailedException("delete " + file(dir, documentPoolId), e.toString(), e);
        }
    }

    /**
     * Refuses a state directory that still holds records of an older lbaas.
     *
     * @param dir the state directory
     * @param command the command, first word of the message
     * @throws StepFailedException with one line saying what to do
     */
    static void refuseLegacy(StateDir dir, String command) {
        List<DeployedDocument> all = all(dir);
        if (!all.isEmpty()) {
            throw new StepFailedException(command + ": " + dir.documents(), "written by an older lbaas, which deployed "
                    + Describe.plural(all.size(), "document") + " under ids of its own (pool " + all.get(0).poolId()
                    + (all.size() > 1 ? ", ..." : "") + "); remove each with 'lbaas undeploy POOL_ID' (the pools 'lbaas status'"
                    + " lists), which deletes documents/ with the last one, then deploy the documents again");
        }
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
