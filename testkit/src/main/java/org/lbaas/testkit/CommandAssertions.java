package org.lbaas.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.lbaas.driver.spi.shell.Command;

/**
 * Assertions over a sequence of recorded commands (see
 * {@link RecordingShellExecutor#assertCommands()}). Each failing assertion throws an
 * {@link AssertionError} whose message states what was expected and then lists the whole
 * recorded sequence, one numbered command line per line, with the standard input of each
 * command (such as an {@code ip -batch -} script) indented below it.
 *
 * <p>Methods taking {@code String}s compare joined argvs (argv joined with single spaces,
 * unquoted) exactly; methods taking {@link CommandPattern}s use the pattern.
 */
public final class CommandAssertions {

    private static final int STDIN_LINES_SHOWN = 40;

    private final List<Command> commands;

    CommandAssertions(List<Command> commands) {
        this.commands = List.copyOf(commands);
    }

    /**
     * Asserts that commands equal to the given joined argvs occur in this order, not necessarily
     * next to each other.
     *
     * @param joinedArgvs e.g. {@code "ip netns add x", "ip -n x -batch -"}
     * @return this
     */
    public CommandAssertions containsSubsequence(String... joinedArgvs) {
        return containsSubsequence(CommandPattern.joinedAll(joinedArgvs));
    }

    /**
     * Asserts that commands matching the patterns occur in this order, not necessarily next to
     * each other (each pattern is matched by a later command than the previous one).
     *
     * @param patterns the patterns in expected order
     * @return this
     */
    public CommandAssertions containsSubsequence(CommandPattern... patterns) {
        Objects.requireNonNull(patterns, "patterns");
        int position = 0;
        for (int p = 0; p < patterns.length; p++) {
            CommandPattern pattern = patterns[p];
            int found = -1;
            for (int i = position; i < commands.size(); i++) {
                if (pattern.matches(commands.get(i))) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                StringBuilder expected = new StringBuilder("expected the recorded commands to contain, in this order:\n");
                for (int q = 0; q < patterns.length; q++) {
                    expected.append(q == p ? "  -> " : "     ").append(patterns[q]).append('\n');
                }
                expected.append("but found no command matching [").append(pattern).append(']');
                expected.append(position == 0 ? "" : " after command #" + position);
                throw failure(expected.toString());
            }
            position = found + 1;
        }
        return this;
    }

    /**
     * Asserts that the recorded joined argvs are exactly these, in this order.
     *
     * @param joinedArgvs every expected joined argv
     * @return this
     */
    public CommandAssertions containsExactly(String... joinedArgvs) {
        Objects.requireNonNull(joinedArgvs, "joinedArgvs");
        List<String> actual = commands.stream().map(CommandPattern::joinedArgv).toList();
        List<String> expected = List.of(joinedArgvs);
        if (!actual.equals(expected)) {
            StringBuilder sb = new StringBuilder("expected exactly these " + expected.size() + " commands:\n");
            expected.forEach(e -> sb.append("     ").append(e).append('\n'));
            int first = 0;
            while (first < Math.min(actual.size(), expected.size()) && actual.get(first).equals(expected.get(first))) {
                first++;
            }
            sb.append("first difference at command #").append(first + 1);
            throw failure(sb.toString());
        }
        return this;
    }

