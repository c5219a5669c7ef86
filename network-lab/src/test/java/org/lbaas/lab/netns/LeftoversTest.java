package org.lbaas.lab.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.driver.spi.shell.CommandFailedException;
import org.lbaas.testkit.RecordingShellExecutor;
import org.lbaas.testkit.Reply;

class LeftoversTest {

    private final RecordingShellExecutor shell = new RecordingShellExecutor();

    @Test
    void findsNamespacesThenDevicesOfEveryPrefixOnceWithoutPeerSuffixes() {
        shell.whenArgvStartsWith("ip", "netns", "list").thenStdout("labx-a (id: 3)\nother\ntapab-1\nlabx-a\n");
        shell.whenArgvStartsWith("ip", "-o", "link", "show").thenStdout(
                "1: lo: <LOOPBACK,UP> mtu 65536\n"
                        + "7: labxv1@if2: <BROADCAST> mtu 1500\n"
                        + "8: tapab-2: <BROADCAST> mtu 1500\n"
                        + "9: eth0: <BROADCAST> mtu 1500\n");
        assertEquals(List.of("labx-a", "tapab-1", "labxv1", "tapab-2"), Leftovers.names(shell, List.of("labx", "tapab")));
        shell.assertCommands().containsExactly("ip netns list", "ip -o link show");
    }

    @Test
    void anEmptyPrefixWouldMatchEverythingAndIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Leftovers.names(shell, List.of("labx", "")));
        assertThrows(IllegalArgumentException.class, () -> Leftovers.names(shell, List.of()));
        shell.assertCommands().isEmpty();
    }

    @Test
    void aFailingIpIsAnErrorNotAnEmptyList() {
        shell.whenArgvStartsWith("ip", "netns", "list").thenReply(Reply.exit(1).withStderr("boom"));
        assertThrows(CommandFailedException.class, () -> Leftovers.names(shell, List.of("labx")));
    }

    @Test
    void findsThisJvmByAPathOnItsCommandLineAndNothingByAnUnusedOne() {
        Path javaHome = Path.of(System.getProperty("java.home"));
        assertTrue(Leftovers.processesMentioning(javaHome).stream()
                .anyMatch(p -> p.startsWith("process " + ProcessHandle.current().pid() + ": ")), "this JVM runs " + javaHome);
        assertEquals(List.of(), Leftovers.processesMentioning(Path.of("/nonexistent/lbaas-" + System.nanoTime())));
    }

    @Test
    void entriesLeftInADirectoryAreNamedAndAMissingDirectoryHasNone(@TempDir Path dir) throws Exception {
        assertEquals(List.of(), Leftovers.entriesOf(dir.resolve("missing")));
        assertEquals(List.of(), Leftovers.entriesOf(dir));
        Files.createDirectory(dir.resolve("pool-1"));
        assertEquals(List.of("left in " + dir + ": pool-1"), Leftovers.entriesOf(dir));
    }
}
