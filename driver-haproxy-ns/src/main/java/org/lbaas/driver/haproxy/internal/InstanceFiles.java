package org.lbaas.driver.haproxy.internal;

import com.google.common.io.MoreFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.lbaas.driver.spi.DriverException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one instance keeps its files: {@code <state_dir>/<instance key>/}. The directory is
 * owner-only (0700); HAProxy reads the configuration and creates the socket and pid file as root
 * before it drops privileges.
 *
 * <p>The methods below are the only code that reads or writes these files: a file that exists but
 * cannot be read is a retryable {@link DriverException} (never "nothing there", which would tear
 * down a serving instance), and a failing write an {@link UncheckedIOException}.
 *
 * @param dir the instance's state directory
 * @param config the configuration HAProxy runs with ({@code haproxy.cfg})
 * @param pidFile the pid file HAProxy writes ({@code pid})
 * @param socket the stats/admin socket ({@code sock}), owner-only, level admin
 */
public record InstanceFiles(Path dir, Path config, Path pidFile, Path socket) {

    /** Longest stats socket path HAProxy 2.6 accepts (it keeps room below the 108-byte sun_path). */
    public static final int MAX_SOCKET_PATH = 97;

    private static final Logger LOG = LoggerFactory.getLogger(InstanceFiles.class);

    public InstanceFiles {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(pidFile, "pidFile");
        Objects.requireNonNull(socket, "socket");
    }

    /**
     * Returns the files of an instance under a state directory.
     *
     * @param stateDir the driver's state directory
     * @param id the instance
     * @return the files
     */
    public static InstanceFiles of(Path stateDir, InstanceId id) {
        Path dir = stateDir.resolve(id.key());
        return new InstanceFiles(dir, dir.resolve("haproxy.cfg"), dir.resolve("pid"), dir.resolve("sock"));
    }

    /** Returns the last configuration a running HAProxy accepted ({@code haproxy.cfg.good}). */
    public Path goodConfig() {
        return dir.resolve("haproxy.cfg.good");
    }

    /** Returns where a candidate configuration is written and checked before use. */
    public Path candidateConfig() {
        return dir.resolve("haproxy.cfg.new");
    }

    /** Returns the counters carried over from replaced processes. */
    public Path counters() {
        return dir.resolve("counters.properties");
    }

    /**
     * Returns the marker written once every plumbing step has succeeded; without it, a recorded
     * namespace may be half-built (a driver killed during plumbing) and is rebuilt.
     */
    public Path plumbed() {
        return dir.resolve("network.done");
    }

    /**
     * Returns the lock file every HAProxy of a pair instance holds a shared {@code flock} on from
     * its start to its exit (the death watcher waits for an exclusive one).
     */
    public Path haproxyLock() {
        return dir.resolve("haproxy.lock");
    }

    /** Returns the record of how the instance's network was plumbed. */
    public Path network() {
        return dir.resolve("network.properties");
    }

    // ------------------------------------------------------------------ reading and writing

    /** Creates the directory (and the state directory above it), both owner-only (0700). */
    public void create() {
        try {
            AtomicFiles.ownerOnlyDirectory(dir.getParent());
            AtomicFiles.ownerOnlyDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** Deletes the directory and everything in it; nothing happens when it does not exist. */
    public void delete() {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            MoreFiles.deleteRecursively(dir);
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** Returns whether the directory exists. */
    public boolean exists() {
        return Files.exists(dir);
    }

    /** Returns the configuration HAProxy runs with; empty when there is none. */
    public Optional<String> readConfig() {
        return readText(config);
    }

    /** Replaces the configuration atomically. */
    public void writeConfig(String text) {
        writeText(config, text);
    }

    /** Writes a candidate configuration, to be checked before it replaces the configuration. */
    public void writeCandidate(String text) {
        writeText(candidateConfig(), text);
    }

    /** Makes the candidate the configuration (an atomic rename). */
    public void promoteCandidate() {
        try {
            AtomicFiles.move(candidateConfig(), config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + candidateConfig() + " to " + config, e);
        }
    }

    /** Deletes a rejected candidate; a failure is only logged. */
    public void deleteCandidate() {
        try {
            Files.deleteIfExists(candidateConfig());
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", candidateConfig(), e.toString());
        }
    }

    /** Keeps the current configuration as the last good one; a failure is only logged. */
    public void snapshotGood() {
        try {
            AtomicFiles.snapshot(config, goodConfig());
        } catch (IOException e) {
            LOG.warn("cannot keep {} as the last good configuration: {}", config, e.toString());
        }
    }

    /** Puts the last good configuration back, when there is one; a failure is only logged. */
    public void restoreGood() {
        try {
            if (Files.exists(goodConfig())) {
                Path tmp = dir.resolve(".restore.tmp");
                Files.copy(goodConfig(), tmp, StandardCopyOption.REPLACE_EXISTING);
                AtomicFiles.move(tmp, config);
            }
        } catch (IOException e) {
            LOG.error("cannot restore {} from {}: {}", config, goodConfig(), e.toString());
        }
    }

    /** Returns the network record; empty when there is none or it is malformed. */
    public Optional<NetworkRecord> readNetwork() {
        try {
            return NetworkRecord.read(network());
        } catch (IOException e) {
            throw unreadable(network(), e);
        }
    }

    /** Writes the network record (before what it names is created). */
    public void writeNetwork(NetworkRecord record) {
        writeText(network(), record.toText());
    }

    /** Writes the marker that plumbing of {@code namespace} finished. */
    public void markPlumbed(String namespace) {
        writeText(plumbed(), "plumbing of " + namespace + " finished\n");
    }

    /** Returns whether the plumbing marker exists. */
    public boolean isPlumbed() {
        return Files.exists(plumbed());
    }

    /**
     * Reads the pid file: empty when it is missing or holds no pid. A file that exists but cannot
     * be read is an error, never "nothing runs": treating it as absent would tear down a serving
     * instance.
     *
     * @return the pid (above 1)
     */
    public Optional<Long> readPid() {
        Optional<String> text = readText(pidFile);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(text.get().strip().split("\\s+")[0]);
            return pid > 1 ? Optional.of(pid) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Returns the instances with a directory in a state directory (any ordinal).
     *
     * @param stateDir the driver's state directory
     * @return the instances, in directory order; empty when the state directory does not exist
     */
    public static Set<InstanceId> instancesIn(Path stateDir) {
        Set<InstanceId> out = new LinkedHashSet<>();
        if (!Files.isDirectory(stateDir)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(stateDir)) {
            for (Path p : entries) {
                if (Files.isDirectory(p)) {
                    InstanceId.parse(p.getFileName().toString()).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new DriverException("the load balancers could not be listed", "cannot list " + stateDir + ": " + e, true, e);
        }
        return out;
    }

    /**
     * The failure of reading a state file that exists: retryable, and nothing may be changed.
     *
     * @param file the file
     * @param e why it could not be read
     * @return the exception to throw
     */
    public static DriverException unreadable(Path file, IOException e) {
        return new DriverException("the load balancer's state could not be read; nothing was changed",
                "cannot read " + file + " (" + e + "); refusing to change the instance while its state is unreadable",
                true, e);
    }

    private static Optional<String> readText(Path file) {
        try {
            return AtomicFiles.read(file);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static void writeText(Path file, String text) {
        try {
            AtomicFiles.write(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
