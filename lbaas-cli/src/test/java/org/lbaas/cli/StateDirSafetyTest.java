package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state directory is the owner's alone: unsafe ones are refused, what lbaas creates is owner-only. */
class StateDirSafetyTest {

    @TempDir
    Path tmp;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static void assertRefused(CliRun r, String path, String what, String fix) {
        assertEquals(1, r.exit(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains(path), r::toString);
        assertTrue(r.err().contains(what), r::toString);
        assertTrue(r.err().contains(fix), r::toString);
    }

    @Test
    @DisplayName("a world-writable state directory is refused by every command, naming it and the chmod that fixes it")
    void worldWritable() throws IOException {
        Path state = Files.createDirectory(tmp.resolve("state"));
        Files.createDirectory(state.resolve("store"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
        String id = UUID.randomUUID().toString();
        for (List<String> args : List.of(List.of("status"), List.of("undeploy", id), List.of("stats", id), List.of("reconcile"),
                List.of("update", "examples/web.json"), List.of("deploy", "--dry-run", "examples/web.json"))) {
            String[] argv = java.util.stream.Stream.concat(args.stream(), java.util.stream.Stream.of("--state-dir",
                    state.toString())).toArray(String[]::new);
            assertRefused(CliRun.run(argv), "state directory " + state, "writable by everyone", "chmod go-w " + state);
        }
    }

    @Test
    @DisplayName("a group-writable store/ inside a safe state directory is refused")
    void groupWritableStore() throws IOException {
        Path state = Files.createDirectory(tmp.resolve("state"));
        Path store = Files.createDirectory(state.resolve("store"));
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxrwx---"));
        assertRefused(CliRun.run("status", "--state-dir", state.toString()), store.toString(), "writable by its group",
                "chmod go-w " + store);
    }

    @Test
    @DisplayName("a symbolic link as state directory, or as store/ in it, is refused and not followed")
    void symbolicLinks() throws IOException {
        Path real = Files.createDirectory(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        assertRefused(CliRun.run("status", "--state-dir", link.toString()), link.toString(), "is a symbolic link",
                "use the real directory");

        Path state = Files.createDirectory(tmp.resolve("state"));
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(state.resolve("store"), elsewhere);
        CliRun r = CliRun.run("undeploy", "--state-dir", state.toString(), UUID.randomUUID().toString());
        assertRefused(r, state.resolve("store").toString(), "is a symbolic link", "remove the link");
        try (var files = Files.list(elsewhere)) {
            assertEquals(0, files.count(), "something was written through the link");
        }
    }

    @Test
    @DisplayName("what lbaas creates in the state directory is owner-only: directories 0700, files 0600")
    void createdOwnerOnly() throws IOException {
        Path root = tmp.resolve("new/state");
        StateDir dir = new StateDir(root);
        StateDir.Held lock = dir.lock("test");
        try {
            dir.journal().add(UUID.randomUUID());
            StateDir.writeAtomically(root.resolve("driver.properties"), "x=y\n");
        } finally {
            lock.close();
        }
        assertEquals("rwx------", mode(root));
        assertEquals("rwx------", mode(dir.store()));
        assertEquals("rwx------", mode(dir.pendingMonitors()));
        assertEquals("rw-------", mode(root.resolve("lock")));
        assertEquals("rw-------", mode(root.resolve("driver.properties")));
        try (var files = Files.list(dir.pendingMonitors())) {
            for (Path p : files.toList()) {
                assertEquals("rw-------", mode(p));
            }
        }
        dir.requireSafe("test");
    }
}
