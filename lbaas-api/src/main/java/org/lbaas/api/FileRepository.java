package org.lbaas.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lbaas.model.HealthMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Repository#fileStore(Path)}: one JSON document per load balancer and per health monitor,
 * each written atomically (temporary file in the same directory, {@code force}, atomic rename,
 * {@code force} of the directory).
 *
 * <p><b>Temporary files.</b> Each write's temporary file has a unique name that carries the
 * writer's process id ({@code .pool-<id>.<pid>-<random>.tmp}). {@link #load()} is also what
 * read-only callers use (such as {@code lbaas status} beside a running {@code lbaas update}), so it
 * never touches a temporary file that may belong to a write in progress: it deletes one only when
 * it is stale, that is when its writer process no longer exists, or, for a name without a process
 * id, when it is older than {@link #STALE_AFTER}.
 */
final class FileRepository implements Repository {

    private static final Logger LOG = LoggerFactory.getLogger(FileRepository.class);
    private static final String LB_PREFIX = "pool-";
    private static final String HM_PREFIX = "health-monitor-";
    private static final String SUFFIX = ".json";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final Pattern DOCUMENT = Pattern.compile("(pool-|health-monitor-)([0-9a-f-]{36})\\.json");
    private static final Pattern TEMP = Pattern.compile("\\.(?:pool-|health-monitor-)[0-9a-f-]{36}\\.(\\d+)-\\d+\\.tmp");
    /** Age after which a temporary file whose name carries no process id is left over from a crash. */
    static final java.time.Duration STALE_AFTER = java.time.Duration.ofMinutes(10);
    private static final long PID = ProcessHandle.current().pid();

    private final Path dir;
    /** Runs between writing a temporary file and renaming it: a seam for crash tests. */
    private final Runnable beforeRename;

    FileRepository(Path dir, Runnable beforeRename) {
        this.dir = dir.toAbsolutePath();
        this.beforeRename = beforeRename;
        try {
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new StorageException(ObjectKind.POOL, "", "cannot create the store directory " + this.dir + ": " + e, e);
        }
    }

    @Override
    public Contents load() {
        List<StoredLoadBalancer> lbs = new ArrayList<>();
        List<HealthMonitor> monitors = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX)) {
                    if (stale(file, name)) {
                        LOG.warn("deleting {}: a write that never completed (the document it was meant to replace is intact)",
                                file);
                        Files.deleteIfExists(file);
                    }
                    continue;
                }
                Matcher m = DOCUMENT.matcher(name);
                if (!m.matches()) {
                    LOG.debug("ignoring {}: not a store document", file);
                    continue;
                }
                byte[] bytes = Files.readAllBytes(file);
                boolean isLb = m.group(1).equals(LB_PREFIX);
                ObjectKind kind = isLb ? ObjectKind.POOL : ObjectKind.HEALTH_MONITOR;
                try {
                    if (isLb) {
                        lbs.add(StoreCodec.readLoadBalancer(bytes));
                    } else {
                        monitors.add(StoreCodec.readHealthMonitor(bytes));
                    }
                } catch (IOException e) {
                    throw new StorageException(kind, m.group(2), "cannot read " + file + ": " + e.getMessage(), e);
                }
            }
            syncDirectory();
        } catch (IOException e) {
            throw new StorageException(ObjectKind.POOL, "", "cannot read the store directory " + dir + ": " + e, e);
        }
        return new Contents(lbs, monitors);
    }

    /** Whether a temporary file is left over from a writer that is gone (never one of a live writer). */
    private static boolean stale(Path file, String name) throws IOException {
        Matcher m = TEMP.matcher(name);
        if (m.matches()) {
            long pid;
            try {
                pid = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                return false;
            }
            return pid != PID && ProcessHandle.of(pid).isEmpty();
        }
        try {
            return Files.getLastModifiedTime(file).toInstant().isBefore(java.time.Instant.now().minus(STALE_AFTER));
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public void save(StoredLoadBalancer loadBalancer) {
        write(ObjectKind.POOL, loadBalancer.id(), LB_PREFIX, StoreCodec.write(loadBalancer));
    }

    @Override
    public void deleteLoadBalancer(UUID poolId) {
        delete(ObjectKind.POOL, poolId, LB_PREFIX);
    }

    @Override
    public void save(HealthMonitor monitor) {
        write(ObjectKind.HEALTH_MONITOR, monitor.id(), HM_PREFIX, StoreCodec.write(monitor));
    }

    @Override
    public void deleteHealthMonitor(UUID monitorId) {
        delete(ObjectKind.HEALTH_MONITOR, monitorId, HM_PREFIX);
    }

    /** Returns the document file of an object. */
    Path documentOf(String prefix, UUID id) {
        return dir.resolve(prefix + id + SUFFIX);
    }

    private void write(ObjectKind kind, UUID id, String prefix, byte[] bytes) {
        Path target = documentOf(prefix, id);
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + prefix + id + "." + PID + "-", TEMP_SUFFIX);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            beforeRename.run();
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            temp = null;
            syncDirectory();
            LOG.debug("stored {} ({} bytes)", target, bytes.length);
        } catch (IOException | RuntimeException e) {
            throw new StorageException(kind, id.toString(), "cannot store " + target + ": " + e, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.warn("cannot delete the temporary file {}: {}", temp, e.toString());
                }
            }
        }
    }

    private void delete(ObjectKind kind, UUID id, String prefix) {
        Path target = documentOf(prefix, id);
        try {
            if (Files.deleteIfExists(target)) {
                syncDirectory();
                LOG.debug("deleted {}", target);
            }
        } catch (IOException e) {
            throw new StorageException(kind, id.toString(), "cannot delete " + target + ": " + e, e);
        }
    }

    private void syncDirectory() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
