package org.lbaas.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Load balancer documents for the tests: the example shipped with the command, and variants of it. */
final class Docs {

    private Docs() {
    }

    /** The example document, {@code lbaas-cli/examples/web.json}. */
    static String web() {
        try {
            return Files.readString(Path.of("examples/web.json"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a document to a file. */
    static Path write(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, text, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example with one text replaced, which must occur exactly once. */
    static String webWith(String from, String to) {
        String web = web();
        int at = web.indexOf(from);
        if (at < 0 || web.indexOf(from, at + 1) >= 0) {
            throw new IllegalArgumentException("not exactly once in examples/web.json: " + from);
        }
        return web.replace(from, to);
    }
}
