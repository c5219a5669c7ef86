package org.lbaas.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.ApplyResult.Action;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Protocol;
import org.lbaas.model.Vip;

/**
 * The {@code json-files} driver. The directory is its data plane: a load balancer runs while its
 * file exists, and what it runs is what the file says ({@link #observe} reads the file back, it
 * does not trust memory). The documents hold only what a data plane needs, never statuses or
 * names ({@link #render}), so an update that changes neither rewrites nothing. Documents are
 * built and read as Jackson trees and replaced atomically (written to a temporary file, then
 * moved over the old one), so the device never reads half a document.
 *
 * <p>The device behind the files supports less than the model can express (which makes the
 * conformance kit check refusals): TCP and HTTP, round robin and least connections, source-IP and
 * HTTP-cookie persistence, TCP and HTTP monitors (two per pool), 100 members, connection limits up
 * to 50,000. It reports no traffic counters (always zero) and health from the configuration only.
 */
final class JsonFileDriver implements LoadBalancerDriver {

    static final Capabilities CAPABILITIES = new Capabilities(EnumSet.of(Protocol.TCP, Protocol.HTTP),
            EnumSet.of(LbMethod.ROUND_ROBIN, LbMethod.LEAST_CONNECTIONS),
            EnumSet.of(PersistenceType.SOURCE_IP, PersistenceType.HTTP_COOKIE),
            EnumSet.of(MonitorType.TCP, MonitorType.HTTP), 100, 2, 50_000, true);

    private static final Pattern FILE = Pattern.compile("([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.json");
    /** Reads and writes the documents: JSON trees, never strings pasted together or taken apart by hand. */
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectWriter PRETTY = JSON.writerWithDefaultPrettyPrinter();

    private final Path directory;
    private final Object lock = new Object();

    JsonFileDriver(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(desired, "desired");
        refuseUnsupported(desired);
        synchronized (lock) {
            return write(desired);
        }
    }

