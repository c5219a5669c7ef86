package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;

/**
 * {@code lbaas reconcile} prints what the driver left alone ({@code ReconcileReport.foreign()}):
 * a namespace with the state directory's prefix that the directory never recorded is listed, and
 * still there afterwards.
 */
@Tag("live")
class ReconcileForeignLiveTest {

    @TempDir
    Path tmp;

    @Test
    @DisplayName("a namespace with the prefix that the state directory did not record is listed as left alone, and kept")
    void foreignNamespaceIsListedAndKept() throws Exception {
        String prefix = "qlbf" + Long.toString(System.nanoTime() % 1_000_000L, 36) + "-";
        String ns = prefix + UUID.randomUUID();
        String ip = Host.system().findProgram("ip").orElseThrow().toString();
        ShellExecutor shell = ShellExecutor.system();
        Path state = tmp.resolve("state");
        try {
            CommandResult added = shell.execute(ip, "netns", "add", ns);
            assertEquals(0, added.exitCode(), added::toString);
            CliRun r = CliRun.run("reconcile", "--state-dir", state.toString(), "--namespace-prefix", prefix,
                    "--interface-driver", "noop");
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.out().contains("  left alone  namespace " + ns + ": not recorded in " + state.resolve("haproxy")), r::toString);
            assertTrue(!r.out().contains("nothing to do"), r::toString);
            assertTrue(Files.exists(Path.of("/run/netns", ns)), "the foreign namespace is never removed");
        } finally {
            shell.execute(ip, "netns", "delete", ns);
        }
        assertEquals(List.of(), LiveChecks.leftovers(List.of(prefix), ""));
    }
}
