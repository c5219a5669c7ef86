package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void printsEachCommandAndAnswersSuccessWithoutRunningIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DryRunShellExecutor shell = new DryRunShellExecutor(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Path marker = dir.resolve("created");
        Command touch = Command.of("touch", marker.toString());
        CommandResult r = shell.execute(touch);
        assertEquals(0, r.exitCode());
        assertEquals("", r.stdout());
        assertEquals("", r.stderr());
        Command del = Command.of("ip", "-force", "-batch", "-").withStdin("netns del ns\n");
        shell.execute(del);
        assertFalse(Files.exists(marker), "the command ran");
        assertEquals("$ touch " + marker + "\n$ ip -force -batch - <<'EOF'\nnetns del ns\nEOF\n", bytes.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(touch, del), shell.printed());
    }
}