    /** Makes the file say what {@code lb} needs; never trusts the caller's idea of the previous state. */
    private ApplyResult write(LoadBalancer lb) {
        Path file = file(lb.id());
        if (!lb.isDeployable()) {
            return new ApplyResult(Action.UNDEPLOYED, delete(file) ? "file removed" : "no file");
        }
        ObjectNode document = render(lb);
        Optional<byte[]> current = read(file);
        if (current.flatMap(JsonFileDriver::parse).filter(document::equals).isPresent()) {
            return ApplyResult.of(Action.UNCHANGED);
        }
        try {
            Files.createDirectories(directory);
            Path temp = Files.createTempFile(directory, ".write-", ".tmp");
            try {
                Files.write(temp, PRETTY.writeValueAsBytes(document));
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw failure("the load balancer could not be written to its device", "writing " + file, e);
        }
        return ApplyResult.of(current.isPresent() ? Action.RELOADED : Action.DEPLOYED);
    }

    @Override
    public void remove(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        synchronized (lock) {
            delete(file(poolId));
        }
    }

    @Override
    public Optional<Observation> observe(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        Path file = file(poolId);
        Optional<byte[]> json;
        synchronized (lock) {
            json = read(file);
        }
        return json.map(bytes -> observation(parse(bytes).orElseThrow(() -> new DriverException(
                "the load balancer's state could not be read", "json-files: " + file + " is not a JSON document", true))));
    }

    @Override
    public ReconcileReport reconcile(Collection<LoadBalancer> desired) {
        Objects.requireNonNull(desired, "desired");
        Set<UUID> adopted = new TreeSet<>();
        Set<UUID> repaired = new TreeSet<>();
        Set<UUID> removed = new TreeSet<>();
        Map<UUID, DriverException> failed = new HashMap<>();
        synchronized (lock) {
            Set<UUID> files = listFiles();
            for (LoadBalancer lb : desired) {
                try {
                    refuseUnsupported(lb);
                    Action a = write(lb).action();
                    if (a == Action.UNCHANGED) {
                        adopted.add(lb.id());
                    } else if (a == Action.UNDEPLOYED) {
                        if (files.contains(lb.id())) {
                            removed.add(lb.id());
                        }
                    } else {
                        repaired.add(lb.id());
                    }
                } catch (DriverException e) {
                    failed.put(lb.id(), e);
                }
            }
            Set<UUID> wanted = desired.stream().map(LoadBalancer::id).collect(Collectors.toSet());
            for (UUID orphan : files) {
                if (!wanted.contains(orphan)) {
                    delete(file(orphan));
                    removed.add(orphan);
                }
            }
        }
        return new ReconcileReport(adopted, repaired, removed, failed);
    }

    @Override
    public void close() {
        // nothing held: every call opens and closes its files
    }

    private Path file(UUID poolId) {
        return directory.resolve(poolId + ".json");
    }

    private Set<UUID> listFiles() {
        Set<UUID> ids = new TreeSet<>();
        if (!Files.isDirectory(directory)) {
            return ids;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory, "*.json")) {
            for (Path p : dir) {
                Matcher m = FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    ids.add(UUID.fromString(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw failure("the load balancers could not be listed", "listing " + directory, e);
        }
        return ids;
    }

    private Optional<byte[]> read(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw failure("the load balancer's state could not be read", "reading " + file, e);
        }
    }

    private boolean delete(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw failure("the load balancer could not be removed from its device", "deleting " + file, e);
        }
    }

    private static DriverException failure(String tenantMessage, String what, IOException e) {
        return new DriverException(tenantMessage, "json-files: " + what + " failed: " + e, true, e);
    }

    private static void refuseUnsupported(LoadBalancer lb) {
        CAPABILITIES.requireSupported(lb, "json-files");
    }

    /** The document in {@code json}, or empty when it is not a JSON object (a file someone else broke: rewritten on apply). */
    private static Optional<JsonNode> parse(byte[] json) {
        try {
            return Optional.of(JSON.readTree(json)).filter(JsonNode::isObject);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("reading JSON from memory cannot fail", e);
        }
    }

    /** What the device serves, read back from its document: health from the configuration only, no counters. */
    private static Observation observation(JsonNode document) {
        boolean monitored = false;
        for (JsonNode monitor : document.path("monitors")) {
            monitored |= monitor.path("admin_state_up").asBoolean(false);
        }
        Map<UUID, MemberHealth> health = new HashMap<>();
        for (JsonNode member : document.path("members")) {
            MemberHealth h;
            if (!member.path("admin_state_up").asBoolean(false)) {
                h = MemberHealth.MAINT;
            } else if (member.path("weight").asInt() == 0) {
                h = MemberHealth.DRAIN;
            } else {
                h = monitored ? MemberHealth.UP : MemberHealth.NO_MONITOR;
            }
            health.put(UUID.fromString(member.path("member").asText()), h);
        }
        return new Observation(PoolStats.ZERO, health, false);
    }

    /**
     * The document the device reads: what a data plane needs, never statuses or names.
     *
     * <pre>{@code
     * {"pool": "<uuid>", "protocol": "HTTP", "lb_method": "ROUND_ROBIN", "admin_state_up": true,
     *  "vip": {"address": "10.0.0.5", "prefix": 24, "port": 80, "connection_limit": -1, "persistence": "SOURCE_IP" | null},
     *  "members": [{"member": "<uuid>", "address": "10.0.1.7", "port": 8080, "weight": 1, "admin_state_up": true}],
     *  "monitors": [{"monitor": "<uuid>", "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 3,
     *                "admin_state_up": true, "check": "GET / 200" | null}]}
     * }</pre>
     */
    static ObjectNode render(LoadBalancer lb) {
        Vip vip = lb.vip().orElseThrow();
        ObjectNode document = JSON.createObjectNode()
                .put("pool", lb.id().toString())
                .put("protocol", lb.pool().protocol().name())
                .put("lb_method", lb.pool().lbMethod().name())
                .put("admin_state_up", lb.pool().adminStateUp());
        document.putObject("vip")
                .put("address", IpAddresses.toText(vip.address()))
                .put("prefix", lb.subnet().cidr().prefixLength())
                .put("port", vip.protocolPort())
                .put("connection_limit", vip.connectionLimit())
                .put("persistence", vip.sessionPersistence().map(sp -> sp.type().name()).orElse(null));
        ArrayNode members = document.putArray("members");
        for (Member m : lb.members()) {
            members.addObject()
                    .put("member", m.id().toString())
                    .put("address", IpAddresses.toText(m.address()))
                    .put("port", m.protocolPort())
                    .put("weight", m.weight())
                    .put("admin_state_up", m.adminStateUp());
        }
        ArrayNode monitors = document.putArray("monitors");
        for (HealthMonitor hm : lb.healthMonitors()) {
            monitors.addObject()
                    .put("monitor", hm.id().toString())
                    .put("type", hm.type().name())
                    .put("delay", hm.delay())
                    .put("timeout", hm.timeout())
                    .put("max_retries", hm.maxRetries())
                    .put("admin_state_up", hm.adminStateUp())
                    .put("check", hm.httpCheck().map(c -> c.method() + " " + c.urlPath() + " " + c.expectedCodes().spec())
                            .orElse(null));
        }
        return document;
    }
}
