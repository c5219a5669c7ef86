package org.lbaas.driver.haproxy.internal.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.lbaas.driver.haproxy.internal.HostShell;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.Observation;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.PoolStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the driver reads and changes through an instance's stats socket: whether the process
 * serves ({@code show info}), its statistics ({@code show stat}, kept cumulative across the
 * processes an instance had) and runtime plans for member changes.
 *
 * <p>Statistics keep per-instance memory (the raw counters of the running process and what was
 * reported last); {@link #forget} drops it when an instance goes or is deployed anew.
 */
public final class RuntimeApi {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeApi.class);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DEL_SERVER_PATIENCE = Duration.ofSeconds(3);

    private final RuntimeClient client;
    private final Map<InstanceId, RawSnapshot> lastRaw = new ConcurrentHashMap<>();
    private final Map<InstanceId, PoolStats> lastReported = new ConcurrentHashMap<>();

    /** What the running process of an instance counted last time it was read. */
    private record RawSnapshot(long pid, PoolStats raw) {
    }

    /** @param client how the socket is reached */
    public RuntimeApi(RuntimeClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * Asks the socket which process answers.
     *
     * @param socket the stats socket
     * @param pid the process expected to answer
     * @return empty when the socket reports {@code pid}; otherwise why not
     */
    public Optional<String> notServedBy(Path socket, long pid) {
        try {
            String info = client.execute(socket, "show info", SOCKET_TIMEOUT);
            return info.lines().anyMatch(l -> l.equals("Pid: " + pid)) ? Optional.empty()
                    : Optional.of("socket answered for another process");
        } catch (IOException e) {
            return Optional.of("socket: " + e.getMessage());
        }
    }

    /**
     * Runs a runtime plan; a {@code del server} refused because the server still has connections
     * is retried for a few seconds.
     *
     * @param id the instance (for the log)
     * @param socket its stats socket
     * @param plan the plan
     * @return the refusal that makes a reload necessary, if any
     */
    public Optional<String> apply(InstanceId id, Path socket, RuntimePlan plan) {
        for (int i = 0; i < plan.commands().size(); i++) {
            String command = plan.commands().get(i);
            String expected = plan.expectations().get(i);
            long patience = command.startsWith("del server ") ? System.nanoTime() + DEL_SERVER_PATIENCE.toNanos() : 0;
            while (true) {
                String answer;
                try {
                    answer = client.execute(socket, command, SOCKET_TIMEOUT).strip();
                } catch (IOException e) {
                    return Optional.of("'" + command + "': " + e.getMessage());
                }
                if (answer.equals(expected)) {
                    break;
                }
                if (System.nanoTime() < patience) {
                    HostShell.pause(Duration.ofMillis(50));
                    continue;
                }
                return Optional.of("'" + command + "': " + answer);
            }
        }
        LOG.debug("instance {}: applied {} runtime command(s)", id, plan.commands().size());
        return Optional.empty();
    }

    /**
     * Reads the running process's counters before it is replaced, so that they can be carried.
     *
     * @param socket its stats socket
     * @return the counters; empty (logged) when they cannot be read
     */
    public Optional<PoolStats> readCounters(Path socket) {
        try {
            PoolStats raw = PoolStats.ZERO;
            for (StatRow row : StatCsv.parse(client.execute(socket, "show stat -1 2 -1", SOCKET_TIMEOUT))) {
                if (row.isBackend()) {
                    raw = raw.plus(new PoolStats(row.counter("bin"), row.counter("bout"), 0, row.counter("stot")));
                }
            }
            return Optional.of(raw);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("cannot read the counters of the process being replaced ({}); they will not be carried", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Reads statistics and member health of the running process {@code pid}: its counters plus
     * those carried from replaced processes, with {@code reset} set when a counter went down
     * since the last observation.
     *
     * @param id the instance
     * @param files its files
     * @param pid its running HAProxy
     * @return the observation
     * @throws DriverException (retryable) when the socket cannot be read or answers nonsense
     */
    public Observation observe(InstanceId id, InstanceFiles files, long pid) {
        String csv;
        try {
            csv = client.execute(files.socket(), "show stat -1 6 -1", SOCKET_TIMEOUT);
        } catch (IOException e) {
            throw new DriverException("the load balancer's statistics could not be read",
                    "reading show stat from " + files.socket() + " failed: " + e.getMessage(), true, e);
        }
        List<StatRow> rows;
        try {
            rows = StatCsv.parse(csv);
        } catch (IllegalArgumentException e) {
            throw new DriverException("the load balancer's statistics could not be read",
                    "unexpected answer to show stat from " + files.socket() + ": " + e.getMessage(), true, e);
        }
        PoolStats raw = PoolStats.ZERO;
        boolean backendSeen = false;
        Map<UUID, MemberHealth> health = new HashMap<>();
        for (StatRow row : rows) {
            if (row.isBackend()) {
                backendSeen = true;
                raw = raw.plus(new PoolStats(row.counter("bin"), row.counter("bout"), row.counter("scur"), row.counter("stot")));
            } else if (row.isServer()) {
                parseUuid(row.service()).ifPresent(m -> health.put(m, StatCsv.health(row)));
            }
        }
        if (!backendSeen) {
            // a disabled backend (pool admin down) disappears from show stat: its counters stand still
            RawSnapshot last = lastRaw.get(id);
            raw = last != null && last.pid() == pid
                    ? new PoolStats(last.raw().bytesIn(), last.raw().bytesOut(), 0, last.raw().totalConnections()) : raw;
        }
        lastRaw.put(id, new RawSnapshot(pid, raw));
        PoolStats stats = Counters.read(files.counters()).plus(raw);
        PoolStats previous = lastReported.put(id, stats);
        boolean reset = previous != null && (stats.bytesIn() < previous.bytesIn() || stats.bytesOut() < previous.bytesOut()
                || stats.totalConnections() < previous.totalConnections());
        return new Observation(stats, health, reset);
    }

    /**
     * Carries the counters last observed of a process that died, when {@code deadPid} is that
     * process, before a new one starts.
     *
     * @param id the instance
     * @param files its files
     * @param deadPid the pid in the pid file of the dead process
     */
    public void carryFromDead(InstanceId id, InstanceFiles files, Optional<Long> deadPid) {
        RawSnapshot before = lastRaw.remove(id);
        if (before != null && deadPid.isPresent() && before.pid() == deadPid.get()) {
            Counters.carry(files.counters(), before.raw());
        }
    }

    /**
     * Carries the counters of a process that a reload replaced.
     *
     * @param id the instance
     * @param files its files
     * @param replaced what {@link #readCounters} read before the reload
     */
    public void carryFromReplaced(InstanceId id, InstanceFiles files, Optional<PoolStats> replaced) {
        replaced.ifPresent(b -> Counters.carry(files.counters(), b));
        lastRaw.remove(id);
    }

    /**
     * Forgets what was observed of an instance (it was removed or deployed anew).
     *
     * @param id the instance
     */
    public void forget(InstanceId id) {
        lastRaw.remove(id);
        lastReported.remove(id);
    }

    private static Optional<UUID> parseUuid(String text) {
        try {
            UUID u = UUID.fromString(text);
            return u.toString().equals(text) ? Optional.of(u) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
