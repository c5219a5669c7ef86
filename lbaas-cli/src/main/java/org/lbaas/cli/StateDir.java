package org.lbaas.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.lbaas.api.Repository;
import org.lbaas.driver.haproxy.HaproxySettings;

/**
 * The directory where the deploy commands keep their state:
 * <ul>
 *   <li>{@code store/}: the {@code LoadBalancerService}'s durable repository (one JSON document per
 *       load balancer and per health monitor);</li>
 *   <li>{@code haproxy/}: the haproxy-ns driver's {@code state_dir} (one directory per instance:
 *       configuration, pid file, stats socket);</li>
 *   <li>{@code pending-monitors/}: health monitors a command noted because a kill could leave them
 *       unassociated (see {@link Deployer}); empty unless a command was killed;</li>
 *   <li>{@code documents/}: only in directories of older versions, which deployed documents under
 *       ids of their own (see {@link DeployedDocument});</li>
 *   <li>{@code driver.properties}: the driver settings chosen at the first deploy (interface driver,
 *       bridge, namespace prefix, topology, HA bridge), used by later commands unless an option
 *       overrides them; topology and HA bridge stay fixed while load balancers are deployed;</li>
 *   <li>{@code lock}: held while a command changes anything, so two commands do not interleave.</li>
 * </ul>
 *
 * <p><b>Safety.</b> The commands run as root and act on what this directory holds, so it must be
 * the owner's alone: the directory and everything lbaas keeps in it are refused when they are a
 * symbolic link (root would follow it anywhere), writable by group or others, or owned by another
 * user ({@link #requireSafe}); checked without following links. What lbaas creates here is
 * owner-only: directories {@code 0700}, files {@code 0600}.
 *
 * @param root the directory
 */
record StateDir(Path root) {

    /** The state directory when neither {@code --state-dir} nor {@code $LBAAS_STATE_DIR} is given. */
    static final String DEFAULT = "/var/lib/lbaas";

    /** Longest root: HAProxy limits the stats socket path under {@code haproxy/} to 97 bytes. */
    static final int MAX_LENGTH = HaproxySettings.MAX_STATE_DIR_LENGTH - "/haproxy".length();

    /** The settings a state directory remembers, and the options that set them. */
    static final Map<String, String> REMEMBERED = Map.of(
            "interface_driver", "interface-driver", "bridge", "bridge", "namespace_prefix", "namespace-prefix",
            "topology", "topology", "ha_bridge", "ha-bridge");

    /** The driver's defaults of the settings that stay fixed while load balancers are deployed. */
    private static final Map<String, String> FIXED = Map.of("topology", Shared.Topology.SINGLE, "ha_bridge", "lbaas-ha");

    StateDir {
        Objects.requireNonNull(root, "root");
    }

    /**
     * Returns the state directory a command names: {@code --state-dir}, else
     * {@code $LBAAS_STATE_DIR}, else {@link #DEFAULT}.
     *
     * @param command the command, such as {@code lbaas deploy}
     * @param option the {@code --state-dir} given, if any
     * @param host where the environment is read
     * @return the directory (not created)
     * @throws UsageException when the path is unusable
     */
    static StateDir of(String command, Optional<String> option, Host host) {
        String raw = option.or(() -> host.env("LBAAS_STATE_DIR")).orElse(DEFAULT);
        Path p;
        try {
            p = Path.of(raw).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            throw new UsageException(command + ": --state-dir: not a path: " + raw);
        }
        String text = p.toString();
        if (text.length() > MAX_LENGTH) {
            throw new UsageException(command + ": --state-dir: at most " + MAX_LENGTH
                    + " characters (HAProxy limits socket paths to 97 bytes): " + text);
        }
        if (!text.matches("[A-Za-z0-9_./+-]+")) {
            throw new UsageException(command + ": --state-dir: only letters, digits and _ . / + - are allowed: " + text);
        }
        StateDir dir = new StateDir(p);
        dir.requireSafe(command);
        return dir;
    }

    /** The entries lbaas keeps in the directory, checked by {@link #requireSafe}. */
    private List<Path> entries() {
        return List.of(root, store(), haproxy(), pendingMonitors(), documents(), settingsFile(), root.resolve("lock"));
    }

