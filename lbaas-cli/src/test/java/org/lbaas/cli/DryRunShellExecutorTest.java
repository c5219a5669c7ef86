package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;

class DryRunShellExecutorTest {

    @TempDir
    Path dir;

    @Test
    void printsPasteableLinesWithStandardInputAsAHereDocument() {
        assertEquals("$ ip -n 'ns 1' -batch - <<'EOF'\nlink set lo up\nEOF\n",
                DryRunShellExecutor.shellLine(Command.of("ip", "-n", "ns 1", "-batch", "-").withStdin("link set lo up")));
        assertEquals("$ LANG=C kill -TERM 42\n", DryRunShellExecutor.shellLine(Command.of("kill", "-TERM", "42")
                .withEnvironment("LANG", "C")));
    }

    @Test
    void answersSuccessKeepsCheckedConfigsOnceAndStopsPrintingAfterTheStart() throws Exception {
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, "global\n    maxconn 10\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DryRunShellExecutor shell = new DryRunShellExecutor(Optional.of(new PrintStream(bytes, true, StandardCharsets.UTF_8)),
                s -> s.replace(dir.toString(), "/state"));
        CommandResult r = shell.execute(Command.of("/usr/sbin/haproxy", "-c", "-f", cfg.toString()));
        assertEquals(0, r.exitCode());
        assertEquals("", r.stdout());
        shell.execute(Command.of("haproxy", "-c", "-f", cfg.toString()));
        assertFalse(shell.haproxyStarted());
        // the driver's start: HAProxy after nsenter's own options and "--"; its -f file is kept too
        Path started = dir.resolve("started.cfg");
        Files.writeString(started, "global\n    maxconn 20\n");
        shell.execute(Command.of("/usr/bin/nsenter", "--net=/run/netns/ns", "--", "/usr/sbin/haproxy", "-D", "-dW",
                "-f", started.toString()));
        assertTrue(shell.haproxyStarted());
        shell.execute(Command.of("ip", "netns", "del", "ns"));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals("$ /usr/sbin/haproxy -c -f /state/haproxy.cfg\n"
                + "# ---- /state/haproxy.cfg ----\nglobal\n    maxconn 10\n# ---- end of configuration ----\n"
                + "$ haproxy -c -f /state/haproxy.cfg\n"
                + "$ /usr/bin/nsenter --net=/run/netns/ns -- /usr/sbin/haproxy -D -dW -f /state/started.cfg\n"
                + "# ---- /state/started.cfg ----\nglobal\n    maxconn 20\n# ---- end of configuration ----\n", out);
        assertEquals(List.of("global\n    maxconn 10\n", "global\n    maxconn 20\n"), shell.configs());
        assertEquals(List.of(Command.of("ip", "netns", "del", "ns")), shell.afterStart());
        assertEquals(3, shell.printed().size());
    }
}
