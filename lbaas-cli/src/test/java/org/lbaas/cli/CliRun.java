package org.lbaas.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lbaas.driver.spi.shell.ShellExecutor;

/**
 * Runs the {@code lbaas} command in this JVM, as {@code Main} does, with captured standard output
 * and error and a host that may pretend not to be root.
 *
 * @param exit the exit status
 * @param out what was written to standard output
 * @param err what was written to standard error
 */
record CliRun(int exit, String out, String err) {

    static CliRun run(String... args) {
        return run(new TestHost(true, Map.of()), "", args);
    }

    static CliRun asUser(String... args) {
        return run(new TestHost(false, Map.of()), "", args);
    }

    static CliRun withStdin(String stdin, String... args) {
        return run(new TestHost(true, Map.of()), stdin, args);
    }

    static CliRun run(Host host, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = new Cli(new Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), o, e, host)).run(args);
        }
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Standard error, line by line. */
    List<String> errLines() {
        return err.lines().toList();
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }

    /** The real machine, except that it may claim not to be root, and with its own environment. */
    record TestHost(boolean root, Map<String, String> environment) implements Host {
        @Override
        public boolean isRoot() {
            return root;
        }

        @Override
        public Optional<Path> findProgram(String name) {
            return Host.system().findProgram(name);
        }

        @Override
        public boolean isDebianFamily() {
            return false;
        }

        @Override
        public Optional<String> env(String name) {
            return Optional.ofNullable(environment.get(name));
        }

        @Override
        public ShellExecutor shell() {
            return ShellExecutor.system();
        }
    }
}
