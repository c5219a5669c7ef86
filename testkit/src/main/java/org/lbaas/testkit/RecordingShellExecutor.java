package org.lbaas.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandInterruptedException;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.CommandStartException;
import org.lbaas.driver.spi.shell.CommandTimeoutException;
import org.lbaas.driver.spi.shell.ShellExecutor;

/**
 * A {@link ShellExecutor} for tests: runs nothing (unless told to pass commands through to a real
 * executor), records every {@link Command} it is given and answers from a script.
 *
 * <pre>{@code
 * RecordingShellExecutor shell = new RecordingShellExecutor();
 * shell.whenArgvStartsWith("ip", "netns", "list").thenStdout("qlbaas-p1\n");
 * shell.whenArgvMatches("^haproxy -c ").thenExit(1).thenStderr("[ALERT] parse error");
 * shell.failNthCall(3);
 *
 * driver.deploy(...);
 *
 * shell.assertCommands()
 *      .containsSubsequence("ip netns add qlbaas-p1", "ip -n qlbaas-p1 -batch -")
 *      .hasNoCommandMatching("kill -9");
 * }</pre>
 *
 * <p>How a call is answered, first rule that applies:
 * <ol>
 *   <li>a reply set with {@link #failNthCall(int, Reply)} for this call's number (1-based, counting
 *       every call since creation or {@link #reset()});</li>
 *   <li>the most recently added stub whose pattern matches and whose use count is not exhausted
 *       (so add general stubs first and special cases after them);</li>
 *   <li>the default reply ({@link Reply#success()} unless changed by {@link #defaultReply(Reply)}),
 *       or, after {@link #passThroughTo(ShellExecutor)}, the real executor, which really runs the
 *       command and whose result or exception is returned unchanged.</li>
 * </ol>
 *
 * <p>Standard output and error of a reply are cut to the command's
 * {@link Command#outputLimit()} (with the truncated flag set), like a real executor would.
 *
 * <p>Thread-safe: calls may come from several threads; they are numbered and recorded in the
 * order they arrive. Delays and passed-through commands are served outside the lock, so a slow
 * call does not block others; a caller interrupted during a delay gets
 * {@code CommandInterruptedException}, as from a real executor.
 */
public final class RecordingShellExecutor implements ShellExecutor {

    private final Object lock = new Object();
    private final List<Command> recorded = new ArrayList<>();
    private final List<Stub> stubs = new ArrayList<>();
    private final Map<Integer, Reply> nthReplies = new HashMap<>();
    private Reply defaultReply = Reply.success();
    /** Runs what no stub answers, instead of {@link #defaultReply}; null while there is none. */
    private ShellExecutor passThrough;

    /** Creates an executor with an empty script whose default reply is exit 0 without output. */
    public RecordingShellExecutor() {
    }

    /**
     * Starts a stub for commands whose argv begins with the given elements.
     *
     * @param prefix the first argv elements
     * @return the stub, answering exit 0 without output until refined
     */
    public Stub whenArgvStartsWith(String... prefix) {
        return when(CommandPattern.argvStartsWith(prefix));
    }

    /**
     * Starts a stub for commands whose joined argv (single spaces) contains a match of the regex.
     *
     * @param regex a regular expression; anchor with {@code ^...$} to match the whole line
     * @return the stub, answering exit 0 without output until refined
     */
    public Stub whenArgvMatches(String regex) {
        return when(CommandPattern.regex(regex));
    }

    /**
     * Starts a stub for commands the pattern matches.
     *
     * @param pattern which commands the stub answers
     * @return the stub, answering exit 0 without output until refined
     */
    public Stub when(CommandPattern pattern) {
        Objects.requireNonNull(pattern, "pattern");
        Stub stub = new Stub(pattern);
        synchronized (lock) {
            stubs.add(stub);
        }
        return stub;
    }

    /**
     * Sets the reply for calls no stub answers (and ends a {@link #passThroughTo(ShellExecutor)}).
     *
     * @param reply the default reply
     * @return this executor
     */
    public RecordingShellExecutor defaultReply(Reply reply) {
        Objects.requireNonNull(reply, "reply");
        synchronized (lock) {
            this.defaultReply = reply;
            this.passThrough = null;
        }
        return this;
    }

