package org.lbaas.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;

/**
 * A {@link ShellExecutor} that runs nothing: it prints each command it is given (as a line a
 * person could paste into a shell, standard input as a here-document), keeps it, and answers
 * success with no output. It reads nothing of what it is given: a dry run gets HAProxy's
 * configuration from the driver ({@link DryRun}), not from the commands.
 *
 * <p>Used where there is no plan to print, for commands whose outcome does not matter to what
 * follows: the demo's topology of namespaces, a bridge and veth pairs, built and removed by the
 * network lab. Code that reads a command's output would see an empty answer here, so such code
 * cannot be shown this way.
 */
final class DryRunShellExecutor implements ShellExecutor {

    private final PrintStream out;
    private final List<Command> printed = new ArrayList<>();

    /**
     * @param out where commands are printed
     */
    DryRunShellExecutor(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public synchronized CommandResult execute(Command command) {
        Objects.requireNonNull(command, "command");
        printed.add(command);
        out.print(shellLine(command));
        return new CommandResult(command, 0, "", false, "", false, Duration.ZERO);
    }

    /** Returns the commands printed, in order. */
    synchronized List<Command> printed() {
        return List.copyOf(printed);
    }

    /**
     * Returns a command as a line to paste into a shell: {@code $ argv}, extra environment as
     * assignments before it, standard input as a here-document after it.
     *
     * @param c the command
     * @return the line, ending with a newline
     */
    static String shellLine(Command c) {
        StringBuilder sb = new StringBuilder("$ ");
        c.environment().forEach((k, v) -> sb.append(k).append('=').append(Command.of("x", v).commandLine().substring(2))
                .append(' '));
        sb.append(c.commandLine());
        String stdin = c.stdinText();
        if (c.stdin().isPresent() && !stdin.isEmpty()) {
            sb.append(" <<'EOF'\n").append(stdin.endsWith("\n") ? stdin : stdin + "\n").append("EOF");
        }
        return sb.append('\n').toString();
    }
}
