package org.lbaas.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The setting of a dry run: the haproxy-ns driver works as usual, but on a scratch state
 * directory, under a namespace prefix nothing on the host uses (so it finds nothing of the host's
 * to adopt or remove), with a {@link DryRunShellExecutor} that runs nothing. Printed text shows the
 * real state directory and prefix instead of the scratch ones. Closing it deletes the scratch
 * directory.
 */
final class DryRun implements AutoCloseable {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final Path scratch;
    private final Map<String, String> settings;
    private final DryRunShellExecutor shell;

    /**
     * @param realSettings the settings a real run would use ({@code state_dir}, {@code namespace_prefix}, ...)
     * @param out where commands are printed; empty to print nothing
     */
    DryRun(Map<String, String> realSettings, Optional<PrintStream> out) {
        Objects.requireNonNull(realSettings, "realSettings");
        try {
            this.scratch = Files.createTempDirectory("lbaas-dry-");
        } catch (IOException e) {
            throw new StepFailedException("dry run: create a scratch directory", e.toString(), e);
        }
        SecureRandom random = new SecureRandom();
        StringBuilder prefix = new StringBuilder("lbaasdry");
        for (int i = 0; i < 8; i++) {
            prefix.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        String scratchPrefix = prefix.append('-').toString();
        String scratchState = scratch.resolve("haproxy").toString();
        String realState = realSettings.getOrDefault("state_dir", StateDir.DEFAULT + "/haproxy");
        String realPrefix = realSettings.getOrDefault("namespace_prefix", "qlbaas-");
        Map<String, String> s = new LinkedHashMap<>(realSettings);
        s.put("state_dir", scratchState);
        s.put("namespace_prefix", scratchPrefix);
        // Nothing starts, so there is nothing to wait for: the driver gives up at once.
        s.put("start_timeout", "1ms");
        this.settings = Map.copyOf(s);
        this.shell = new DryRunShellExecutor(out, text -> text.replace(scratchState, realState).replace(scratchPrefix, realPrefix));
    }

    /** The driver settings to use. */
    Map<String, String> settings() {
        return settings;
    }

    DryRunShellExecutor shell() {
        return shell;
    }

    @Override
    public void close() {
        try {
            Files.walkFileTree(scratch, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the dry run's scratch directory " + scratch, e);
        }
    }
}