    /**
     * Runs every call that neither an N-th call reply nor a stub answers on {@code real}, such as
     * {@link ShellExecutor#system()}, instead of answering with the default reply: the command
     * really runs, its result (or exception) is returned unchanged, and it is recorded like any
     * other call. Stubs, also those added later, still win over the real executor, so a test can
     * drive a real host and still inject failures. {@link #defaultReply(Reply)} ends it.
     *
     * <pre>{@code
     * RecordingShellExecutor shell = new RecordingShellExecutor().passThroughTo(ShellExecutor.system());
     * shell.whenArgvStartsWith("haproxy", "-c").thenExit(1);   // only this one is faked
     * }</pre>
     *
     * @param real the executor that runs the commands no stub answers
     * @return this executor
     */
    public RecordingShellExecutor passThroughTo(ShellExecutor real) {
        Objects.requireNonNull(real, "real");
        synchronized (lock) {
            this.passThrough = real;
        }
        return this;
    }

    /**
     * Makes call number {@code n} (1-based, whatever the command) answer with the given reply,
     * before any stub is consulted.
     *
     * @param n the call number, at least 1
     * @param reply the reply for that call
     * @return this executor
     */
    public RecordingShellExecutor failNthCall(int n, Reply reply) {
        if (n < 1) {
            throw new IllegalArgumentException("call numbers start at 1: " + n);
        }
        Objects.requireNonNull(reply, "reply");
        synchronized (lock) {
            nthReplies.put(n, reply);
        }
        return this;
    }

    /**
     * Makes call number {@code n} exit with code 1 and the standard error
     * {@code "scripted failure of call #n"}.
     *
     * @param n the call number, at least 1
     * @return this executor
     */
    public RecordingShellExecutor failNthCall(int n) {
        return failNthCall(n, Reply.exit(1).withStderr("scripted failure of call #" + n));
    }

    @Override
    public CommandResult execute(Command command) {
        Objects.requireNonNull(command, "command");
        int number;
        Stub stub = null;
        Reply reply;
        ShellExecutor real = null;
        synchronized (lock) {
            recorded.add(command);
            number = recorded.size();
            reply = nthReplies.get(number);
            if (reply == null) {
                for (int i = stubs.size() - 1; i >= 0 && stub == null; i--) {
                    Stub candidate = stubs.get(i);
                    if (candidate.tryUse(command)) {
                        stub = candidate;
                    }
                }
                if (stub == null && passThrough != null) {
                    real = passThrough;
                } else {
                    reply = stub == null ? defaultReply : null;
                }
            }
        }
        if (real != null) {
            return real.execute(command);
        }
        if (reply == null) {
            reply = Objects.requireNonNull(stub.answer(command), "a stub answer returned null");
        }
        return answer(command, reply);
    }

    private static CommandResult answer(Command command, Reply reply) {
        Duration delay = reply.delay();
        boolean timesOut = reply.kind() == Reply.Kind.TIMEOUT || delay.compareTo(command.timeout()) >= 0;
        Duration slept = timesOut && delay.compareTo(command.timeout()) > 0 ? command.timeout() : delay;
        sleep(command, slept);
        if (timesOut) {
            throw new CommandTimeoutException(command, cut(reply.stdout(), command.outputLimit()),
                    cut(reply.stderr(), command.outputLimit()), slept.isZero() ? command.timeout() : slept);
        }
        if (reply.kind() == Reply.Kind.START_FAILURE) {
            throw new CommandStartException(command, new IOException("scripted start failure of " + command.argv().get(0)));
        }
        String out = cut(reply.stdout(), command.outputLimit());
        String err = cut(reply.stderr(), command.outputLimit());
        return new CommandResult(command, reply.exitCode(), out, !out.equals(reply.stdout()), err,
                !err.equals(reply.stderr()), slept);
    }