    /**
     * Asserts that no recorded command matches the pattern.
     *
     * @param pattern the forbidden pattern
     * @return this
     */
    public CommandAssertions hasNoCommandMatching(CommandPattern pattern) {
        Objects.requireNonNull(pattern, "pattern");
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            if (pattern.matches(commands.get(i))) {
                hits.add(i + 1);
            }
        }
        if (!hits.isEmpty()) {
            throw failure("expected no command matching [" + pattern + "] but commands " + hits + " match");
        }
        return this;
    }

    /**
     * Asserts that no recorded command's joined argv contains a match of the regex.
     *
     * @param regex a regular expression
     * @return this
     */
    public CommandAssertions hasNoCommandMatching(String regex) {
        return hasNoCommandMatching(CommandPattern.regex(regex));
    }

    /**
     * Asserts how many commands were recorded.
     *
     * @param expected the expected number
     * @return this
     */
    public CommandAssertions hasSize(int expected) {
        if (commands.size() != expected) {
            throw failure("expected " + expected + " commands but " + commands.size() + " were recorded");
        }
        return this;
    }

    /**
     * Asserts that no command was recorded.
     *
     * @return this
     */
    public CommandAssertions isEmpty() {
        return hasSize(0);
    }

    /**
     * Starts an assertion on how many commands match the pattern, e.g.
     * {@code count(argvStartsWith("ip", "netns", "add")).isEqualTo(3)}.
     *
     * @param pattern the pattern
     * @return the count assertion
     */
    public CountAssertion count(CommandPattern pattern) {
        Objects.requireNonNull(pattern, "pattern");
        int n = (int) commands.stream().filter(pattern::matches).count();
        return new CountAssertion(pattern, n);
    }

    /**
     * Same as {@link #count(CommandPattern)} with {@link CommandPattern#regex(String)}.
     *
     * @param regex a regular expression on the joined argv
     * @return the count assertion
     */
    public CountAssertion count(String regex) {
        return count(CommandPattern.regex(regex));
    }

    /**
     * The commands these assertions look at.
     *
     * @return the immutable snapshot
     */
    public List<Command> commands() {
        return commands;
    }

    /**
     * The recorded sequence as the failure messages print it.
     *
     * @return one numbered line per command, standard input indented below
     */
    public String describe() {
        return describe(commands);
    }

    static String describe(List<Command> commands) {
        StringBuilder sb = new StringBuilder("recorded commands (" + commands.size() + "):");
        if (commands.isEmpty()) {
            sb.append("\n  (none)");
        }
        for (int i = 0; i < commands.size(); i++) {
            Command c = commands.get(i);
            sb.append(String.format("\n  #%-3d %s", i + 1, c.commandLine()));
            if (c.stdin().isPresent()) {
                List<String> lines = c.stdinText().lines().toList();
                for (int l = 0; l < Math.min(lines.size(), STDIN_LINES_SHOWN); l++) {
                    sb.append("\n         | ").append(lines.get(l));
                }
                if (lines.size() > STDIN_LINES_SHOWN) {
                    sb.append("\n         | ... ").append(lines.size() - STDIN_LINES_SHOWN).append(" more stdin lines");
                }
            }
        }
        return sb.toString();
    }

    private AssertionError failure(String what) {
        return new AssertionError(what + "\n" + describe());
    }

    /** An assertion on the number of commands matching one pattern. */
    public final class CountAssertion {
        private final CommandPattern pattern;
        private final int actual;

        private CountAssertion(CommandPattern pattern, int actual) {
            this.pattern = pattern;
            this.actual = actual;
        }

        /**
         * Asserts the count is exactly {@code expected}.
         *
         * @param expected the expected count
         * @return the assertions this count came from, for chaining
         */
        public CommandAssertions isEqualTo(int expected) {
            if (actual != expected) {
                throw failure("expected " + expected + " commands matching [" + pattern + "] but found " + actual);
            }
            return CommandAssertions.this;
        }

        /**
         * Asserts the count is at least {@code minimum}.
         *
         * @param minimum the smallest acceptable count
         * @return the assertions this count came from, for chaining
         */
        public CommandAssertions isAtLeast(int minimum) {
            if (actual < minimum) {
                throw failure("expected at least " + minimum + " commands matching [" + pattern + "] but found " + actual);
            }
            return CommandAssertions.this;
        }

        /**
         * The count itself.
         *
         * @return how many commands matched
         */
        public int value() {
            return actual;
        }
    }
}
