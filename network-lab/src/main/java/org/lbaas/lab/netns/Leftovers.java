package org.lbaas.lab.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.ShellExecutor;

/**
 * The one scan for what a run left behind on this host: network namespaces and root-namespace
 * devices whose names start with a prefix the run owns, processes whose command line names a
 * directory the run owns, and what is still inside such a directory. The topologies, the demo and the harnesses check their cleanup with it.
 *
 * <p>Names are read with {@code ip netns list} and {@code ip -o link show} through the given
 * shell, so a recording executor can stand in for the host; processes are read from {@code /proc}.
 */
public final class Leftovers {

    private static final Duration IP_TIMEOUT = Duration.ofSeconds(30);

    private Leftovers() {
    }

    /**
     * Names of namespaces and devices that exist right now and start with one of the prefixes.
     *
     * @param shell runs {@code ip}
     * @param prefixes name prefixes the caller owns; each must be non-empty
     * @return the names, namespaces first, each once
     * @throws org.lbaas.driver.spi.shell.CommandFailedException if {@code ip} fails
     */
    public static List<String> names(ShellExecutor shell, Collection<String> prefixes) {
        Objects.requireNonNull(shell, "shell");
        List<String> owned = List.copyOf(prefixes);
        if (owned.isEmpty() || owned.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("give at least one prefix, none empty: " + owned);
        }
        List<String> found = new ArrayList<>();
        for (String line : shell.execute(Command.of("ip", "netns", "list").withTimeout(IP_TIMEOUT)).requireSuccess()
                .stdout().lines().toList()) {
            String name = line.trim().split("\\s+")[0];
            if (!name.isEmpty() && startsWithAny(name, owned) && !found.contains(name)) {
                found.add(name);
            }
        }
        for (String line : shell.execute(Command.of("ip", "-o", "link", "show").withTimeout(IP_TIMEOUT)).requireSuccess()
                .stdout().lines().toList()) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 1) {
                String name = fields[1].replaceAll(":$", "");
                int at = name.indexOf('@');
                name = at < 0 ? name : name.substring(0, at);
                if (startsWithAny(name, owned) && !found.contains(name)) {
                    found.add(name);
                }
            }
        }
        return found;
    }

    /**
     * Processes whose command line contains a path, such as a scratch or state directory the
     * caller created.
     *
     * @param path the path to look for
     * @return one entry per process: {@code "process PID: command line"}
     */
    public static List<String> processesMentioning(Path path) {
        List<String> found = new ArrayList<>();
        try {
            commandLinesContaining(path.toString()).forEach((pid, cmdline) -> found.add("process " + pid + ": " + cmdline));
        } catch (UncheckedIOException e) {
            found.add("cannot list /proc: " + e.getCause().getMessage());
        }
        return found;
    }

    /**
     * The live processes whose command line contains a text, read from {@code /proc}.
     *
     * @param needle the text, such as a directory the caller owns
     * @return each process's command line (arguments joined by spaces), by pid, in {@code /proc}'s order
     * @throws UncheckedIOException if {@code /proc} cannot be listed
     */
    public static Map<Long, String> commandLinesContaining(String needle) {
        Objects.requireNonNull(needle, "needle");
        Map<Long, String> found = new LinkedHashMap<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : s) {
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmdline.contains(needle)) {
                        found.put(Long.parseLong(p.getFileName().toString()), cmdline.replace('\0', ' ').strip());
                    }
                } catch (IOException e) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc", e);
        }
        return found;
    }

    /**
     * What is still inside a directory the caller owns, such as a driver's state directory after
     * every load balancer was removed.
     *
     * @param directory the directory
     * @return one entry per file or directory in it: {@code "left in DIR: NAME"}; {@code "unreadable
     *     DIR: reason"} when it cannot be listed; empty when it is empty or does not exist
     */
    public static List<String> entriesOf(Path directory) {
        List<String> found = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(directory)) {
                s.forEach(p -> found.add("left in " + directory + ": " + p.getFileName()));
            } catch (IOException e) {
                found.add("unreadable " + directory + ": " + e.getMessage());
            }
        }
        return found;
    }

    private static boolean startsWithAny(String name, List<String> prefixes) {
        return prefixes.stream().anyMatch(name::startsWith);
    }
}