    private static String cut(String text, int limitBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= limitBytes) {
            return text;
        }
        return new String(Arrays.copyOf(bytes, limitBytes), StandardCharsets.UTF_8);
    }

    private static void sleep(Command command, Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandInterruptedException(command, e);
        }
    }

    /**
     * Every command recorded so far, in call order.
     *
     * @return an immutable snapshot
     */
    public List<Command> commands() {
        synchronized (lock) {
            return List.copyOf(recorded);
        }
    }

    /**
     * The argv of every command recorded so far, in call order.
     *
     * @return an immutable snapshot
     */
    public List<List<String>> argvs() {
        return commands().stream().map(Command::argv).toList();
    }

    /**
     * How many calls were made.
     *
     * @return the number of recorded commands
     */
    public int callCount() {
        synchronized (lock) {
            return recorded.size();
        }
    }

    /**
     * How many recorded commands the pattern matches.
     *
     * @param pattern the pattern
     * @return the count
     */
    public int count(CommandPattern pattern) {
        Objects.requireNonNull(pattern, "pattern");
        return (int) commands().stream().filter(pattern::matches).count();
    }

    /**
     * Assertions over a snapshot of the commands recorded so far.
     *
     * @return the assertions
     */
    public CommandAssertions assertCommands() {
        return new CommandAssertions(commands());
    }

    /**
     * Forgets the recorded commands and restarts call numbering at 1; the script (stubs, default
     * reply, N-th call replies) stays, and stub use counts are not reset.
     */
    public void reset() {
        synchronized (lock) {
            recorded.clear();
        }
    }

    /**
     * A scripted answer for the commands one pattern matches. Each {@code then...} method refines
     * the reply and returns this stub, so calls chain; the stub is active from the moment
     * {@link RecordingShellExecutor#when(CommandPattern)} returned it.
     */
    public final class Stub {
        private final CommandPattern pattern;
        private Function<Command, Reply> answer = c -> Reply.success();
        private Reply reply = Reply.success();
        private int remainingUses = -1;

        private Stub(CommandPattern pattern) {
            this.pattern = pattern;
        }

        private boolean tryUse(Command command) {
            if (remainingUses == 0 || !pattern.matches(command)) {
                return false;
            }
            if (remainingUses > 0) {
                remainingUses--;
            }
            return true;
        }

        private Reply answer(Command command) {
            Function<Command, Reply> f;
            synchronized (lock) {
                f = answer;
            }
            return f.apply(command);
        }

        private Stub set(Reply newReply) {
            synchronized (lock) {
                reply = newReply;
                Reply fixed = newReply;
                answer = c -> fixed;
            }
            return this;
        }

        private Reply current() {
            synchronized (lock) {
                return reply;
            }
        }

        /**
         * Answer with this exit code.
         *
         * @param exitCode the exit code
         * @return this stub
         */
        public Stub thenExit(int exitCode) {
            return set(current().withExitCode(exitCode));
        }

        /**
         * Answer with this standard output.
         *
         * @param text the output
         * @return this stub
         */
        public Stub thenStdout(String text) {
            return set(current().withStdout(text));
        }

        /**
         * Answer with this standard error.
         *
         * @param text the output
         * @return this stub
         */
        public Stub thenStderr(String text) {
            return set(current().withStderr(text));
        }

        /**
         * Answer only after this delay (a delay reaching the command's timeout becomes a timeout).
         *
         * @param delay not negative
         * @return this stub
         */
        public Stub thenDelay(Duration delay) {
            return set(current().withDelay(delay));
        }

        /**
         * Answer by timing out.
         *
         * @return this stub
         */
        public Stub thenTimeout() {
            Reply r = current();
            return set(new Reply(Reply.Kind.TIMEOUT, r.exitCode(), r.stdout(), r.stderr(), r.delay()));
        }

        /**
         * Answer by failing to start.
         *
         * @return this stub
         */
        public Stub thenFailToStart() {
            Reply r = current();
            return set(new Reply(Reply.Kind.START_FAILURE, r.exitCode(), r.stdout(), r.stderr(), r.delay()));
        }

        /**
         * Answer with this reply.
         *
         * @param newReply the reply
         * @return this stub
         */
        public Stub thenReply(Reply newReply) {
            return set(Objects.requireNonNull(newReply, "newReply"));
        }

        /**
         * Answer with whatever the function computes from the command (called outside the
         * executor's lock, once per matching call).
         *
         * @param function computes the reply; must not return null
         * @return this stub
         */
        public Stub thenAnswer(Function<Command, Reply> function) {
            Objects.requireNonNull(function, "function");
            synchronized (lock) {
                answer = function;
            }
            return this;
        }

        /**
         * Use this stub for the next {@code n} matching calls only; afterwards it no longer
         * matches and older stubs or the default answer apply.
         *
         * @param n at least 1
         * @return this stub
         */
        public Stub times(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("times must be at least 1: " + n);
            }
            synchronized (lock) {
                remainingUses = n;
            }
            return this;
        }

        /** The pattern and the current fixed reply. */
        @Override
        public String toString() {
            return "Stub[" + pattern + " -> " + current() + "]";
        }
    }
}
