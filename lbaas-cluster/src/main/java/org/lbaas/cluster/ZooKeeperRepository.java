package org.lbaas.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.utils.PathUtils;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;
import org.lbaas.api.InvalidStoreDocumentException;
import org.lbaas.api.ObjectKind;
import org.lbaas.api.Repository;
import org.lbaas.api.StorageException;
import org.lbaas.api.StoreDocuments;
import org.lbaas.api.StoredLoadBalancer;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.Vip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Repository} in ZooKeeper, shared by every controller of a cluster: the desired state.
 * One znode per document, holding exactly the bytes the file store writes ({@link StoreDocuments}):
 * <pre>
 * &lt;root&gt;/store/load-balancers/&lt;pool id&gt;      a load balancer (pool, members, associations, VIP)
 * &lt;root&gt;/store/health-monitors/&lt;monitor id&gt;  a health monitor
 * </pre>
 *
 * <p><b>Compare-and-set.</b> The repository remembers the znode version it last read
 * ({@link #load()}) or wrote for each document. Every save and delete is conditional on it: a save
 * of a document it never saw creates the znode and fails if one exists; a save of one it saw sets
 * the data only at that version. When another writer got there first, the call throws a
 * {@link ConcurrentUpdateException} (naming the id and both versions) and writes nothing: the znode
 * stays as the other writer left it, and further writes of that document keep failing until
 * {@link #load()} reads it again. Deleting a document that is gone succeeds; deleting one that
 * another writer created or changed is a conflict. A write whose reply was lost (a connection loss
 * that Curator retried) is recognised: when the znode holds exactly this repository's bytes at the
 * version the write would have made, the write succeeded.
 *
 * <p><b>Size.</b> ZooKeeper refuses a request over {@code jute.maxbuffer} (1 MiB, 1048575 bytes,
 * by default, including the request's own overhead). A document over {@link #maxDocumentBytes()}
 * ({@value #DEFAULT_MAX_DOCUMENT_BYTES} bytes by default: 1 MiB less 4 KiB for the path and the
 * request) is refused before anything is sent, with a {@link DocumentTooLargeException} naming the
 * pool, the size and the limit. The model sets no bound on members per pool, so the size of a pool
 * is what this limit bounds. Measured with the default limit ({@code ZooKeeperRepositorySizeTest},
 * which grows a pool until its document passes the limit and checks these figures): a pool whose
 * members have IPv4 addresses, short tenant ids and empty status descriptions (about 343 bytes
 * per member) fits 3033 members; a pool whose members carry the longest texts the model allows (a
 * 255-character tenant id, a 1024-character status description of three-byte characters, an IPv6
 * address: about 3.7 KB per member) fits 282. So at least 280 members always fit, and about 3000
 * in practice. Raising the limit needs {@code jute.maxbuffer} raised on every ZooKeeper server and
 * client.
 *
 * <p><b>Malformed documents.</b> {@link #load()} never fails because of one document: a znode whose
 * name is not a UUID in canonical form, whose bytes are not a store document (bad JSON, another
 * format, a broken rule) or whose document names another id is logged (warning, with its path and
 * why) and left out. {@link #skipped()} returns those of the last load, for operators; the znodes
 * are left alone, and since the repository never saw their versions, a save of the same id fails
 * as a conflict rather than overwrite what it could not read.
 *
 * <p><b>Several controllers.</b> The repository is {@linkplain Repository#shared() shared}:
 * {@link #watch} tells a service which documents other writers stored or deleted (a
 * {@link CuratorCache} on {@code <root>/store}; versions this repository read or wrote itself are
 * left out), and {@link #reloadLoadBalancer} / {@link #reloadHealthMonitor} read one document
 * anew. Uniqueness across documents is kept in ZooKeeper too ({@link Claims}): a load balancer's
 * VIP address, instance addresses and port are claimed by znodes under
 * {@code <root>/store/claims}, created, taken over and deleted in the same transaction (multi-op)
 * as the document, so two controllers never store one address or port for two VIPs; the write
 * that finds a claim taken throws a {@link ClaimTakenException} naming it.
 *
 * <p><b>Failures.</b> ZooKeeper failures (connection loss after Curator's retries, a session
 * expiry, an operation timeout) become {@link StorageException}s naming the connect string and the
 * path. Thread-safe; the client's lifecycle is the caller's (closing the repository is not needed).
 */
public final class ZooKeeperRepository implements Repository, Repository.Shared {

    /** The root used when none is given. */
    public static final String DEFAULT_ROOT = "/lbaas";
    /** ZooKeeper's default {@code jute.maxbuffer}: the largest request a server accepts, in bytes. */
    public static final int JUTE_MAX_BUFFER_DEFAULT = 0xfffff;
    /** The default largest document: 1 MiB less 4 KiB of headroom for the path and the request. */
    public static final int DEFAULT_MAX_DOCUMENT_BYTES = 1024 * 1024 - 4 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperRepository.class);

    private final CuratorFramework client;
    private final String root;
    private final String loadBalancers;
    private final String healthMonitors;
    private final int maxDocumentBytes;
    /** The znode version last read or written, by path; absent: never seen (or deleted by us). */
    private final ConcurrentMap<String, Integer> versions = new ConcurrentHashMap<>();
    /** The claims of each load balancer document as last read or written, by the document's path. */
    private final ConcurrentMap<String, Set<String>> knownClaims = new ConcurrentHashMap<>();
    private final Claims claims;
    private volatile List<Skipped> skipped = List.of();

    private ZooKeeperRepository(CuratorFramework client, String root, int maxDocumentBytes) {
        this.client = client;
        this.root = root;
        this.loadBalancers = ZKPaths.makePath(root, "store", "load-balancers");
        this.healthMonitors = ZKPaths.makePath(root, "store", "health-monitors");
        this.maxDocumentBytes = maxDocumentBytes;
        this.claims = new Claims(root);
    }

    /**
     * Returns a repository under {@value #DEFAULT_ROOT} with the default size limit.
     *
     * @param client a started client
     * @return the repository
     * @throws IllegalStateException when the client is not started
     */
    public static ZooKeeperRepository create(CuratorFramework client) {
        return create(client, DEFAULT_ROOT);
    }

    /**
     * Returns a repository under a root with the default size limit.
     *
     * @param client a started client
     * @param root an absolute ZooKeeper path such as {@code /lbaas}
     * @return the repository
     * @throws IllegalArgumentException naming the value when the root is not a valid absolute path
     * @throws IllegalStateException when the client is not started
     */
    public static ZooKeeperRepository create(CuratorFramework client, String root) {
        return create(client, root, DEFAULT_MAX_DOCUMENT_BYTES);
    }

    /**
     * Returns a repository under a root with a size limit.
     *
     * @param client a started client
     * @param root an absolute ZooKeeper path such as {@code /lbaas}
     * @param maxDocumentBytes the largest document written, in bytes; keep it a few KiB below
     *     {@code jute.maxbuffer} of every server and client
     * @return the repository
     * @throws IllegalArgumentException naming the value when the root is not a valid absolute path
     *     or the limit is not positive
     * @throws IllegalStateException when the client is not started
     */
    public static ZooKeeperRepository create(CuratorFramework client, String root, int maxDocumentBytes) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(root, "root");
        try {
            PathUtils.validatePath(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("root: must be an absolute ZooKeeper path such as " + DEFAULT_ROOT
                    + ", found '" + root + "': " + e.getMessage(), e);
        }
        if (maxDocumentBytes < 1) {
            throw new IllegalArgumentException("maxDocumentBytes: must be positive, found " + maxDocumentBytes);
        }
        if (client.getState() != CuratorFrameworkState.STARTED) {
            throw new IllegalStateException("client: must be started, found " + client.getState());
        }
        return new ZooKeeperRepository(client, root, maxDocumentBytes);
    }

    /** Returns the root all paths are under. */
    public String root() {
        return root;
    }

    /** Returns the largest document this repository writes, in bytes. */
    public int maxDocumentBytes() {
        return maxDocumentBytes;
    }

    /**
     * Returns the znodes the last {@link #load()} left out, with why; empty before the first load.
     *
     * @return the skipped znodes, in the order they were met
     */
    public List<Skipped> skipped() {
        return skipped;
    }

    /**
     * A znode {@link #load()} left out.
     *
     * @param path the znode's path
     * @param reason why: the name is not a UUID, or what is wrong with the document
     */
    public record Skipped(String path, String reason) {

        public Skipped {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Reads every document, and remembers each one's znode version for the next writes (forgetting
     * those of documents that are gone). Malformed znodes are logged, left out and listed by
     * {@link #skipped()}. A service calls it once, when it starts; a write of this repository that
     * runs at the same time may be remembered at the version this load read, and then conflict once.
     *
     * @return the load balancers and health monitors that could be read
     * @throws StorageException naming the connect string and the path when ZooKeeper fails
     */
    @Override
    public Contents load() {
        Map<String, Integer> seen = new HashMap<>();
        List<Skipped> bad = new ArrayList<>();
        List<StoredLoadBalancer> lbs = readAll(ObjectKind.POOL, loadBalancers, StoreDocuments::readLoadBalancer,
                StoredLoadBalancer::id, seen, bad);
        List<HealthMonitor> monitors = readAll(ObjectKind.HEALTH_MONITOR, healthMonitors, StoreDocuments::readHealthMonitor,
                HealthMonitor::id, seen, bad);
        versions.keySet().retainAll(seen.keySet());
        versions.putAll(seen);
        knownClaims.clear();
        lbs.forEach(lb -> knownClaims.put(lbPath(lb.id()), claims.of(lb).keySet()));
        skipped = List.copyOf(bad);
        return new Contents(lbs, monitors);
    }

    @Override
    public void save(StoredLoadBalancer loadBalancer) {
        writeWithClaims(loadBalancer, StoreDocuments.write(loadBalancer));
    }

    @Override
    public void deleteLoadBalancer(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        if (versions.get(lbPath(poolId)) == null) {
            delete(ObjectKind.POOL, poolId, loadBalancers);
            return;
        }
        deleteWithClaims(poolId);
    }

    @Override
    public Optional<Shared> shared() {
        return Optional.of(this);
    }

    private String lbPath(UUID poolId) {
        return ZKPaths.makePath(loadBalancers, poolId.toString());
    }

    /** Returns whether ZooKeeper holds a load balancer's document now. */
    boolean hasDocument(UUID poolId) throws Exception {
        return client.checkExists().forPath(lbPath(poolId)) != null;
    }

    /** Returns the znode version of a load balancer's document as this repository last read or wrote it. */
    OptionalInt knownVersion(UUID poolId) {
        Integer v = versions.get(lbPath(poolId));
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    /**
     * Tells the listener which documents other writers stored or deleted, from a {@link CuratorCache}
     * on {@code <root>/store}: a stored version this repository already read or wrote is left out.
     * Documents whose name is not a UUID are ignored (a reload would skip them too). The listener
     * runs on Curator's event thread.
     *
     * @param listener what to tell
     * @return stops the cache
     */
    @Override
    public Watch watch(ChangeListener listener) {
        Objects.requireNonNull(listener, "listener");
        CuratorCache cache = CuratorCache.build(client, ZKPaths.makePath(root, "store"));
        cache.listenable().addListener(CuratorCacheListener.builder().forAll((type, before, after) -> {
            ChildData node = after != null ? after : before;
            if (node == null) {
                return;
            }
            ZKPaths.PathAndNode pn = ZKPaths.getPathAndNode(node.getPath());
            ObjectKind kind = pn.getPath().equals(loadBalancers) ? ObjectKind.POOL
                    : pn.getPath().equals(healthMonitors) ? ObjectKind.HEALTH_MONITOR : null;
            if (kind == null || !isCanonicalUuid(pn.getNode())) {
                return;
            }
            if (type != CuratorCacheListener.Type.NODE_DELETED) {
                Integer known = versions.get(node.getPath());
                if (known != null && after.getStat().getVersion() <= known) {
                    return;
                }
            }
            tell(listener, kind, pn.getNode(), node.getPath());
        }).forInitialized(() -> {
            // Deleted between load() and now: the cache never saw them.
            for (String path : List.copyOf(versions.keySet())) {
                ZKPaths.PathAndNode pn = ZKPaths.getPathAndNode(path);
                if (cache.get(path).isEmpty()) {
                    tell(listener, pn.getPath().equals(loadBalancers) ? ObjectKind.POOL : ObjectKind.HEALTH_MONITOR,
                            pn.getNode(), path);
                }
            }
        }).build());
        cache.start();
        return cache::close;
    }

    private static void tell(ChangeListener listener, ObjectKind kind, String name, String path) {
        try {
            listener.changed(kind, UUID.fromString(name));
        } catch (RuntimeException e) {
            LOG.warn("a store listener failed on {}", path, e);
        }
    }

    @Override
    public Optional<StoredLoadBalancer> reloadLoadBalancer(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        Optional<StoredLoadBalancer> lb = reload(ObjectKind.POOL, poolId, loadBalancers, StoreDocuments::readLoadBalancer,
                StoredLoadBalancer::id);
        String path = lbPath(poolId);
        if (lb.isPresent()) {
            knownClaims.put(path, claims.of(lb.get()).keySet());
        } else {
            knownClaims.remove(path);
        }
        return lb;
    }

    @Override
    public Optional<HealthMonitor> reloadHealthMonitor(UUID monitorId) {
        Objects.requireNonNull(monitorId, "monitorId");
        return reload(ObjectKind.HEALTH_MONITOR, monitorId, healthMonitors, StoreDocuments::readHealthMonitor,
                HealthMonitor::id);
    }

    private <T> Optional<T> reload(ObjectKind kind, UUID id, String dir, Reader<T> reader, Function<T, UUID> idOf) {
        String path = ZKPaths.makePath(dir, id.toString());
        Stat stat = new Stat();
        byte[] data;
        try {
            data = client.getData().storingStatIn(stat).forPath(path);
        } catch (KeeperException.NoNodeException e) {
            versions.remove(path);
            return Optional.empty();
        } catch (Exception e) {
            throw failure(kind, id.toString(), "read", path, e);
        }
        try {
            T value = reader.read(data == null ? new byte[0] : data);
            if (!idOf.apply(value).equals(id)) {
                throw new StorageException(kind, id.toString(), path + " holds the document of " + kind.wireName() + " "
                        + idOf.apply(value) + ", not of " + id, null);
            }
            versions.put(path, stat.getVersion());
            return Optional.of(value);
        } catch (InvalidStoreDocumentException e) {
            throw new StorageException(kind, id.toString(), path + " is not a store document: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a load balancer's document together with its claims in one transaction: creates the
     * claims it lacks, takes over those of its VIP held under another pool (a moved VIP) and those
     * an earlier VIP of this pool left (this document is the authority on its own pool), checks
     * those it holds, deletes those it no longer needs. A claim changed meanwhile makes it try
     * again (a few times); a claim of another VIP is a {@link ClaimTakenException}.
     */
    private void writeWithClaims(StoredLoadBalancer lb, byte[] document) {
        UUID id = lb.id();
        String path = lbPath(id);
        if (document.length > maxDocumentBytes) {
            throw new DocumentTooLargeException(ObjectKind.POOL, id.toString(), path, document.length, maxDocumentBytes);
        }
        Map<String, Claims.Claim> wanted = claims.of(lb);
        Optional<UUID> vipId = lb.vip().map(Vip::id);
        for (int attempt = 0; ; attempt++) {
            Integer known = versions.get(path);
            try {
                List<CuratorOp> ops = new ArrayList<>();
                for (Claims.Claim c : wanted.values()) {
                    client.createContainers(ZKPaths.getPathAndNode(c.path()).getPath());
                    Stat stat = new Stat();
                    Optional<Claims.Owner> owner = claimOwner(c.path(), stat);
                    byte[] mine = Claims.write(new Claims.Owner(vipId.orElseThrow(), id));
                    if (stat.getCzxid() == 0) {
                        ops.add(client.transactionOp().create().forPath(c.path(), mine));
                    } else if (owner.isEmpty() || !owner.get().vipId().equals(vipId.get()) && !owner.get().poolId().equals(id)) {
                        throw new ClaimTakenException(id, c.what(), c.path(), owner.map(Claims.Owner::vipId),
                                owner.map(Claims.Owner::poolId));
                    } else if (owner.get().equals(new Claims.Owner(vipId.get(), id))) {
                        ops.add(client.transactionOp().check().withVersion(stat.getVersion()).forPath(c.path()));
                    } else {
                        ops.add(client.transactionOp().setData().withVersion(stat.getVersion()).forPath(c.path(), mine));
                    }
                }
                releaseOps(id, path, wanted.keySet(), ops);
                if (known == null) {
                    client.createContainers(loadBalancers);
                    ops.add(client.transactionOp().create().forPath(path, document));
                } else {
                    ops.add(client.transactionOp().setData().withVersion(known).forPath(path, document));
                }
                int now;
                try {
                    List<CuratorTransactionResult> results = client.transaction().forOperations(ops);
                    CuratorTransactionResult last = results.get(results.size() - 1);
                    now = last.getResultStat() == null ? 0 : last.getResultStat().getVersion();
                } catch (KeeperException e) {
                    int failed = failedOp(e);
                    if (failed >= 0 && failed < ops.size() - 1 && attempt < 10) {
                        continue; // a claim changed between reading and committing: decide again
                    }
                    now = settle(ObjectKind.POOL, id, path, document,
                            known == null ? OptionalInt.empty() : OptionalInt.of(known));
                }
                versions.put(path, now);
                knownClaims.put(path, wanted.keySet());
                LOG.debug("stored {} (version {}, {} bytes, claims {})", path, now, document.length, wanted.keySet());
                return;
            } catch (StorageException e) {
                throw e;
            } catch (Exception e) {
                throw failure(ObjectKind.POOL, id.toString(), "write", path, e);
            }
        }
    }

    /** Adds deletes of the claims this pool holds and no longer needs. */
    private void releaseOps(UUID id, String path, Set<String> keep, List<CuratorOp> ops) throws Exception {
        for (String old : knownClaims.getOrDefault(path, Set.of())) {
            if (keep.contains(old)) {
                continue;
            }
            Stat stat = new Stat();
            Optional<Claims.Owner> owner = claimOwner(old, stat);
            if (stat.getCzxid() != 0 && owner.isPresent() && owner.get().poolId().equals(id)) {
                ops.add(client.transactionOp().delete().withVersion(stat.getVersion()).forPath(old));
            }
        }
    }

    /** Reads a claim; {@code stat}'s czxid stays 0 when there is none. */
    private Optional<Claims.Owner> claimOwner(String path, Stat stat) throws Exception {
        try {
            return Claims.read(client.getData().storingStatIn(stat).forPath(path));
        } catch (KeeperException.NoNodeException e) {
            stat.setCzxid(0);
            return Optional.empty();
        }
    }

    /** Returns the index of the operation that failed a transaction, or -1 when it cannot be told. */
    private static int failedOp(KeeperException e) {
        List<OpResult> results = e.getResults();
        if (results == null) {
            return -1;
        }
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof OpResult.ErrorResult err && err.getErr() != 0
                    && err.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                return i;
            }
        }
        return -1;
    }

    /** Deletes a load balancer's document (at the version last seen) and its claims in one transaction. */
    private void deleteWithClaims(UUID id) {
        String path = lbPath(id);
        for (int attempt = 0; ; attempt++) {
            Integer known = versions.get(path);
            if (known == null) {
                delete(ObjectKind.POOL, id, loadBalancers);
                return;
            }
            try {
                List<CuratorOp> ops = new ArrayList<>();
                releaseOps(id, path, Set.of(), ops);
                ops.add(client.transactionOp().delete().withVersion(known).forPath(path));
                try {
                    client.transaction().forOperations(ops);
                } catch (KeeperException e) {
                    int failed = failedOp(e);
                    if (failed >= 0 && failed < ops.size() - 1 && attempt < 10) {
                        continue;
                    }
                    Stat stat = client.checkExists().forPath(path);
                    if (stat != null) {
                        throw new ConcurrentUpdateException(ObjectKind.POOL, id.toString(), path, OptionalInt.of(known),
                                OptionalInt.of(stat.getVersion()));
                    }
                    LOG.debug("{} was gone already", path);
                }
                versions.remove(path);
                knownClaims.remove(path);
                return;
            } catch (StorageException e) {
                throw e;
            } catch (Exception e) {
                throw failure(ObjectKind.POOL, id.toString(), "delete", path, e);
            }
        }
    }

    @Override
    public void save(HealthMonitor monitor) {
        write(ObjectKind.HEALTH_MONITOR, monitor.id(), healthMonitors, StoreDocuments.write(monitor));
    }

    @Override
    public void deleteHealthMonitor(UUID monitorId) {
        delete(ObjectKind.HEALTH_MONITOR, Objects.requireNonNull(monitorId, "monitorId"), healthMonitors);
    }

    /** Reads a document's bytes; the codec's strict readers. */
    private interface Reader<T> {
        T read(byte[] document) throws InvalidStoreDocumentException;
    }

    private <T> List<T> readAll(ObjectKind kind, String dir, Reader<T> reader, Function<T, UUID> idOf,
                                Map<String, Integer> seen, List<Skipped> bad) {
        List<String> names;
        try {
            names = client.getChildren().forPath(dir);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw failure(kind, "", "list", dir, e);
        }
        List<T> out = new ArrayList<>();
        for (String name : names.stream().sorted().toList()) {
            String path = ZKPaths.makePath(dir, name);
            if (!isCanonicalUuid(name)) {
                skip(bad, path, "the name is not a " + kind.wireName() + " id (a UUID such as "
                        + "9a1f3b2c-0000-4000-8000-000000000001)");
                continue;
            }
            Stat stat = new Stat();
            byte[] data;
            try {
                data = client.getData().storingStatIn(stat).forPath(path);
            } catch (KeeperException.NoNodeException e) {
                continue; // deleted since it was listed
            } catch (Exception e) {
                throw failure(kind, name, "read", path, e);
            }
            try {
                T value = reader.read(data == null ? new byte[0] : data);
                UUID id = idOf.apply(value);
                if (!id.toString().equals(name)) {
                    skip(bad, path, "it holds the document of " + kind.wireName() + " " + id + ", not of " + name);
                    continue;
                }
                out.add(value);
                seen.put(path, stat.getVersion());
            } catch (InvalidStoreDocumentException e) {
                skip(bad, path, e.getMessage());
            }
        }
        return out;
    }

    private static boolean isCanonicalUuid(String name) {
        try {
            return UUID.fromString(name).toString().equals(name);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void skip(List<Skipped> bad, String path, String reason) {
        LOG.warn("skipping {}: {}", path, reason);
        bad.add(new Skipped(path, reason));
    }

    private void write(ObjectKind kind, UUID id, String dir, byte[] document) {
        String path = ZKPaths.makePath(dir, id.toString());
        if (document.length > maxDocumentBytes) {
            throw new DocumentTooLargeException(kind, id.toString(), path, document.length, maxDocumentBytes);
        }
        Integer known = versions.get(path);
        try {
            int now;
            if (known == null) {
                try {
                    client.create().creatingParentContainersIfNeeded().forPath(path, document);
                    now = 0;
                } catch (KeeperException.NodeExistsException e) {
                    now = settle(kind, id, path, document, OptionalInt.empty());
                }
            } else {
                try {
                    now = client.setData().withVersion(known).forPath(path, document).getVersion();
                } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
                    now = settle(kind, id, path, document, OptionalInt.of(known));
                }
            }
            versions.put(path, now);
            LOG.debug("stored {} (version {}, {} bytes)", path, now, document.length);
        } catch (ConcurrentUpdateException e) {
            throw e;
        } catch (Exception e) {
            throw failure(kind, id.toString(), "write", path, e);
        }
    }

    /**
     * After a conditional write failed: the version the write made when the znode holds exactly
     * these bytes at the version it would have made (a retried write whose first reply was lost),
     * else the conflict.
     */
    private int settle(ObjectKind kind, UUID id, String path, byte[] document, OptionalInt expected) throws Exception {
        Stat stat = new Stat();
        byte[] current;
        try {
            current = client.getData().storingStatIn(stat).forPath(path);
        } catch (KeeperException.NoNodeException e) {
            throw new ConcurrentUpdateException(kind, id.toString(), path, expected, OptionalInt.empty());
        }
        int made = expected.isPresent() ? expected.getAsInt() + 1 : 0;
        if (stat.getVersion() == made && Arrays.equals(current, document)) {
            LOG.debug("{}: the write at version {} had succeeded before its reply was lost", path, made);
            return made;
        }
        throw new ConcurrentUpdateException(kind, id.toString(), path, expected, OptionalInt.of(stat.getVersion()));
    }

    private void delete(ObjectKind kind, UUID id, String dir) {
        String path = ZKPaths.makePath(dir, id.toString());
        Integer known = versions.get(path);
        try {
            if (known != null) {
                try {
                    client.delete().withVersion(known).forPath(path);
                } catch (KeeperException.NoNodeException e) {
                    LOG.debug("{} was gone already", path);
                } catch (KeeperException.BadVersionException e) {
                    Stat stat = client.checkExists().forPath(path);
                    if (stat != null) {
                        throw new ConcurrentUpdateException(kind, id.toString(), path, OptionalInt.of(known),
                                OptionalInt.of(stat.getVersion()));
                    }
                }
                versions.remove(path);
            } else {
                Stat stat = client.checkExists().forPath(path);
                if (stat != null) {
                    throw new ConcurrentUpdateException(kind, id.toString(), path, OptionalInt.empty(),
                            OptionalInt.of(stat.getVersion()));
                }
            }
        } catch (ConcurrentUpdateException e) {
            throw e;
        } catch (Exception e) {
            throw failure(kind, id.toString(), "delete", path, e);
        }
    }

    private StorageException failure(ObjectKind kind, String id, String action, String path, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        String why = e.toString();
        if (e instanceof KeeperException k) { // "KeeperErrorCode = ConnectionLoss for <path>": the path is named already
            why = k.getPath() == null ? k.getMessage() : k.getMessage().replace(" for " + k.getPath(), "");
        }
        return new StorageException(kind, id, "cannot " + action + " " + path + " in ZooKeeper at " + connectString()
                + ": " + why, e);
    }

    private String connectString() {
        try {
            String s = client.getZookeeperClient().getCurrentConnectionString();
            return s == null ? "(unknown)" : s;
        } catch (RuntimeException e) {
            return "(unknown: " + e + ")";
        }
    }
}
