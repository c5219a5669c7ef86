package org.lbaas.driver.haproxy.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/** File helpers: atomic replacement (temp file, fsync, rename) and owner-only directories. */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * Replaces a file's content atomically: readers see the old or the new content, never a mix,
     * and after a crash the file holds one of them. Writes a temp file beside it (mode 0600),
     * forces it to disk, renames it over the target.
     *
     * @param target the file
     * @param text the new content
     * @throws IOException when it cannot be written
     */
    public static void write(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        move(tmp, target);
    }

    /**
     * Renames a file over another atomically.
     *
     * @param from the source
     * @param to the target, replaced
     * @throws IOException when it cannot be renamed
     */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Makes {@code link} a second name of {@code target}'s current content (a hard link, replaced
     * atomically), so a later rename over {@code target} leaves {@code link} with the old content.
     * Falls back to a copy where hard links are not possible.
     *
     * @param target the existing file
     * @param link the name to (re)point
     * @throws IOException when neither works
     */
    public static void snapshot(Path target, Path link) throws IOException {
        Path tmp = link.resolveSibling("." + link.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createLink(tmp, target);
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(target, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        move(tmp, link);
    }

    /**
     * Reads a file if it exists.
     *
     * @param file the file
     * @return its content, or empty when it does not exist
     * @throws IOException when it exists but cannot be read
     */
    public static Optional<String> read(Path file) throws IOException {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Creates a directory (and its parents) and makes it owner-only (0700).
     *
     * @param dir the directory
     * @throws IOException when it cannot be created
     */
    public static void ownerOnlyDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
}
