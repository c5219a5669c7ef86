package org.lbaas.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.lbaas.model.Violation;

/**
 * The {@code json-files} driver. The directory is its data plane: a load balancer runs while its
 * file exists, and what it runs is what the file says ({@link #observe} reads the file back, it
 * does not trust memory). The documents hold only what a data plane needs, never statuses or
 * names, so an update that changes neither rewrites nothing.
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
    private static final Pattern MEMBER = Pattern.compile(
            "\\{\"member\": \"([0-9a-f-]{36})\", .*\"weight\": (\\d+), \"admin_state_up\": (true|false)}");

    private static final Pattern ACTIVE_MONITOR = Pattern.compile("\\{\"monitor\": .*\"admin_state_up\": true");

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
        String json = render(lb);
        Optional<String> current = read(file);
        if (current.equals(Optional.of(json))) {
            return ApplyResult.of(Action.UNCHANGED);
        }
        try {
            Files.createDirectories(directory);
            Path temp = Files.createTempFile(directory, ".write-", ".tmp");
            Files.writeString(temp, json, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
        Optional<String> json;
        synchronized (lock) {
            json = read(file(poolId));
        }
        return json.map(JsonFileDriver::observation);
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

    private Optional<String> read(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
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
        List<Violation> unsupported = CAPABILITIES.unsupported(lb);
        if (!unsupported.isEmpty()) {
            String features = unsupported.stream().map(Violation::message).collect(Collectors.joining("; "));
            throw new DriverException("the load balancer needs what this driver does not support: " + features,
                    "json-files: refused pool " + lb.id() + ": " + features, false);
        }
    }

    private static Observation observation(String json) {
        boolean monitored = ACTIVE_MONITOR.matcher(json).find();
        Map<UUID, MemberHealth> health = new HashMap<>();
        Matcher m = MEMBER.matcher(json);
        while (m.find()) {
            MemberHealth h;
            if (m.group(3).equals("false")) {
                h = MemberHealth.MAINT;
            } else if (m.group(2).equals("0")) {
                h = MemberHealth.DRAIN;
            } else {
                h = monitored ? MemberHealth.UP : MemberHealth.NO_MONITOR;
            }
            health.put(UUID.fromString(m.group(1)), h);
        }
        return new Observation(PoolStats.ZERO, health, false);
    }

    /** The document: one line per member and per monitor, so it diffs well and reads back simply. */
    static String render(LoadBalancer lb) {
        Vip vip = lb.vip().orElseThrow();
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"pool\": ").append(quote(lb.id().toString())).append(",\n");
        sb.append("  \"protocol\": ").append(quote(lb.pool().protocol().name())).append(",\n");
        sb.append("  \"lb_method\": ").append(quote(lb.pool().lbMethod().name())).append(",\n");
        sb.append("  \"admin_state_up\": ").append(lb.pool().adminStateUp()).append(",\n");
        sb.append("  \"vip\": {\"address\": ").append(quote(IpAddresses.toText(vip.address())))
                .append(", \"prefix\": ").append(lb.subnet().cidr().prefixLength())
                .append(", \"port\": ").append(vip.protocolPort())
                .append(", \"connection_limit\": ").append(vip.connectionLimit())
                .append(", \"persistence\": ").append(vip.sessionPersistence().map(sp -> quote(sp.type().name())).orElse("null"))
                .append("},\n");
        sb.append("  \"members\": [");
        String sep = "\n";
        for (Member m : lb.members()) {
            sb.append(sep).append("    {\"member\": ").append(quote(m.id().toString()))
                    .append(", \"address\": ").append(quote(IpAddresses.toText(m.address())))
                    .append(", \"port\": ").append(m.protocolPort())
                    .append(", \"weight\": ").append(m.weight())
                    .append(", \"admin_state_up\": ").append(m.adminStateUp()).append('}');
            sep = ",\n";
        }
        sb.append(lb.members().isEmpty() ? "],\n" : "\n  ],\n");
        sb.append("  \"monitors\": [");
        sep = "\n";
        for (HealthMonitor hm : lb.healthMonitors()) {
            sb.append(sep).append("    {\"monitor\": ").append(quote(hm.id().toString()))
                    .append(", \"type\": ").append(quote(hm.type().name()))
                    .append(", \"delay\": ").append(hm.delay())
                    .append(", \"timeout\": ").append(hm.timeout())
                    .append(", \"max_retries\": ").append(hm.maxRetries())
                    .append(", \"admin_state_up\": ").append(hm.adminStateUp())
                    .append(", \"check\": ").append(hm.httpCheck().map(c -> quote(c.method() + " " + c.urlPath() + " "
                            + c.expectedCodes().spec())).orElse("null"))
                    .append('}');
            sep = ",\n";
        }
        sb.append(lb.healthMonitors().isEmpty() ? "]\n" : "\n  ]\n");
        return sb.append("}\n").toString();
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