    /**
     * Refuses a directory that is not the owner's alone: the directory or one of lbaas' entries in
     * it is a symbolic link, writable by group or others, or owned by another user. Entries that do
     * not exist are fine.
     *
     * @param command the command, first word of the message
     * @throws StepFailedException naming the path, what is wrong and the fix
     */
    void requireSafe(String command) {
        String me = System.getProperty("user.name");
        for (Path p : entries()) {
            PosixFileAttributes a;
            try {
                a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (java.nio.file.NoSuchFileException e) {
                continue;
            } catch (IOException | UnsupportedOperationException e) {
                throw new StepFailedException(command + ": state directory " + p, "cannot be checked: " + e, e);
            }
            String what = p.equals(root) ? "state directory " + p : p.toString();
            if (a.isSymbolicLink()) {
                throw new StepFailedException(command + ": " + what, "is a symbolic link, which lbaas does not follow (as root"
                        + " it would write wherever the link points); use the real directory, or remove the link");
            }
            Set<PosixFilePermission> perms = a.permissions();
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new StepFailedException(command + ": " + what, "is writable by " + (perms.contains(
                        PosixFilePermission.OTHERS_WRITE) ? "everyone" : "its group") + " (mode "
                        + PosixFilePermissions.toString(perms) + "), so others could change what lbaas runs as root;"
                        + " fix it with 'chmod go-w " + p + "'");
            }
            if (me != null && !a.owner().getName().equals(me)) {
                throw new StepFailedException(command + ": " + what, "is owned by " + a.owner().getName() + ", not by " + me
                        + ", who runs lbaas; fix it with 'chown " + me + " " + p + "' or use another --state-dir");
            }
        }
    }

    Path store() {
        return root.resolve("store");
    }

    Path haproxy() {
        return root.resolve("haproxy");
    }

    Path documents() {
        return root.resolve("documents");
    }

    Path pendingMonitors() {
        return root.resolve("pending-monitors");
    }

    /** The journal of health monitors a killed command could leave unassociated: one empty file per id. */
    Deployer.Journal journal() {
        return new Deployer.Journal() {
            @Override
            public void add(UUID monitorId) {
                createDirectories();
                try {
                    if (!Files.isDirectory(pendingMonitors(), LinkOption.NOFOLLOW_LINKS)) {
                        Files.createDirectory(pendingMonitors(),
                                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                    }
                    writeAtomically(pendingMonitors().resolve(monitorId.toString()), "");
                } catch (IOException e) {
                    throw new StepFailedException("write " + pendingMonitors(), e.toString(), e);
                }
            }

            @Override
            public void remove(UUID monitorId) {
                try {
                    Files.deleteIfExists(pendingMonitors().resolve(monitorId.toString()));
                } catch (IOException e) {
                    throw new StepFailedException("write " + pendingMonitors(), e.toString(), e);
                }
            }

            @Override
            public java.util.Set<UUID> noted() {
                java.util.Set<UUID> out = new java.util.TreeSet<>();
                if (!Files.isDirectory(pendingMonitors())) {
                    return out;
                }
                try (java.util.stream.Stream<Path> files = Files.list(pendingMonitors())) {
                    files.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9a-f-]{36}"))
                            .forEach(n -> out.add(UUID.fromString(n)));
                } catch (IOException e) {
                    throw new StepFailedException("read " + pendingMonitors(), e.toString(), e);
                }
                return out;
            }
        };
    }

    Path settingsFile() {
        return root.resolve("driver.properties");
    }

    boolean exists() {
        return Files.isDirectory(root);
    }

    /**
     * Returns the driver settings for a command: what this directory remembers, overridden by the
     * command's options; {@code state_dir} is always {@link #haproxy()}.
     *
     * @param given the settings the command's options give, by setting name ({@link #REMEMBERED}'s keys)
     * @param remember whether to store the result for later commands
     * @return the settings
     */
    Map<String, String> driverSettings(Map<String, String> given, boolean remember) {
        Map<String, String> stored = remembered();
        requireFixedKept(stored, given);
        Map<String, String> s = new TreeMap<>(stored);
        given.forEach((key, value) -> {
            if (REMEMBERED.containsKey(key)) {
                s.put(key, value);
            }
        });
        if (remember) {
            remember(s);
        }
        Map<String, String> all = new LinkedHashMap<>(s);
        all.put("state_dir", haproxy().toString());
        return all;
    }

