package org.lbaas.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a live test must find gone afterwards. */
final class LiveChecks {

    private LiveChecks() {
    }

    /**
     * Namespaces and network devices whose names start with one of the prefixes, and processes
     * whose command line mentions {@code marker} (empty: none checked).
     */
    static List<String> leftovers(List<String> prefixes, String marker) throws IOException {
        List<String> left = new ArrayList<>();
        for (Path dir : List.of(Path.of("/run/netns"), Path.of("/sys/class/net"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                for (Path p : s) {
                    String name = p.getFileName().toString();
                    if (prefixes.stream().anyMatch(name::startsWith)) {
                        left.add(dir + "/" + name);
                    }
                }
            }
        }
        if (!marker.isEmpty()) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path p : s) {
                    try {
                        String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                        if (cmdline.contains(marker)) {
                            left.add("process " + p.getFileName() + " " + cmdline.replace('\0', ' ').strip());
                        }
                    } catch (IOException e) {
                        // the process ended meanwhile
                    }
                }
            }
        }
        return left;
    }
}
