package org.lbaas.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.testkit.CommandPattern.argvStartsWith;
import static org.lbaas.testkit.CommandPattern.regex;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandFailedException;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.CommandStartException;
import org.lbaas.driver.spi.shell.CommandTimeoutException;

class RecordingShellExecutorTest {

    private final RecordingShellExecutor shell = new RecordingShellExecutor();

    @Test
    void recordsEveryCommandInOrderAndAnswersSuccessByDefault() {
        CommandResult r = shell.execute("ip", "netns", "add", "x");
        shell.execute(Command.of("haproxy", "-c", "-f", "/tmp/cfg").withStdin("abc"));
        assertEquals(0, r.exitCode());
        assertEquals("", r.stdout());
        assertEquals("", r.stderr());
        assertEquals(List.of(List.of("ip", "netns", "add", "x"), List.of("haproxy", "-c", "-f", "/tmp/cfg")), shell.argvs());
        assertEquals("abc", shell.commands().get(1).stdinText());
        assertEquals(2, shell.callCount());
    }

    @Test
    void answersFromTheScriptByPrefixAndRegex() {
        shell.whenArgvStartsWith("ip", "netns", "add").thenExit(2).thenStderr("File exists");
        shell.whenArgvMatches("^haproxy -v$").thenStdout("HAProxy version 2.6.12\n");
        CommandResult add = shell.execute("ip", "netns", "add", "a");
        CommandResult version = shell.execute("haproxy", "-v");
        CommandResult other = shell.execute("ip", "link", "show");
        assertEquals(2, add.exitCode());
        assertEquals("File exists", add.stderr());
        assertEquals("HAProxy version 2.6.12\n", version.stdout());
        assertEquals(0, version.exitCode());
        assertEquals(0, other.exitCode());
        assertEquals("", other.stdout());
    }

    @Test
    void theMostRecentMatchingStubWins() {
        shell.whenArgvStartsWith("ip").thenExit(1);
        shell.whenArgvStartsWith("ip", "netns").thenExit(7);
        assertEquals(7, shell.execute("ip", "netns", "list").exitCode());
        assertEquals(1, shell.execute("ip", "link").exitCode());
    }

    @Test
    void aStubLimitedToSomeUsesFallsBackAfterwards() {
        shell.whenArgvStartsWith("curl").thenStdout("ok");
        shell.whenArgvStartsWith("curl").thenExit(7).thenStderr("refused").times(2);
        assertEquals(7, shell.execute("curl", "x").exitCode());
        assertEquals(7, shell.execute("curl", "x").exitCode());
        CommandResult third = shell.execute("curl", "x");
        assertEquals(0, third.exitCode());
        assertEquals("ok", third.stdout());
    }

    @Test
    void aPredicatePatternAndAComputedAnswer() {
        shell.when(CommandPattern.matching("reads stdin", c -> c.stdin().isPresent()))
                .thenAnswer(c -> Reply.success().withStdout(c.stdinText().toUpperCase(java.util.Locale.ROOT)));
        assertEquals("HELLO", shell.execute(Command.of("cat").withStdin("hello")).stdout());
        assertEquals("", shell.execute("cat").stdout());
    }

    @Test
    void theDefaultReplyCanBeChanged() {
        shell.defaultReply(Reply.exit(127).withStderr("not found"));
        CommandResult r = shell.execute("anything");
        assertEquals(127, r.exitCode());
        assertEquals("not found", r.stderr());
    }

    @Test
    void passThroughRunsWhatNoStubAnswersOnTheRealExecutorAndStillRecordsIt() {
        List<Command> ran = new ArrayList<>();
        CommandResult realResult = new CommandResult(Command.of("ip", "netns", "list"), 0, "ns1\n", false, "", false,
                Duration.ofMillis(3));
        shell.passThroughTo(c -> {
            ran.add(c);
            if (c.argv().get(0).equals("missing")) {
                throw new CommandStartException(c, new java.io.IOException("no such program"));
            }
            return realResult;
        });
        shell.whenArgvStartsWith("haproxy").thenExit(3);
        assertEquals(realResult, shell.execute("ip", "netns", "list"), "the real result, unchanged");
        assertEquals(3, shell.execute("haproxy", "-c").exitCode(), "a stub wins over the real executor");
        shell.failNthCall(4);
        assertThrows(CommandStartException.class, () -> shell.execute("missing"), "the real executor's exception");
        assertEquals(1, shell.execute("ip", "link").exitCode(), "an N-th call reply wins too");
        shell.whenArgvStartsWith("ip").thenExit(9);
        assertEquals(9, shell.execute("ip", "addr").exitCode(), "a stub added later wins as well");
        assertEquals(List.of(List.of("ip", "netns", "list"), List.of("missing")), ran.stream().map(Command::argv).toList(),
                "only unanswered calls reach the real executor");
        assertEquals(5, shell.callCount(), "every call is recorded");
        shell.defaultReply(Reply.exit(127));
        assertEquals(127, shell.execute("other").exitCode(), "a default reply ends the pass-through");
        assertEquals(2, ran.size());
    }

