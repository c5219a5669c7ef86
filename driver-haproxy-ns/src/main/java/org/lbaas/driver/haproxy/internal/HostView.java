package org.lbaas.driver.haproxy.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the driver reads about the host without starting a process: network namespaces, devices
 * of the root namespace and processes. The default reads {@code /run/netns}, {@code /sys/class/net}
 * and {@code /proc}; tests substitute a fake.
 */
public interface HostView {

    /** Returns the names of the network namespaces that {@code ip netns} knows. */
    List<String> namespaces();

    /**
     * Returns whether a network namespace of that name exists.
     *
     * @param name the namespace name
     * @return whether it exists
     */
    default boolean namespaceExists(String name) {
        return namespaces().contains(name);
    }

    /**
     * Returns whether a network device of that name exists in the root namespace.
     *
     * @param name the device name
     * @return whether it exists
     */
    boolean deviceExists(String name);

    /**
     * Returns whether a network device of that name exists in the root namespace and is
     * administratively up ({@code IFF_UP}); a device set down by {@code ip link set DEV down}
     * exists but is not up. The default is {@link #deviceExists}: a host view that cannot tell
     * takes every existing device for up.
     *
     * @param name the device name
     * @return whether it exists and is up
     */
    default boolean deviceUp(String name) {
        return deviceExists(name);
    }

    /**
     * Returns a live process (zombies count as gone).
     *
     * @param pid the pid
     * @return the process with its argument vector, if it runs
     */
    Optional<ProcessInfo> process(long pid);

    /**
     * Returns when a live process started, in the kernel's clock ticks since boot (field 22 of
     * {@code /proc/PID/stat}), without reading its command line: a pid with the same start time is
     * the same process, so a caller that has checked its command line once need not read it again.
     * The default cannot tell: it answers {@link #UNKNOWN_START} for a live process (the caller
     * checks the command line every time).
     *
     * @param pid the pid
     * @return the start time, {@link #UNKNOWN_START}, or empty when the process is gone or a zombie
     */
    default java.util.OptionalLong startTime(long pid) {
        return process(pid).isPresent() ? java.util.OptionalLong.of(UNKNOWN_START) : java.util.OptionalLong.empty();
    }

    /** What {@link #startTime} answers for a live process whose start time it cannot read. */
    long UNKNOWN_START = -1;

    /** Returns every live process whose argument vector can be read. */
    List<ProcessInfo> processes();

    /**
     * Finds an executable on the {@code PATH} of this process.
     *
     * @param name a program name without a slash
     * @return its path, if found
     */
    Optional<Path> findOnPath(String name);

    /**
     * Returns whether the host has a user of that name (in {@code /etc/passwd}).
     *
     * @param name the user name
     * @return whether it exists
     */
    boolean userExists(String name);

    /**
     * Returns whether the host has a group of that name (in {@code /etc/group}).
     *
     * @param name the group name
     * @return whether it exists
     */
    boolean groupExists(String name);

    /** Returns the hard limit of open files of this process (children inherit it). */
    long openFilesHardLimit();

    /** Returns the view of this machine. */
    static HostView system() {
        return SystemHostView.INSTANCE;
    }

    /**
     * A process and its command line.
     *
     * @param pid the pid
     * @param argv the argument vector from {@code /proc/PID/cmdline}
     */
    record ProcessInfo(long pid, List<String> argv) {
        public ProcessInfo {
            Objects.requireNonNull(argv, "argv");
            argv = List.copyOf(argv);
        }

        /**
         * Returns whether this is an HAProxy started with {@code -f config}: the program's file
         * name is {@code haproxy} and the argument after {@code -f} is exactly the given path.
         *
         * @param config the configuration path
         * @return whether it is that HAProxy
         */
        public boolean isHaproxyWith(Path config) {
            if (argv.isEmpty()) {
                return false;
            }
            String program = argv.get(0);
            String base = program.substring(program.lastIndexOf('/') + 1);
            if (!base.equals("haproxy")) {
                return false;
            }
            String wanted = config.toString();
            for (int i = 1; i + 1 < argv.size(); i++) {
                if (argv.get(i).equals("-f") && argv.get(i + 1).equals(wanted)) {
                    return true;
                }
            }
            return false;
        }

        /** Returns the path after the first {@code -f}, if any. */
        public Optional<String> configArgument() {
            for (int i = 1; i + 1 < argv.size(); i++) {
                if (argv.get(i).equals("-f")) {
                    return Optional.of(argv.get(i + 1));
                }
            }
            return Optional.empty();
        }
    }
}
