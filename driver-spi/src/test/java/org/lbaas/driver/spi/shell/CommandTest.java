package org.lbaas.driver.spi.shell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandTest {

    @Test
    void ofUsesTheDocumentedDefaults() {
        Command c = Command.of("ip", "link");
        assertEquals(List.of("ip", "link"), c.argv());
        assertEquals(Map.of(), c.environment());
        assertEquals(Optional.empty(), c.workingDirectory());
        assertEquals(Command.DEFAULT_TIMEOUT, c.timeout());
        assertTrue(c.stdin().isEmpty());
        assertEquals(Command.DEFAULT_OUTPUT_LIMIT, c.outputLimit());
        assertEquals("", c.stdinText());
    }

    @Test
    void withersReturnNewCommandsAndLeaveTheOriginalAlone() {
        Command base = Command.of("cat");
        Command changed = base.withTimeout(Duration.ofSeconds(2))
                .withEnvironment("A", "1")
                .withEnvironment("B", "2")
                .withWorkingDirectory(Path.of("/tmp"))
                .withStdin("hi")
                .withOutputLimit(10);
        assertEquals(Command.of("cat"), base);
        assertEquals(Duration.ofSeconds(2), changed.timeout());
        assertEquals(Map.of("A", "1", "B", "2"), changed.environment());
        assertEquals(Optional.of(Path.of("/tmp")), changed.workingDirectory());
        assertEquals("hi", changed.stdinText());
        assertEquals(10, changed.outputLimit());
        assertEquals(Map.of("C", "3"), changed.withEnvironment(Map.of("C", "3")).environment());
    }

    @Test
    void argvIsCopiedDefensively() {
        List<String> argv = new ArrayList<>(List.of("echo", "a"));
        Command c = Command.of(argv);
        argv.add("b");
        assertEquals(List.of("echo", "a"), c.argv());
        assertThrows(UnsupportedOperationException.class, () -> c.argv().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> c.environment().put("x", "y"));
    }

    @Test
    void stdinIsCopiedOnTheWayInAndOut() {
        byte[] bytes = "abc".getBytes(StandardCharsets.UTF_8);
        Command c = Command.of("cat").withStdin(bytes);
        bytes[0] = 'z';
        byte[] out = c.stdin().orElseThrow();
        out[1] = 'z';
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), c.stdin().orElseThrow());
    }

    @Test
    void equalityComparesStdinByContent() {
        assertEquals(Command.of("cat").withStdin("x"), Command.of("cat").withStdin("x"));
        assertEquals(Command.of("cat").withStdin("x").hashCode(), Command.of("cat").withStdin("x").hashCode());
        assertNotEquals(Command.of("cat").withStdin("x"), Command.of("cat").withStdin("y"));
        assertNotEquals(Command.of("cat").withStdin(""), Command.of("cat"));
    }

    @Test
    void invalidCommandsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Command.of());
        assertThrows(IllegalArgumentException.class, () -> Command.of(""));
        assertThrows(IllegalArgumentException.class, () -> Command.of("echo", "a\0b"));
        assertThrows(NullPointerException.class, () -> Command.of("echo", null));
        assertThrows(IllegalArgumentException.class, () -> Command.of("echo").withTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Command.of("echo").withTimeout(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> Command.of("echo").withOutputLimit(-1));
        assertThrows(IllegalArgumentException.class, () -> Command.of("echo").withEnvironment("A=B", "x"));
        assertThrows(IllegalArgumentException.class, () -> Command.of("echo").withEnvironment("", "x"));
        assertThrows(IllegalArgumentException.class, () -> Command.of("echo").withEnvironment("A", "x\0"));
        assertThrows(NullPointerException.class, () -> Command.of("echo").withStdin((String) null));
    }

    @Test
    void commandLineQuotesOnlyWhatAShellWouldMisread() {
        Command c = Command.of("ip", "-n", "lbt-ns_1", "addr", "add", "198.18.0.2/24", "a b", "", "it's", "$x");
        assertEquals("ip -n lbt-ns_1 addr add 198.18.0.2/24 'a b' '' 'it'\\''s' '$x'", c.commandLine());
    }

    @Test
    void toStringShowsEnvironmentNamesButNotValues() {
        String s = Command.of("env").withEnvironment("SECRET", "hunter2").toString();
        assertTrue(s.contains("SECRET"), s);
        assertTrue(!s.contains("hunter2"), s);
    }
}