    @Test
    void failNthCallOverridesTheScriptForThatCallOnly() {
        shell.whenArgvStartsWith("ip").thenStdout("fine");
        shell.failNthCall(2);
        assertEquals(0, shell.execute("ip", "a").exitCode());
        CommandResult second = shell.execute("ip", "b");
        assertEquals(1, second.exitCode());
        assertEquals("scripted failure of call #2", second.stderr());
        assertThrows(CommandFailedException.class, second::requireSuccess);
        assertEquals("fine", shell.execute("ip", "c").stdout());
    }

    @Test
    void failNthCallWithATimeoutOrStartFailure() {
        shell.failNthCall(1, Reply.timeout().withStdout("partial"));
        shell.failNthCall(2, Reply.startFailure());
        CommandTimeoutException timeout = assertThrows(CommandTimeoutException.class, () -> shell.execute("sleep", "1"));
        assertEquals("partial", timeout.partialStdout());
        assertEquals(List.of("sleep", "1"), timeout.argv());
        CommandStartException start = assertThrows(CommandStartException.class, () -> shell.execute("missing"));
        assertEquals(List.of("missing"), start.argv());
        assertEquals(2, shell.callCount(), "failed calls are recorded too");
    }

    @Test
    void aStubCanTimeOutOrFailToStart() {
        shell.whenArgvStartsWith("slow").thenTimeout();
        shell.whenArgvStartsWith("gone").thenFailToStart();
        assertThrows(CommandTimeoutException.class, () -> shell.execute("slow"));
        assertThrows(CommandStartException.class, () -> shell.execute("gone"));
    }

