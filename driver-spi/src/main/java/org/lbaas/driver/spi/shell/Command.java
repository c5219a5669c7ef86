package org.lbaas.driver.spi.shell;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One external command to run: an argument vector, never a shell string.
 *
 * <p>{@code argv.get(0)} is the program (an absolute path, or a name looked up on the
 * {@code PATH} of the calling process); every further element reaches the program as exactly one
 * argument, byte for byte, whatever characters it contains. No shell is involved, so quotes,
 * spaces, {@code $}, {@code ;} or {@code *} have no special meaning.
 *
 * <p>Instances are immutable. Start with {@link #of(String...)} or {@link #of(List)} and refine
 * with the {@code with...} methods, each of which returns a new command:
 *
 * <pre>{@code
 * Command c = Command.of("ip", "-batch", "-")
 *         .withStdin("link set lo up\n")
 *         .withTimeout(Duration.ofSeconds(5));
 * }</pre>
 *
 * @param argv the program and its arguments; not empty, no element contains a NUL character, the
 *     program is not empty
 * @param environment variables added to (or replacing) the calling process's environment for this
 *     command only; names are not empty and contain neither {@code '='} nor NUL
 * @param workingDirectory the directory the command runs in; empty means the calling process's
 *     working directory
 * @param timeout how long the command may run before it is terminated; positive
 * @param stdin bytes written to the command's standard input, which is then closed; empty means
 *     the command's standard input is closed at once (it reads end-of-file)
 * @param outputLimit how many bytes of standard output and, separately, of standard error are
 *     kept; the rest is read and discarded and the result is marked truncated; not negative
 */
public record Command(
        List<String> argv,
        Map<String, String> environment,
        Optional<Path> workingDirectory,
        Duration timeout,
        Optional<byte[]> stdin,
        int outputLimit) {

    /** Timeout of a command made by {@link #of(String...)}: 30 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Output limit of a command made by {@link #of(String...)}: 1 MiB per stream. */
    public static final int DEFAULT_OUTPUT_LIMIT = 1 << 20;

    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    /**
     * Checks every component against the rules above and copies it.
     *
     * @param argv the program and its arguments
     * @param environment environment additions
     * @param workingDirectory the working directory, or empty
     * @param timeout the timeout
     * @param stdin the standard input, or empty
     * @param outputLimit bytes kept per output stream
     * @throws NullPointerException if a component, an argument or an environment entry is null
     * @throws IllegalArgumentException if a rule is broken
     */
    public Command {
        Objects.requireNonNull(argv, "argv");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(stdin, "stdin");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must not be empty");
        }
        if (argv.get(0).isEmpty()) {
            throw new IllegalArgumentException("argv[0] (the program) must not be empty");
        }
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i).indexOf('\0') >= 0) {
                throw new IllegalArgumentException("argv[" + i + "] contains a NUL character");
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "environment name");
            String value = Objects.requireNonNull(e.getValue(), "environment value of " + name);
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid environment variable name: " + quote(name));
            }
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment variable " + name + " contains a NUL character");
            }
            env.put(name, value);
        }
        environment = Collections.unmodifiableMap(env);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (outputLimit < 0) {
            throw new IllegalArgumentException("outputLimit must not be negative: " + outputLimit);
        }
        stdin = stdin.map(byte[]::clone);
    }

    /**
     * A command with the given argument vector and the defaults: no extra environment, the
     * current working directory, {@link #DEFAULT_TIMEOUT}, no standard input and
     * {@link #DEFAULT_OUTPUT_LIMIT}.
     *
     * @param argv the program followed by its arguments
     * @return the command
     */
    public static Command of(String... argv) {
        Objects.requireNonNull(argv, "argv");
        return of(Arrays.asList(argv));
    }

    /**
     * A command with the given argument vector and the defaults described at
     * {@link #of(String...)}.
     *
     * @param argv the program followed by its arguments
     * @return the command
     */
    public static Command of(List<String> argv) {
        return new Command(argv, Map.of(), Optional.empty(), DEFAULT_TIMEOUT, Optional.empty(), DEFAULT_OUTPUT_LIMIT);
    }

    /**
     * This command with its timeout replaced.
     *
     * @param newTimeout positive
     * @return a new command
     */
    public Command withTimeout(Duration newTimeout) {
        return new Command(argv, environment, workingDirectory, newTimeout, stdin, outputLimit);
    }

    /**
     * This command with one more environment variable (replacing one of the same name).
     *
     * @param name the variable name
     * @param value its value
     * @return a new command
     */
    public Command withEnvironment(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put(name, value);
        return new Command(argv, env, workingDirectory, timeout, stdin, outputLimit);
    }

    /**
     * This command with the given environment additions instead of the current ones.
     *
     * @param newEnvironment variables added to the calling process's environment
     * @return a new command
     */
    public Command withEnvironment(Map<String, String> newEnvironment) {
        return new Command(argv, newEnvironment, workingDirectory, timeout, stdin, outputLimit);
    }

    /**
     * This command running in the given directory.
     *
     * @param directory the working directory
     * @return a new command
     */
    public Command withWorkingDirectory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return new Command(argv, environment, Optional.of(directory), timeout, stdin, outputLimit);
    }

    /**
     * This command with the given bytes as its standard input.
     *
     * @param bytes the complete standard input (copied)
     * @return a new command
     */
    public Command withStdin(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new Command(argv, environment, workingDirectory, timeout, Optional.of(bytes), outputLimit);
    }

    /**
     * This command with the UTF-8 encoding of the given text as its standard input.
     *
     * @param text the complete standard input
     * @return a new command
     */
    public Command withStdin(String text) {
        Objects.requireNonNull(text, "text");
        return withStdin(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * This command keeping at most {@code limit} bytes of each output stream.
     *
     * @param limit not negative
     * @return a new command
     */
    public Command withOutputLimit(int limit) {
        return new Command(argv, environment, workingDirectory, timeout, stdin, limit);
    }

    /**
     * A copy of the standard input bytes, if any.
     *
     * @return the bytes written to standard input, or empty
     */
    @Override
    public Optional<byte[]> stdin() {
        return stdin.map(byte[]::clone);
    }

    /**
     * The standard input decoded as UTF-8 (malformed input replaced), or the empty string if
     * there is none.
     *
     * @return the standard input as text
     */
    public String stdinText() {
        return stdin.map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
    }

    /**
     * The argument vector as one line a person can read and paste into a POSIX shell: plain
     * words as they are, anything else in single quotes. For messages only; commands are never
     * run through a shell.
     *
     * @return the quoted command line
     */
    public String commandLine() {
        return argv.stream().map(Command::quote).collect(Collectors.joining(" "));
    }

    static String quote(String word) {
        if (!word.isEmpty() && PLAIN_WORD.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Compares all components, standard input by content. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Command other)) {
            return false;
        }
        return outputLimit == other.outputLimit
                && argv.equals(other.argv)
                && environment.equals(other.environment)
                && workingDirectory.equals(other.workingDirectory)
                && timeout.equals(other.timeout)
                && stdin.isPresent() == other.stdin.isPresent()
                && (stdin.isEmpty() || Arrays.equals(stdin.get(), other.stdin.get()));
    }

    /** Consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(argv, environment, workingDirectory, timeout,
                stdin.map(Arrays::hashCode).orElse(0), outputLimit);
    }

    /** The quoted command line plus the non-default settings. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Command[").append(commandLine());
        if (!environment.isEmpty()) {
            sb.append(", env=").append(environment.keySet());
        }
        workingDirectory.ifPresent(d -> sb.append(", dir=").append(d));
        sb.append(", timeout=").append(timeout);
        stdin.ifPresent(b -> sb.append(", stdin=").append(b.length).append(" bytes"));
        return sb.append(']').toString();
    }
}
