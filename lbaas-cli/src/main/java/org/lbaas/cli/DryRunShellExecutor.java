package org.lbaas.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellExecutor;

/**
 * A {@link ShellExecutor} that runs nothing: it prints each command it is given (as a line a
 * person could paste into a shell, standard input as a here-document) and answers success with no
 * output.
 *
 * <p>It knows two HAProxy commands. Whenever HAProxy is given a configuration ({@code haproxy -c -f
 * FILE} to check it, or {@code haproxy -D -dW -f FILE} to start with it, which checks it too) it
 * keeps the file's text ({@link #configs()}) and prints it once per distinct text. When
 * asked to start HAProxy ({@code haproxy -D ...}) it notes it ({@link #haproxyStarted()}): in a dry
 * run nothing starts, so the driver, which then waits for the new process's socket, gives up and
 * undoes what it believes it did; those undo commands are not part of what a real run would do, so
 * from then on commands are recorded ({@link #afterStart()}) but not printed.
 *
 * <p>{@code display} rewrites every printed text, so that a scratch directory used for the dry run
 * shows as the directory a real run would use.
 */
final class DryRunShellExecutor implements ShellExecutor {

    private final Optional<PrintStream> out;
    private final UnaryOperator<String> display;
    private final List<Command> printed = new ArrayList<>();
    private final List<Command> afterStart = new ArrayList<>();
    private final List<String> configs = new ArrayList<>();
    private boolean started;

    /**
     * @param out where commands are printed; empty to only record them
     * @param display rewrites printed text
     */
    DryRunShellExecutor(Optional<PrintStream> out, UnaryOperator<String> display) {
        this.out = Objects.requireNonNull(out, "out");
        this.display = Objects.requireNonNull(display, "display");
    }

    @Override
    public synchronized CommandResult execute(Command command) {
        Objects.requireNonNull(command, "command");
        if (started) {
            afterStart.add(command);
            return success(command);
        }
        printed.add(command);
        out.ifPresent(o -> o.print(display.apply(shellLine(command))));
        int haproxy = haproxyIndex(command.argv());
        if (haproxy >= 0) {
            List<String> args = command.argv().subList(haproxy + 1, command.argv().size());
            int f = args.indexOf("-f");
            if (f >= 0 && f + 1 < args.size()) {
                keepConfig(Path.of(args.get(f + 1)));
            }
            if (args.contains("-D")) {
                started = true;
            }
        }
        return success(command);
    }

    /** Returns whether the driver asked to start HAProxy. */
    synchronized boolean haproxyStarted() {
        return started;
    }

    /** Returns the commands printed, in order. */
    synchronized List<Command> printed() {
        return List.copyOf(printed);
    }

    /** Returns the commands the driver issued after starting HAProxy (its undo in a dry run). */
    synchronized List<Command> afterStart() {
        return List.copyOf(afterStart);
    }

    /** Returns the distinct configuration texts checked, in order, as displayed. */
    synchronized List<String> configs() {
        return List.copyOf(configs);
    }

    private void keepConfig(Path file) {
        String text;
        try {
            text = display.apply(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            text = "# (the configuration file " + display.apply(file.toString()) + " could not be read: " + e + ")\n";
        }
        if (!configs.contains(text)) {
            configs.add(text);
            String shown = text;
            out.ifPresent(o -> {
                o.println("# ---- " + display.apply(file.toString()) + " ----");
                o.print(shown.endsWith("\n") ? shown : shown + "\n");
                o.println("# ---- end of configuration ----");
            });
        }
    }

    /** {@code $ argv} with standard input as a here-document and extra environment as assignments. */
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

    private static int haproxyIndex(List<String> argv) {
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            int slash = a.lastIndexOf('/');
            if (a.substring(slash + 1).equals("haproxy")) {
                return i;
            }
        }
        return -1;
    }

    private static CommandResult success(Command command) {
        return new CommandResult(command, 0, "", false, "", false, Duration.ZERO);
    }
}