    @Test
    void aDelayBlocksTheCallerAndADelayBeyondTheTimeoutBecomesATimeout() {
        shell.whenArgvStartsWith("wait").thenDelay(Duration.ofMillis(150)).thenStdout("done");
        long start = System.nanoTime();
        CommandResult r = shell.execute("wait");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("done", r.stdout());
        assertTrue(tookMs >= 150, "took " + tookMs);
        assertEquals(Duration.ofMillis(150), r.elapsed());

        Command impatient = Command.of("wait").withTimeout(Duration.ofMillis(50));
        long start2 = System.nanoTime();
        CommandTimeoutException e = assertThrows(CommandTimeoutException.class, () -> shell.execute(impatient));
        long took2 = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start2);
        assertTrue(took2 >= 50 && took2 < 150, "timed out after " + took2 + " ms");
        assertEquals(Duration.ofMillis(50), e.elapsed());
    }

    @Test
    void anInterruptDuringADelayIsACommandInterruptedException() throws Exception {
        shell.whenArgvStartsWith("wait").thenDelay(Duration.ofSeconds(20));
        java.util.concurrent.CompletableFuture<Throwable> thrown = new java.util.concurrent.CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                shell.execute("wait");
                thrown.complete(null);
            } catch (RuntimeException e) {
                thrown.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("interrupt status lost"));
            }
        });
        caller.start();
        while (shell.callCount() == 0) {
            Thread.sleep(5);
        }
        caller.interrupt();
        Throwable e = thrown.get(5, TimeUnit.SECONDS);
        assertTrue(e instanceof org.lbaas.driver.spi.shell.CommandInterruptedException, String.valueOf(e));
    }

    @Test
    void scriptedOutputIsBoundedByTheCommandsOutputLimit() {
        shell.whenArgvStartsWith("big").thenStdout("0123456789").thenStderr("abc");
        CommandResult r = shell.execute(Command.of("big").withOutputLimit(4));
        assertEquals("0123", r.stdout());
        assertTrue(r.stdoutTruncated());
        assertEquals("abc", r.stderr());
        assertFalse(r.stderrTruncated());
    }

    @Test
    void containsSubsequencePassesForOrderedMatchesWithGaps() {
        shell.execute("ip", "netns", "add", "a");
        shell.execute("ip", "link", "add", "v0");
        shell.execute("haproxy", "-f", "cfg");
        shell.assertCommands()
                .containsSubsequence("ip netns add a", "haproxy -f cfg")
                .containsSubsequence(argvStartsWith("ip", "netns"), regex("^ip link"), argvStartsWith("haproxy"))
                .containsExactly("ip netns add a", "ip link add v0", "haproxy -f cfg")
                .hasSize(3)
                .hasNoCommandMatching("kill -9")
                .count(argvStartsWith("ip")).isEqualTo(2)
                .count("haproxy").isAtLeast(1);
        assertEquals(2, shell.count(argvStartsWith("ip")));
    }

    @Test
    void aSubsequenceFailurePrintsTheWholeRecordedSequenceOneArgvPerLine() {
        shell.execute("ip", "netns", "add", "a");
        shell.execute(Command.of("ip", "-batch", "-").withStdin("link set lo up\naddr add 198.18.0.2/24 dev eth0\n"));
        shell.execute("haproxy", "-f", "my cfg");
        AssertionError e = assertThrows(AssertionError.class,
                () -> shell.assertCommands().containsSubsequence("haproxy -f my cfg", "ip netns add a"));
        String message = e.getMessage();
        assertTrue(message.contains("but found no command matching [joined argv is \"ip netns add a\"] after command #3"), message);
        assertTrue(message.contains("recorded commands (3):"), message);
        assertTrue(message.contains("#1   ip netns add a\n"), message);
        assertTrue(message.contains("#2   ip -batch -\n         | link set lo up\n         | addr add 198.18.0.2/24 dev eth0\n"), message);
        assertTrue(message.contains("#3   haproxy -f 'my cfg'"), message);
    }

    @Test
    void otherAssertionFailuresNameTheProblemAndListTheSequence() {
        shell.execute("kill", "-9", "42");
        shell.execute("kill", "-TERM", "43");
        AssertionError forbidden = assertThrows(AssertionError.class,
                () -> shell.assertCommands().hasNoCommandMatching("^kill -9 "));
        assertTrue(forbidden.getMessage().startsWith("expected no command matching [joined argv matches /^kill -9 /] but commands [1] match"),
                forbidden.getMessage());
        assertTrue(forbidden.getMessage().contains("#2   kill -TERM 43"), forbidden.getMessage());

        AssertionError count = assertThrows(AssertionError.class,
                () -> shell.assertCommands().count(argvStartsWith("kill")).isEqualTo(3));
        assertTrue(count.getMessage().contains("expected 3 commands matching [argv starts with [kill]] but found 2"), count.getMessage());

        AssertionError exactly = assertThrows(AssertionError.class,
                () -> shell.assertCommands().containsExactly("kill -9 42", "kill -9 43"));
        assertTrue(exactly.getMessage().contains("first difference at command #2"), exactly.getMessage());

        AssertionError size = assertThrows(AssertionError.class, () -> shell.assertCommands().isEmpty());
        assertTrue(size.getMessage().contains("expected 0 commands but 2 were recorded"), size.getMessage());
    }

    @Test
    void anEmptyRecordingSaysSo() {
        AssertionError e = assertThrows(AssertionError.class, () -> shell.assertCommands().containsSubsequence("x"));
        assertTrue(e.getMessage().contains("recorded commands (0):\n  (none)"), e.getMessage());
        shell.assertCommands().isEmpty();
    }

    @Test
    void resetForgetsRecordingsButKeepsTheScript() {
        shell.whenArgvStartsWith("a").thenExit(3);
        shell.execute("a");
        shell.reset();
        assertEquals(0, shell.callCount());
        assertEquals(3, shell.execute("a").exitCode());
        assertEquals(1, shell.callCount());
    }

    @Test
    void isThreadSafeAndNumbersCallsConsistently() throws Exception {
        shell.whenArgvStartsWith("slow").thenDelay(Duration.ofMillis(20));
        shell.failNthCall(50);
        int threads = 8;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> failures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                failures.add(pool.submit(() -> {
                    go.await();
                    int failed = 0;
                    for (int i = 0; i < perThread; i++) {
                        String program = i % 10 == 0 ? "slow" : "fast";
                        if (shell.execute(program, "t" + id, "i" + i).exitCode() != 0) {
                            failed++;
                        }
                    }
                    return failed;
                }));
            }
            go.countDown();
            int totalFailed = 0;
            for (Future<Integer> f : failures) {
                totalFailed += f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(1, totalFailed, "exactly the 50th call fails");
        } finally {
            pool.shutdownNow();
        }
        List<List<String>> argvs = shell.argvs();
        assertEquals(threads * perThread, argvs.size());
        Set<List<String>> distinct = new HashSet<>(argvs);
        assertEquals(threads * perThread, distinct.size(), "every call recorded once");
        shell.assertCommands().count(argvStartsWith("slow")).isEqualTo(threads * perThread / 10);
    }
}
