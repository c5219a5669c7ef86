package org.lbaas.testkit;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.lbaas.driver.spi.shell.Command;

/**
 * A test on a {@link Command}, with a description used in assertion messages. Used by
 * {@link RecordingShellExecutor} to choose scripted answers and by {@link CommandAssertions}.
 *
 * <p>"Joined argv" below means the argument vector joined with single spaces, without quoting:
 * {@code ip netns add lbtab12cd-a}.
 */
public final class CommandPattern {

    private final String description;
    private final Predicate<Command> test;

    private CommandPattern(String description, Predicate<Command> test) {
        this.description = description;
        this.test = test;
    }

    /**
     * Matches commands whose argv begins with the given elements (an empty prefix matches all).
     *
     * @param prefix the first argv elements, compared exactly
     * @return the pattern
     */
    public static CommandPattern argvStartsWith(String... prefix) {
        List<String> p = List.of(Objects.requireNonNull(prefix, "prefix"));
        return new CommandPattern("argv starts with " + p,
                c -> c.argv().size() >= p.size() && c.argv().subList(0, p.size()).equals(p));
    }

    /**
     * Matches commands whose argv equals the given elements exactly.
     *
     * @param argv the complete argv
     * @return the pattern
     */
    public static CommandPattern argvEquals(String... argv) {
        List<String> a = List.of(Objects.requireNonNull(argv, "argv"));
        return new CommandPattern("argv equals " + a, c -> c.argv().equals(a));
    }

    /**
     * Matches commands whose joined argv equals the given text.
     *
     * @param joinedArgv e.g. {@code "ip netns add x"}
     * @return the pattern
     */
    public static CommandPattern joined(String joinedArgv) {
        Objects.requireNonNull(joinedArgv, "joinedArgv");
        return new CommandPattern("joined argv is \"" + joinedArgv + "\"", c -> joinedArgv(c).equals(joinedArgv));
    }

    /**
     * Matches commands whose joined argv contains a match of the regular expression (use
     * {@code ^...$} to match the whole line).
     *
     * @param regex a {@link Pattern} regular expression
     * @return the pattern
     */
    public static CommandPattern regex(String regex) {
        Pattern pattern = Pattern.compile(Objects.requireNonNull(regex, "regex"));
        return new CommandPattern("joined argv matches /" + regex + "/", c -> pattern.matcher(joinedArgv(c)).find());
    }

    /**
     * Matches commands accepted by the predicate.
     *
     * @param description what the predicate accepts, for messages
     * @param predicate the test
     * @return the pattern
     */
    public static CommandPattern matching(String description, Predicate<Command> predicate) {
        return new CommandPattern(Objects.requireNonNull(description, "description"),
                Objects.requireNonNull(predicate, "predicate"));
    }

    /**
     * Matches commands whose standard input (decoded as UTF-8) contains the given text, e.g. a
     * line of an {@code ip -batch -} script.
     *
     * @param text the text to find
     * @return the pattern
     */
    public static CommandPattern stdinContains(String text) {
        Objects.requireNonNull(text, "text");
        return new CommandPattern("stdin contains \"" + text + "\"", c -> c.stdinText().contains(text));
    }

    /**
     * Matches commands this pattern and the other one both match.
     *
     * @param other the other pattern
     * @return the combined pattern
     */
    public CommandPattern and(CommandPattern other) {
        Objects.requireNonNull(other, "other");
        return new CommandPattern(description + " and " + other.description, test.and(other.test));
    }

    /**
     * Whether the command matches.
     *
     * @param command the command
     * @return true if it matches
     */
    public boolean matches(Command command) {
        return test.test(Objects.requireNonNull(command, "command"));
    }

    /**
     * The argv joined with single spaces, as the patterns above see it.
     *
     * @param command the command
     * @return the joined argv
     */
    public static String joinedArgv(Command command) {
        return String.join(" ", command.argv());
    }

    /** The description given or derived at construction. */
    @Override
    public String toString() {
        return description;
    }

    static CommandPattern[] joinedAll(String... joinedArgvs) {
        return Arrays.stream(joinedArgvs).map(CommandPattern::joined).toArray(CommandPattern[]::new);
    }
}