    /**
     * Refuses a change of {@code topology}, or of {@code ha_bridge} for pairs, while load balancers
     * are deployed here: their instances were made for the stored value (one HAProxy or a pair, and
     * the bridge the pair's HA link joins), and a repair or reconcile with another one would wire
     * them differently from what runs.
     *
     * @throws UsageException naming the option, the stored and the given value
     */
    private void requireFixedKept(Map<String, String> stored, Map<String, String> given) {
        boolean pairs = Shared.Topology.activeStandby(Map.of("topology", stored.getOrDefault("topology", "")));
        for (String key : List.of("topology", "ha_bridge")) {
            String was = stored.getOrDefault(key, FIXED.get(key));
            String now = given.get(key);
            if (now == null || now.equals(was) || (key.equals("ha_bridge") && !pairs)) {
                continue;
            }
            int deployed = deployedCount();
            if (deployed > 0) {
                boolean topology = key.equals("topology");
                throw new UsageException("--" + REMEMBERED.get(key) + ": " + (deployed == 1 ? "the load balancer" : "the "
                        + deployed + " load balancers") + " deployed in " + root + (deployed == 1 ? " uses " : " use ") + (topology ? "topology " : "HA bridge ")
                        + (topology ? Shared.Topology.option(was) : was) + " (" + (stored.containsKey(key) ? "stored in "
                        + settingsFile() + " at the first deploy" : "the default") + "), not "
                        + (topology ? Shared.Topology.option(now) : now) + "; it stays fixed while load balancers are deployed:"
                        + " undeploy them first, or use another --state-dir");
            }
        }
    }

    /** How many load balancers (pools) the store holds; 0 without a store. */
    private int deployedCount() {
        if (!Files.isDirectory(store())) {
            return 0;
        }
        return Repository.fileStore(store()).load().loadBalancers().size();
    }

    private Map<String, String> remembered() {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isRegularFile(settingsFile())) {
            return out;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(settingsFile(), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new StepFailedException("read " + settingsFile(), e.toString(), e);
        }
        for (String key : p.stringPropertyNames()) {
            if (REMEMBERED.containsKey(key)) {
                out.put(key, p.getProperty(key));
            }
        }
        return out;
    }

    private void remember(Map<String, String> settings) {
        if (settings.equals(remembered())) {
            return;
        }
        createDirectories();
        Properties p = new Properties();
        settings.forEach(p::setProperty);
        Path tmp = root.resolve("driver.properties.tmp");
        ownerOnlyFile(tmp);
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "driver settings of this lbaas state directory");
        } catch (IOException e) {
            throw new StepFailedException("write " + settingsFile(), e.toString(), e);
        }
        move(tmp, settingsFile());
    }

    /** Creates the directory and its {@code store/}, owner-only, when missing. */
    void createDirectories() {
        try {
            for (Path p : List.of(root, store())) {
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new StepFailedException("create state directory " + root, e.toString(), e);
        }
    }

    /**
     * Takes the directory's lock, so that commands that change anything do not interleave. Fails
     * at once (instead of waiting) when another command holds it.
     *
     * @param command the command, for the message
     * @return the lock; close it to release
     */
    Held lock(String command) {
        createDirectories();
        Path file = root.resolve("lock");
        FileChannel ch = null;
        try {
            ownerOnlyFile(file);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                throw new StepFailedException(command + ": lock " + file,
                        "another lbaas command is changing this state directory; try again when it has finished");
            }
            FileChannel channel = ch;
            return () -> {
                try {
                    lock.release();
                    channel.close();
                } catch (IOException e) {
                    throw new StepFailedException(command + ": unlock " + file, e.toString(), e);
                }
            };
        } catch (IOException | OverlappingFileLockException e) {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new StepFailedException(command + ": lock " + file, e.toString(), e);
        }
    }

    /** Something held until closed; closing throws nothing checked. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Writes a file atomically: a temporary file in the same directory, forced, then renamed. */
    static void writeAtomically(Path file, String text) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        ownerOnlyFile(tmp);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(StandardCharsets.UTF_8.encode(text));
            ch.force(true);
        } catch (IOException e) {
            throw new StepFailedException("write " + file, e.toString(), e);
        }
        move(tmp, file);
    }

    /** Creates a file owner-only ({@code 0600}) when missing, without following a link. */
    private static void ownerOnlyFile(Path file) {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return;
        } catch (IOException | UnsupportedOperationException e) {
            throw new StepFailedException("write " + file, e.toString(), e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StepFailedException("write " + to, e.toString(), e);
        }
    }
}
