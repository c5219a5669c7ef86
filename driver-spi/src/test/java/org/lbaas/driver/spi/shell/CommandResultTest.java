package org.lbaas.driver.spi.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandResultTest {

    private static CommandResult result(int exit, String stderr, boolean stderrTruncated) {
        return new CommandResult(Command.of("ip", "netns", "add", "x y"), exit, "out", false, stderr, stderrTruncated,
                Duration.ofMillis(5));
    }

    @Test
    void requireSuccessPassesAZeroExitThrough() {
        CommandResult ok = result(0, "", false);
        assertSame(ok, ok.requireSuccess());
        assertTrue(ok.isSuccess());
    }

    @Test
    void requireSuccessCarriesArgvExitCodeAndStderr() {
        CommandResult failed = result(2, "RTNETLINK answers: File exists\n", true);
        CommandFailedException e = assertThrows(CommandFailedException.class, failed::requireSuccess);
        assertEquals(List.of("ip", "netns", "add", "x y"), e.argv());
        assertEquals(2, e.exitCode());
        assertEquals("RTNETLINK answers: File exists\n", e.stderr());
        assertSame(failed, e.result());
        assertEquals("command failed with exit code 2: ip netns add 'x y'\n"
                + "stderr: RTNETLINK answers: File exists [truncated]", e.getMessage());
    }

    @Test
    void negativeElapsedIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CommandResult(Command.of("x"), 0, "", false, "", false,
                Duration.ofMillis(-1)));
    }
}
