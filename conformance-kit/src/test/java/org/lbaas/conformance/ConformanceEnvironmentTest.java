package org.lbaas.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.shell.CommandResult;

class ConformanceEnvironmentTest {

    @Test
    void aNewEnvironmentHasAnEmptyDirectoryASucceedingShellAndAStoppedClock() throws IOException {
        try (ConformanceEnvironment env = ConformanceEnvironment.create()) {
            assertTrue(Files.isDirectory(env.directory()));
            try (var entries = Files.list(env.directory())) {
                assertEquals(0, entries.count());
            }
            assertEquals(0, env.shell().execute("haproxy", "-c").exitCode());
            assertEquals(ConformanceEnvironment.START, env.clock().instant());
            assertEquals(env.shell(), env.config().shell());
            assertEquals(env.clock(), env.config().clock());
        }
    }

    @Test
    void aBrokenShellFailsEveryCommandUntilRestored() {
        try (ConformanceEnvironment env = ConformanceEnvironment.create()) {
            env.shell().whenArgvStartsWith("ip").thenStdout("scripted");
            env.breakDown(EnumSet.of(ConformanceEnvironment.Fault.SHELL));
            CommandResult r = env.shell().execute("ip", "link");
            assertEquals(1, r.exitCode());
            assertEquals(ConformanceEnvironment.INJECTED_FAILURE, r.stderr());
            assertEquals(1, env.shellCallsSinceBreak());
            assertTrue(Files.isDirectory(env.directory()), "only the shell was broken");
            env.restore();
            assertEquals("scripted", env.shell().execute("ip", "link").stdout(), "the driver's own stubs answer again");
        }
    }

    @Test
    void inLiveModeABrokenShellStillFailsCommandsThatWouldRunForReal() {
        try (ConformanceEnvironment env = ConformanceEnvironment.create()) {
            java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
            env.shell().passThroughTo(c -> {
                ran.incrementAndGet();
                return new CommandResult(c, 0, "real", false, "", false, Duration.ZERO);
            });
            assertEquals("real", env.shell().execute("ip", "netns", "list").stdout());
            env.breakDown(EnumSet.of(ConformanceEnvironment.Fault.SHELL));
            CommandResult r = env.shell().execute("ip", "netns", "list");
            assertEquals(1, r.exitCode());
            assertEquals(ConformanceEnvironment.INJECTED_FAILURE, r.stderr());
            assertEquals(1, ran.get(), "nothing ran for real while the shell was broken");
            env.restore();
            assertEquals("real", env.shell().execute("ip", "netns", "list").stdout());
            assertEquals(2, ran.get());
        }
    }

    @Test
    void aBrokenDirectoryRefusesWritesAndKeepsItsContents() throws IOException {
        Path dir;
        try (ConformanceEnvironment env = ConformanceEnvironment.create()) {
            dir = env.directory();
            Files.writeString(dir.resolve("kept"), "state");
            env.breakDown(EnumSet.of(ConformanceEnvironment.Fault.DIRECTORY));
            assertThrows(IOException.class, () -> Files.writeString(dir.resolve("new"), "x"));
            assertThrows(IOException.class, () -> Files.createDirectories(dir.resolve("sub")));
            assertEquals(0, env.shell().execute("true").exitCode(), "only the directory was broken");
            env.restore();
            assertEquals("state", Files.readString(dir.resolve("kept")));
            env.breakDown();
            assertTrue(env.isBroken());
        }
        assertFalse(Files.exists(dir), "closing restores and deletes the directory");
    }

    @Test
    void theManualClockMovesOnlyWhenTold() {
        ManualClock clock = ManualClock.at(Instant.EPOCH);
        assertEquals(Instant.EPOCH, clock.instant());
        assertEquals(Instant.ofEpochSecond(5), clock.advance(Duration.ofSeconds(5)));
        assertEquals(Instant.ofEpochSecond(5), clock.withZone(java.time.ZoneId.of("Europe/Paris")).instant(), "copies share the time");
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
        clock.set(Instant.EPOCH);
        assertEquals(Instant.EPOCH, clock.instant());
    }
}
