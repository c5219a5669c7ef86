package org.lbaas.driver.haproxy.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@link HostView#system()}: {@code /run/netns}, {@code /sys/class/net}, {@code /proc}. */
final class SystemHostView implements HostView {

    static final SystemHostView INSTANCE = new SystemHostView(Path.of("/run/netns"), Path.of("/sys/class/net"), Path.of("/proc"),
            Path.of("/etc"));

    private final Path netnsDir;
    private final Path sysNet;
    private final Path proc;
    private final Path etc;

    SystemHostView(Path netnsDir, Path sysNet, Path proc, Path etc) {
        this.netnsDir = netnsDir;
        this.sysNet = sysNet;
        this.proc = proc;
        this.etc = etc;
    }

    @Override
    public boolean userExists(String name) {
        return hasEntry(etc.resolve("passwd"), name);
    }

    @Override
    public boolean groupExists(String name) {
        return hasEntry(etc.resolve("group"), name);
    }

    /** Whether a colon-separated account database has an entry whose first field is {@code name}. */
    private static boolean hasEntry(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith(name + ":")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public List<String> namespaces() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(netnsDir)) {
            return out;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(netnsDir)) {
            for (Path p : dir) {
                out.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + netnsDir, e);
        }
        out.sort(null);
        return out;
    }

    @Override
    public boolean namespaceExists(String name) {
        return Files.exists(netnsDir.resolve(name));
    }

    @Override
    public boolean deviceExists(String name) {
        return Files.exists(sysNet.resolve(name));
    }

    /** Reads {@code /sys/class/net/NAME/flags} (hexadecimal; {@code IFF_UP} is bit 0). */
    @Override
    public boolean deviceUp(String name) {
        try {
            String flags = Files.readString(sysNet.resolve(name).resolve("flags"), StandardCharsets.US_ASCII).strip();
            return flags.startsWith("0x") && (Long.parseLong(flags.substring(2), 16) & 1L) != 0;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    @Override
    public Optional<ProcessInfo> process(long pid) {
        Path dir = proc.resolve(Long.toString(pid));
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.US_ASCII);
            int close = stat.lastIndexOf(')');
            if (close < 0 || close + 2 >= stat.length()) {
                return Optional.empty();
            }
            char state = stat.charAt(close + 2);
            if (state == 'Z' || state == 'X' || state == 'x') {
                return Optional.empty();
            }
            byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
            return Optional.of(new ProcessInfo(pid, split(raw)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public java.util.OptionalLong startTime(long pid) {
        try {
            String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.US_ASCII);
            int close = stat.lastIndexOf(')');
            if (close < 0 || close + 2 >= stat.length()) {
                return java.util.OptionalLong.empty();
            }
            // after "pid (comm) ": field 3 is the state, field 22 the start time
            String[] f = stat.substring(close + 2).trim().split(" ");
            char state = f[0].charAt(0);
            if (state == 'Z' || state == 'X' || state == 'x' || f.length < 20) {
                return java.util.OptionalLong.empty();
            }
            return java.util.OptionalLong.of(Long.parseLong(f[19]));
        } catch (IOException | RuntimeException e) {
            return java.util.OptionalLong.empty();
        }
    }

    private static List<String> split(byte[] raw) {
        List<String> argv = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                argv.add(new String(Arrays.copyOfRange(raw, start, i), StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < raw.length) {
            argv.add(new String(Arrays.copyOfRange(raw, start, raw.length), StandardCharsets.UTF_8));
        }
        return argv;
    }

    @Override
    public List<ProcessInfo> processes() {
        List<ProcessInfo> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(proc)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    process(Long.parseLong(name)).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + proc, e);
        }
        return out;
    }

    @Override
    public Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(Arrays.asList((path == null ? "" : path).split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(d, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public long openFilesHardLimit() {
        try {
            for (String line : Files.readAllLines(proc.resolve("self/limits"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[1].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return 1024;
    }
}
