package org.lbaas.driver.haproxy.internal;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one instance keeps its files: {@code <state_dir>/<instance key>/}. The directory is
 * owner-only (0700); HAProxy reads the configuration and creates the socket and pid file as root
 * before it drops privileges.
 *
 * @param dir the instance's state directory
 * @param config the configuration HAProxy runs with ({@code haproxy.cfg})
 * @param pidFile the pid file HAProxy writes ({@code pid})
 * @param socket the stats/admin socket ({@code sock}), owner-only, level admin
 */
public record InstanceFiles(Path dir, Path config, Path pidFile, Path socket) {

    /** Longest stats socket path HAProxy 2.6 accepts (it keeps room below the 108-byte sun_path). */
    public static final int MAX_SOCKET_PATH = 97;

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

    /** Returns the record of how the instance's network was plumbed. */
    public Path network() {
        return dir.resolve("network.properties");
    }
}
