package org.lbaas.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places load balancers on agents. Every controller runs one; exactly one at a time is active,
 * elected through a Curator {@link LeaderLatch} at {@code <root>/scheduler/leader}; the others
 * only watch, and one of them takes over when the leader goes.
 *
 * <p>The active scheduler places each work item without a placement on {@code instances}
 * distinct live agents with the least load (instances placed on them), ties by agent id. When an
 * agent's registration has been gone for the {@linkplain Builder#grace grace period}, its
 * instances move to other live agents (never two ordinals of one load balancer on one agent). A
 * joining agent changes no existing placement; {@link #rebalance()} moves instances on request. A
 * removed work item's placement and reports are deleted. Malformed znodes are skipped and listed
 * by {@link #malformed()}.
 *
 * <p>Use: {@code Scheduler.builder().client(c).build().start()}; {@link #close()} gives up the
 * leadership. The client is the caller's and stays open.
 */
public final class Scheduler implements AutoCloseable {

    /** The default znode root, {@code /lbaas}. */
    public static final String DEFAULT_ROOT = ZnodePaths.DEFAULT_ROOT;
    /** The default grace period: 2 s without an agent's registration before its instances move. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final CuratorFramework client;
    private final ZnodePaths paths;
    private final Znodes znodes;
    private final Duration grace;
    private final String id;
    private final Problems problems = new Problems("scheduler");
    private final ScheduledExecutorService thread;
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final Map<String, Long> goneSince = new HashMap<>();
    private final Map<String, Watched.Versioned<Placement>> written = new ConcurrentHashMap<>();
    private LeaderLatch latch;
    private Watched<WorkItem> work;
    private Watched<AgentInfo> agents;
    private Watched<Placement> placements;
    private volatile boolean closed;

    private Scheduler(Builder b) {
        this.client = b.client;
        this.paths = new ZnodePaths(b.root);
        this.znodes = new Znodes(client);
        this.grace = b.grace;
        this.id = b.id;
        this.thread = Daemons.thread("lbaas-scheduler-" + id);
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Joins the election and starts watching.
     *
     * @return this scheduler
     * @throws IllegalStateException when ZooKeeper could not be reached or read
     */
    public Scheduler start() {
        try {
            znodes.ensureLayout(paths);
            Runnable changed = this::queuePass;
            work = new Watched<>(client, paths.work(), 1, Wire::readWork, problems, changed).start(30_000);
            agents = new Watched<>(client, paths.agents(), 1, Wire::readAgent, problems, changed).start(30_000);
            placements = new Watched<>(client, paths.placements(), 1, Wire::readPlacement, problems, changed).start(30_000);
            latch = new LeaderLatch(client, paths.leader(), id);
            latch.addListener(new LeaderLatchListener() {
                @Override
                public void isLeader() {
                    LOG.info("scheduler {} is the leader", id);
                    queuePass();
                }

                @Override
                public void notLeader() {
                    LOG.info("scheduler {} is no longer the leader", id);
                }
            });
            latch.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting scheduler " + id, e);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("scheduler " + id + " could not start under " + paths.root() + ": " + e, e);
        }
        long tick = Math.max(20, Math.min(250, grace.toMillis() / 4));
        thread.scheduleWithFixedDelay(this::queuePass, tick, tick, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Returns this scheduler's id in the election. */
    public String id() {
        return id;
    }

    /** Returns how long an agent's registration may be gone before its instances move. */
    public Duration grace() {
        return grace;
    }

    /** Returns whether this scheduler is the active one now. */
    public boolean isLeader() {
        LeaderLatch l = latch;
        return l != null && !closed && l.hasLeadership();
    }

    /** Returns the malformed znodes this scheduler skips now: path to what is wrong. */
    public Map<String, String> malformed() {
        return problems.snapshot();
    }

    /**
     * Moves instances from the most to the least loaded live agents until their loads differ by at
     * most one (or nothing more can move without putting two ordinals on one agent).
     *
     * @return how many instances moved
     * @throws IllegalStateException when this scheduler is not the leader
     */
    public int rebalance() {
        try {
            return thread.submit(this::rebalanceNow).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rebalancing", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void queuePass() {
        if (!closed && passQueued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    passQueued.set(false);
                    pass();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                passQueued.set(false);
            }
        }
    }

    private void pass() {
        if (closed || !isLeader()) {
            goneSince.clear();
            return;
        }
        try {
            schedule();
        } catch (Exception e) {
            LOG.warn("scheduler {}: a pass failed, the next one retries: {}", id, e.toString());
        }
    }

    private Set<String> live() {
        Set<String> live = new HashSet<>();
        agents.all().values().forEach(v -> live.add(v.value().agentId()));
        return live;
    }

    /** The placement as this scheduler last knows it: its own write until the cache has caught up. */
    private Optional<Watched.Versioned<Placement>> effective(String path) {
        Optional<Watched.Versioned<Placement>> cached = placements.get(path);
        Watched.Versioned<Placement> mine = written.get(path);
        if (mine != null && (cached.isEmpty() || cached.get().version() < mine.version())) {
            return Optional.of(mine);
        }
        written.remove(path);
        return cached;
    }

    private Map<String, Watched.Versioned<Placement>> allPlacements() {
        Map<String, Watched.Versioned<Placement>> out = new TreeMap<>(placements.all());
        for (String path : written.keySet()) {
            effective(path).ifPresent(v -> out.put(path, v));
        }
        return out;
    }

    private Map<String, Integer> load(Set<String> live, Map<String, Watched.Versioned<Placement>> all) {
        Map<String, Integer> load = new HashMap<>();
        live.forEach(a -> load.put(a, 0));
        all.values().forEach(v -> v.value().agents().stream().filter(live::contains).forEach(a -> load.merge(a, 1, Integer::sum)));
        return load;
    }

    private void schedule() throws Exception {
        Set<String> live = live();
        Map<String, Watched.Versioned<Placement>> all = allPlacements();
        long now = System.nanoTime();
        all.values().forEach(v -> v.value().agents().stream().filter(a -> !live.contains(a))
                .forEach(a -> goneSince.putIfAbsent(a, now)));
        goneSince.keySet().removeIf(live::contains);
        Set<String> expired = new HashSet<>();
        goneSince.forEach((a, since) -> {
            if (now - since >= grace.toNanos()) {
                expired.add(a);
            }
        });
        Map<String, Integer> load = load(live, all);
        for (Map.Entry<String, Watched.Versioned<WorkItem>> e : new TreeMap<>(work.all()).entrySet()) {
            UUID pool = ZnodePaths.poolId(ZnodePaths.name(e.getKey()));
            WorkItem item = e.getValue().value();
            String path = paths.placement(pool);
            if (pool == null || item.loadBalancer().isEmpty() || (placements.exists(path) && placements.get(path).isEmpty()
                    && !written.containsKey(path))) {
                continue; // a removal (agents report it where they are), or a malformed placement: skipped
            }
            Optional<Watched.Versioned<Placement>> current = effective(path);
            List<String> agentsNow = current.map(v -> v.value().agents()).orElse(List.of());
            Optional<List<String>> next = Placer.place(item.instances(), agentsNow, live, expired, load);
            if (next.isPresent()) {
                write(path, new Placement(next.get()), current.map(Watched.Versioned::version).orElse(-1), agentsNow);
            }
        }
        for (Map.Entry<String, Watched.Versioned<Placement>> e : all.entrySet()) {
            UUID pool = ZnodePaths.poolId(ZnodePaths.name(e.getKey()));
            if (pool != null && !work.exists(paths.work(pool))) {
                if (znodes.delete(e.getKey(), e.getValue().version())) {
                    LOG.debug("scheduler {}: pool {} has no work any more; placement and reports deleted", id, pool);
                }
                written.remove(e.getKey());
                znodes.deleteTree(paths.reports(pool));
            }
        }
    }

    private boolean write(String path, Placement next, int version, List<String> before) throws Exception {
        try {
            int v = znodes.write(path, Wire.write(next), version);
            written.put(path, new Watched.Versioned<>(next, v));
            if (!before.isEmpty()) {
                LOG.info("scheduler {}: {} moved from {} to {}", id, ZnodePaths.name(path), before, next.agents());
            }
            return true;
        } catch (Znodes.Conflict c) {
            written.remove(path);
            queuePass();
            return false;
        }
    }

    private int rebalanceNow() throws Exception {
        if (!isLeader()) {
            throw new IllegalStateException("scheduler " + id + " is not the leader; rebalance on the leader");
        }
        Set<String> live = live();
        int moves = 0;
        for (int round = 0; round < 100_000; round++) {
            Map<String, Watched.Versioned<Placement>> all = allPlacements();
            Map<String, Integer> load = load(live, all);
            if (load.size() < 2) {
                break;
            }
            List<String> byLoad = new ArrayList<>(load.keySet());
            byLoad.sort((a, b) -> load.get(a).equals(load.get(b)) ? a.compareTo(b) : Integer.compare(load.get(a), load.get(b)));
            String least = byLoad.get(0);
            String most = byLoad.get(byLoad.size() - 1);
            if (load.get(most) - load.get(least) <= 1) {
                break;
            }
            Optional<Map.Entry<String, Watched.Versioned<Placement>>> movable = all.entrySet().stream()
                    .filter(e -> e.getValue().value().agents().contains(most) && !e.getValue().value().agents().contains(least))
                    .findFirst();
            if (movable.isEmpty()) {
                break;
            }
            List<String> next = new ArrayList<>(movable.get().getValue().value().agents());
            next.set(next.indexOf(most), least);
            if (write(movable.get().getKey(), new Placement(next), movable.get().getValue().version(),
                    movable.get().getValue().value().agents())) {
                moves++;
            }
        }
        return moves;
    }

    /** Leaves the election and stops watching; another controller's scheduler takes over. */
    @Override
    public void close() {
        closed = true;
        Daemons.stop(thread, Duration.ofSeconds(5));
        if (latch != null) {
            try {
                latch.close(LeaderLatch.CloseMode.SILENT);
            } catch (Exception e) {
                LOG.debug("scheduler {}: closing the latch: {}", id, e.toString());
            }
        }
        for (Watched<?> w : new Watched<?>[] {work, agents, placements}) {
            if (w != null) {
                w.close();
            }
        }
    }

    @Override
    public String toString() {
        return "Scheduler[" + id + (isLeader() ? ", leader" : "") + "]";
    }

    /** Settings of a {@link Scheduler}, each with a named default. */
    public static final class Builder {

        private CuratorFramework client;
        private String root = DEFAULT_ROOT;
        private Duration grace = DEFAULT_GRACE;
        private String id = "scheduler-" + UUID.randomUUID().toString().substring(0, 8);

        private Builder() {
        }

        /** The Curator client (required; started by the caller, who also closes it). */
        public Builder client(CuratorFramework value) {
            this.client = Objects.requireNonNull(value, "client");
            return this;
        }

        /** The znode root, {@link #DEFAULT_ROOT} by default. */
        public Builder root(String value) {
            this.root = ZnodePaths.checkRoot(value);
            return this;
        }

        /** How long an agent's registration must be gone before its instances move, {@link #DEFAULT_GRACE} by default. */
        public Builder grace(Duration value) {
            Objects.requireNonNull(value, "grace");
            if (value.isNegative()) {
                throw new IllegalArgumentException("grace must not be negative: " + value);
            }
            this.grace = value;
            return this;
        }

        /** The id this scheduler stands for election with (shown as the leader), random by default. */
        public Builder id(String value) {
            this.id = Objects.requireNonNull(value, "id");
            if (value.isBlank()) {
                throw new IllegalArgumentException("id must not be blank: '" + value + "'");
            }
            return this;
        }

        /** Builds the scheduler; {@link Scheduler#start()} starts it. */
        public Scheduler build() {
            if (client == null) {
                throw new IllegalStateException("a Scheduler needs a client");
            }
            return new Scheduler(this);
        }
    }
}
