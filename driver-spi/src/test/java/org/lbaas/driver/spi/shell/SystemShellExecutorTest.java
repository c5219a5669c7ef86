package org.lbaas.driver.spi.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real, harmless commands through {@link ShellExecutor#system()}. */
class SystemShellExecutorTest {

    private final ShellExecutor shell = ShellExecutor.system();

    @Test
    void echoReturnsItsOutputAndExitCodeZero() {
        CommandResult result = shell.execute("/bin/echo", "hello", "world");
        assertEquals(0, result.exitCode());
        assertTrue(result.isSuccess());
        assertEquals("hello world\n", result.stdout());
        assertEquals("", result.stderr());
        assertFalse(result.stdoutTruncated());
        assertFalse(result.stderrTruncated());
        assertFalse(result.elapsed().isNegative());
        assertEquals(List.of("/bin/echo", "hello", "world"), result.command().argv());
        assertTrue(result.requireSuccess() == result, "requireSuccess returns the result itself");
    }

    @Test
    void everyArgumentArrivesVerbatimWithoutAnyShellInterpretation() {
        List<String> args = List.of("a", "b c", "", "$HOME", "${HOME}", "'q'", "\"dq\"", ";", "*", "a\\b", "x\ny", "`id`");
        List<String> argv = new ArrayList<>(List.of("/usr/bin/printf", "[%s]"));
        argv.addAll(args);
        CommandResult result = shell.execute(Command.of(argv));
        StringBuilder expected = new StringBuilder();
        args.forEach(a -> expected.append('[').append(a).append(']'));
        assertEquals(expected.toString(), result.stdout());
    }

    @Test
    void nonZeroExitIsAResultAndRequireSuccessThrowsWithArgvExitCodeAndStderr() {
        Command command = Command.of("/bin/sh", "-c", "echo oops >&2; echo out; exit 3");
        CommandResult result = shell.execute(command);
        assertEquals(3, result.exitCode());
        assertFalse(result.isSuccess());
        assertEquals("oops\n", result.stderr());
        assertEquals("out\n", result.stdout());

        CommandFailedException e = assertThrows(CommandFailedException.class, result::requireSuccess);
        assertEquals(command.argv(), e.argv());
        assertEquals(3, e.exitCode());
        assertEquals("oops\n", e.stderr());
        assertTrue(e.getMessage().contains("exit code 3"), e.getMessage());
        assertTrue(e.getMessage().contains("oops"), e.getMessage());
        assertTrue(e.getMessage().contains("/bin/sh -c 'echo oops >&2; echo out; exit 3'"), e.getMessage());
    }

    @Test
    void plainExitThreeWithoutOutput() {
        CommandResult result = shell.execute("/bin/sh", "-c", "exit 3");
        assertEquals(3, result.exitCode());
        assertEquals("", result.stdout());
    }

    @Test
    void aCommandExceedingItsTimeoutIsTerminatedAndReportedAsTimeout() {
        Command command = Command.of("sleep", "10").withTimeout(Duration.ofMillis(300));
        long start = System.nanoTime();
        CommandTimeoutException e = assertThrows(CommandTimeoutException.class, () -> shell.execute(command));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "returned after " + took);
        assertTrue(e.elapsed().compareTo(Duration.ofMillis(300)) >= 0, "elapsed " + e.elapsed());
        assertEquals(Duration.ofMillis(300), e.timeout());
        assertEquals(command, e.command());
    }

    @Test
    void theTimedOutProcessIsReallyGoneAndItsPartialOutputIsKept() throws Exception {
        // The shell prints its own pid, then execs sleep in the same process.
        Command command = Command.of("/bin/sh", "-c", "echo $$; exec sleep 10").withTimeout(Duration.ofMillis(500));
        CommandTimeoutException e = assertThrows(CommandTimeoutException.class, () -> shell.execute(command));
        long pid = Long.parseLong(e.partialStdout().strip());
        assertProcessGone(pid);
    }

    @Test
    void aProcessIgnoringSigtermIsKilledAfterTheGrace() throws Exception {
        Command command = Command.of("/bin/sh", "-c", "trap '' TERM; echo $$; while :; do sleep 0.1; done")
                .withTimeout(Duration.ofMillis(300));
        long start = System.nanoTime();
        CommandTimeoutException e = assertThrows(CommandTimeoutException.class, () -> shell.execute(command));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        long pid = Long.parseLong(e.partialStdout().strip());
        assertProcessGone(pid);
        long bound = 300 + SystemShellExecutor.KILL_GRACE_MILLIS + SystemShellExecutor.DRAIN_MILLIS + 2000;
        assertTrue(took.toMillis() < bound, "took " + took);
    }

    @Test
    void anInterruptedCallerStopsWaitingKeepsItsInterruptStatusAndTheProcessDies(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("pid");
        Command command = Command.of("/bin/sh", "-c", "echo $$ > \"$0\"; exec sleep 30", pidFile.toString());
        java.util.concurrent.CompletableFuture<Throwable> thrown = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.atomic.AtomicBoolean interruptedAfterwards = new java.util.concurrent.atomic.AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                shell.execute(command);
                thrown.complete(null);
            } catch (RuntimeException e) {
                interruptedAfterwards.set(Thread.currentThread().isInterrupted());
                thrown.complete(e);
            }
        });
        caller.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        long start = System.nanoTime();
        caller.interrupt();
        Throwable e = thrown.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(e instanceof CommandInterruptedException, String.valueOf(e));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1000, "stopped waiting at once");
        assertTrue(interruptedAfterwards.get(), "interrupt status kept");
        assertEquals(command, ((CommandInterruptedException) e).command());
        assertProcessGone(pid);
    }

    @Test
    void outputBeyondTheLimitIsCutAndFlagged() {
        Command command = Command.of("head", "-c", "100000", "/dev/zero").withOutputLimit(1000);
        CommandResult result = shell.execute(command);
        assertEquals(0, result.exitCode());
        assertEquals(1000, result.stdout().length());
        assertTrue(result.stdoutTruncated());
        assertFalse(result.stderrTruncated());
    }

    @Test
    void stderrIsBoundedSeparately() {
        Command command = Command.of("/bin/sh", "-c", "head -c 5000 /dev/zero >&2; printf abc").withOutputLimit(100);
        CommandResult result = shell.execute(command);
        assertEquals(100, result.stderr().length());
        assertTrue(result.stderrTruncated());
        assertEquals("abc", result.stdout());
        assertFalse(result.stdoutTruncated());
    }

    @Test
    void outputExactlyAtTheLimitIsNotTruncated() {
        CommandResult result = shell.execute(Command.of("/usr/bin/printf", "12345").withOutputLimit(5));
        assertEquals("12345", result.stdout());
        assertFalse(result.stdoutTruncated());
    }

    @Test
    void stdinIsPipedToTheCommand() {
        CommandResult result = shell.execute(Command.of("cat").withStdin("line one\nline two\n"));
        assertEquals("line one\nline two\n", result.stdout());
    }

    @Test
    void largeStdinIsDeliveredCompletely() {
        byte[] input = new byte[3 * 1024 * 1024 + 7];
        Arrays.fill(input, (byte) 'x');
        CommandResult result = shell.execute(Command.of("wc", "-c").withStdin(input));
        assertEquals(String.valueOf(input.length), result.stdout().strip());
    }

    @Test
    void withoutStdinTheCommandReadsEndOfFileAtOnce() {
        CommandResult result = shell.execute(Command.of("cat").withTimeout(Duration.ofSeconds(5)));
        assertEquals(0, result.exitCode());
        assertEquals("", result.stdout());
    }

    @Test
    void environmentAdditionsAreVisibleAndTheRestIsInherited() {
        Command command = Command.of("/usr/bin/env").withEnvironment("LBAAS_TEST_VAR", "x y $z");
        CommandResult result = shell.execute(command);
        List<String> lines = result.stdout().lines().toList();
        assertTrue(lines.contains("LBAAS_TEST_VAR=x y $z"), result.stdout());
        Optional<String> path = Optional.ofNullable(System.getenv("PATH"));
        path.ifPresent(p -> assertTrue(lines.contains("PATH=" + p), "PATH inherited"));
    }

    @Test
    void withoutAdditionsTheEnvironmentIsInheritedUnchanged() {
        CommandResult result = shell.execute("/usr/bin/env");
        assertTrue(result.stdout().lines().noneMatch(l -> l.startsWith("LBAAS_TEST_VAR=")));
        Optional.ofNullable(System.getenv("HOME"))
                .ifPresent(h -> assertTrue(result.stdout().lines().anyMatch(l -> l.equals("HOME=" + h))));
    }

    @Test
    void theWorkingDirectoryIsRespected(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("marker.txt"), "here");
        CommandResult result = shell.execute(Command.of("/bin/pwd").withWorkingDirectory(dir));
        assertEquals(dir.toRealPath().toString(), result.stdout().strip());
        CommandResult cat = shell.execute(Command.of("cat", "marker.txt").withWorkingDirectory(dir));
        assertEquals("here", cat.stdout());
    }

    @Test
    void aMissingProgramIsAStartFailure() {
        Command command = Command.of("/nonexistent/lbaas-no-such-binary", "x");
        CommandStartException e = assertThrows(CommandStartException.class, () -> shell.execute(command));
        assertEquals(command.argv(), e.argv());
        assertTrue(e.getMessage().contains("/nonexistent/lbaas-no-such-binary"), e.getMessage());
    }

    @Test
    void aProgramNotOnThePathIsAStartFailure() {
        assertThrows(CommandStartException.class, () -> shell.execute("lbaas-no-such-binary-on-path"));
    }

    @Test
    void aMissingWorkingDirectoryIsAStartFailure(@TempDir Path dir) {
        Command command = Command.of("/bin/pwd").withWorkingDirectory(dir.resolve("missing"));
        assertThrows(CommandStartException.class, () -> shell.execute(command));
    }

    @Test
    void aNonExecutableFileIsAStartFailure(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-executable"), "#!/bin/sh\necho hi\n");
        assertThrows(CommandStartException.class, () -> shell.execute(file.toString()));
    }

    @Test
    void aGrandchildHoldingStdoutOpenDoesNotHangTheCall() throws Exception {
        // The shell starts a background sleep that inherits stdout, prints its pid and exits.
        Command command = Command.of("/bin/sh", "-c", "sleep 30 & echo $!").withTimeout(Duration.ofSeconds(20));
        long start = System.nanoTime();
        CommandResult result = shell.execute(command);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        long sleeperPid = Long.parseLong(result.stdout().strip());
        try {
            assertEquals(0, result.exitCode());
            assertTrue(took.toMillis() < SystemShellExecutor.DRAIN_MILLIS + 3000, "took " + took);
        } finally {
            ProcessHandle.of(sleeperPid).ifPresent(ProcessHandle::destroyForcibly);
        }
        assertProcessGone(sleeperPid);
    }

    @Test
    void concurrentCallsDoNotMixTheirOutput() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<CommandResult>> futures = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String word = "word-" + i;
                futures.add(pool.submit(() -> shell.execute(Command.of("/bin/echo", word).withStdin(word))));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals("word-" + i + "\n", futures.get(i).get().stdout());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void invalidUtf8IsReplacedNotFatal() {
        CommandResult result = shell.execute("/usr/bin/printf", "a\\377b");
        assertEquals("a\uFFFDb", result.stdout());
    }

    private static void assertProcessGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isEmpty() || !handle.get().isAlive()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("process " + pid + " is still alive");
    }
}
