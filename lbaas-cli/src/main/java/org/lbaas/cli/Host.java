package org.lbaas.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.lbaas.driver.spi.shell.ShellExecutor;

/**
 * What the commands ask of the machine they run on, so that tests can answer differently: whether
 * the process is root, where a program is, which distribution this is, the environment and the
 * shell. {@link #system()} is the real machine.
 */
interface Host {

    /** Returns whether the process runs as root (uid 0). */
    boolean isRoot();

    /**
     * Finds a program on the {@code PATH}, then in {@code /usr/sbin} and {@code /sbin} (where
     * {@code haproxy} and {@code ip} live, often off a non-root {@code PATH}).
     *
     * @param name the program name
     * @return its absolute path, if it is installed
     */
    Optional<Path> findProgram(String name);

    /** Returns whether this is a Debian-family system with {@code apt-get}. */
    boolean isDebianFamily();

    /**
     * Returns an environment variable.
     *
     * @param name the name
     * @return its value, if set and not empty
     */
    Optional<String> env(String name);

    /** Returns the executor for external commands. */
    ShellExecutor shell();

    /** Returns the machine this process runs on. */
    static Host system() {
        return SystemHost.INSTANCE;
    }

    /** {@link Host#system()}. */
    final class SystemHost implements Host {
        static final SystemHost INSTANCE = new SystemHost();

        private SystemHost() {
        }

        @Override
        public boolean isRoot() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                    if (line.startsWith("Uid:")) {
                        String[] f = line.substring(4).trim().split("\\s+");
                        return f.length > 1 && f[1].equals("0");
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or /proc is not mounted
            }
            return "root".equals(System.getProperty("user.name"));
        }

        @Override
        public Optional<Path> findProgram(String name) {
            Objects.requireNonNull(name, "name");
            Set<String> dirs = new LinkedHashSet<>();
            String path = System.getenv("PATH");
            if (path != null) {
                for (String d : path.split(":")) {
                    if (!d.isEmpty()) {
                        dirs.add(d);
                    }
                }
            }
            dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin"));
            List<Path> candidates = new ArrayList<>();
            dirs.forEach(d -> candidates.add(Path.of(d, name)));
            return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
        }

        @Override
        public boolean isDebianFamily() {
            return Files.exists(Path.of("/etc/debian_version")) && findProgram("apt-get").isPresent();
        }

        @Override
        public Optional<String> env(String name) {
            return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isEmpty());
        }

        @Override
        public ShellExecutor shell() {
            return ShellExecutor.system();
        }
    }
}
