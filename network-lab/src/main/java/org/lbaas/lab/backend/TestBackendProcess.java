package org.lbaas.lab.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A {@link TestBackend} running as its own small JVM, optionally inside a network namespace
 * ({@code ip netns exec NS java ... TestBackend ...}), started and stopped by this handle.
 *
 * <p>The child JVM is the {@code java} of {@code java.home}, with the classes of this network lab on
 * its class path and flags that keep it small ({@code -Xmx32m -Xss256k -XX:TieredStopAtLevel=1
 * -Xshare:auto -XX:+UseSerialGC -XX:-UsePerfData}). It exits by itself when the JVM that started
 * it is gone. Its standard output and error go to a log file (see {@link #log()}), deleted on
 * {@link #close()}.
 *
 * <p>{@link Builder#start()} returns once the backend has printed its {@code READY} line, which
 * it does after its socket is bound and listening: from then on connections are accepted.
 *
 * <p>{@link #close()} stops it by its PID: SIGTERM, then SIGKILL if it is still alive after the
 * stop grace; it is idempotent and safe to call from several threads. {@code ip netns exec}
 * executes the JVM in its own process, so the PID is the JVM's.
 */
public final class TestBackendProcess implements AutoCloseable {

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final String name;
    private final Optional<String> namespace;
    private final String bindAddress;
    private final Process process;
    private final Path logFile;
    private final Duration stopGrace;
    private volatile int port;
    private boolean closed;

    private TestBackendProcess(Builder b, Process process, Path logFile) {
        this.name = b.name;
        this.namespace = b.namespace;
        this.bindAddress = b.bindAddress;
        this.process = process;
        this.logFile = logFile;
        this.stopGrace = b.stopGrace;
        this.port = b.port;
    }

    /**
     * Starts describing a backend process with the given name.
     *
     * @param name the name the backend reports (letters, digits, {@code . _ -})
     * @return a builder with defaults: current namespace, bind {@code 0.0.0.0}, port 8080, no
     *     cookie, 30 s start timeout, 3 s stop grace
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * The name the backend reports.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The network namespace it runs in, if one was given.
     *
     * @return the namespace name
     */
    public Optional<String> namespace() {
        return namespace;
    }

    /**
     * The address it was told to bind.
     *
     * @return the literal address
     */
    public String bindAddress() {
        return bindAddress;
    }

    /**
     * The port it listens on; after {@link Builder#start()} the real one, even if 0 was asked for.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * The PID of the backend's JVM.
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * Whether the process is still running.
     *
     * @return true while alive
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * What the process has written to standard output and error so far (empty after close).
     *
     * @return the log text
     */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /**
     * Waits until the backend has printed its {@code READY} line.
     *
     * @param timeout how long to wait at most
     * @return this handle
     * @throws IllegalStateException if the process ended first or the timeout passed; the process
     *     is then stopped and the message includes its log
     */
    public TestBackendProcess awaitReady(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        String prefix = "READY " + name + " ";
        while (true) {
            String log = log();
            for (String line : log.lines().toList()) {
                if (line.startsWith(prefix)) {
                    port = Integer.parseInt(line.substring(prefix.length()).trim());
                    return this;
                }
            }
            if (!process.isAlive()) {
                String message = "test backend " + name + " exited with " + process.exitValue() + " before it was ready; log:\n" + log;
                close();
                throw new IllegalStateException(message);
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("test backend " + name + " not ready after " + timeout + "; log:\n" + log);
            }
            try {
                Thread.sleep(15);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for test backend " + name, e);
            }
        }
    }

    /**
     * Stops the backend by PID: SIGTERM, SIGKILL after the stop grace, then waits for it to be
     * gone; removes the log file. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(logFile);
            } catch (IOException e) {
                // leave the log behind; nothing else depends on it
            }
        }
    }

    /** Name, namespace, pid and port. */
    @Override
    public String toString() {
        return "TestBackendProcess[" + name + namespace.map(n -> " in " + n).orElse("") + ", pid " + process.pid()
                + ", " + bindAddress + " port " + port + (process.isAlive() ? "" : ", ended") + "]";
    }

    /** The class path entry holding the network lab classes (a directory or a jar). */
    static String labClassPath() {
        CodeSource source = TestBackend.class.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            try {
                return Path.of(source.getLocation().toURI()).toString();
            } catch (URISyntaxException | IllegalArgumentException e) {
                // fall through to the class path of this JVM
            }
        }
        return System.getProperty("java.class.path");
    }

    /** Describes a backend process; {@link #start()} launches it. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private Optional<String> namespace = Optional.empty();
        private String bindAddress = "0.0.0.0";
        private int port = 8080;
        private Optional<String> cookie = Optional.empty();
        private Duration startTimeout = Duration.ofSeconds(30);
        private Duration stopGrace = Duration.ofSeconds(3);

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (!TestBackend.NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid backend name: " + name);
            }
            this.name = name;
        }

        /**
         * Runs the backend inside this existing network namespace (via {@code ip netns exec}).
         *
         * @param ns the namespace name
         * @return this builder
         */
        public Builder namespace(String ns) {
            Objects.requireNonNull(ns, "ns");
            if (!NAMESPACE.matcher(ns).matches()) {
                throw new IllegalArgumentException("invalid namespace name: " + ns);
            }
            this.namespace = Optional.of(ns);
            return this;
        }

        /**
         * The address to listen on: an IPv4 or IPv6 literal ({@code ::} listens on both families).
         *
         * @param address the literal
         * @return this builder
         */
        public Builder bind(String address) {
            Objects.requireNonNull(address, "address");
            if (!address.matches("[0-9A-Fa-f:.]+")) {
                throw new IllegalArgumentException("not an IP address literal: " + address);
            }
            this.bindAddress = address;
            return this;
        }

        /**
         * The port to listen on; 0 picks a free one (read back with {@link #port()}).
         *
         * @param p the port
         * @return this builder
         */
        public Builder port(int p) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("invalid port: " + p);
            }
            this.port = p;
            return this;
        }

        /**
         * Sets the application cookie {@code cookieName=<name>-<counter>} on every ordinary
         * response.
         *
         * @param cookieName the cookie name
         * @return this builder
         */
        public Builder cookie(String cookieName) {
            this.cookie = Optional.of(Objects.requireNonNull(cookieName, "cookieName"));
            return this;
        }

        /**
         * How long {@link #start()} waits for readiness.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * How long {@link TestBackendProcess#close()} waits after SIGTERM before SIGKILL.
         *
         * @param grace not negative
         * @return this builder
         */
        public Builder stopGrace(Duration grace) {
            this.stopGrace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        /**
         * The argument vector that {@link #launch()} runs.
         *
         * @return the argv
         */
        public List<String> argv() {
            List<String> argv = new ArrayList<>();
            namespace.ifPresent(ns -> argv.addAll(List.of("ip", "netns", "exec", ns)));
            argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            argv.addAll(List.of("-Xmx32m", "-Xss256k", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:ActiveProcessorCount=1",
                    "-cp", labClassPath(), TestBackend.class.getName(),
                    "--name", name, "--bind", bindAddress, "--port", Integer.toString(port),
                    "--exit-with", Long.toString(ProcessHandle.current().pid())));
            cookie.ifPresent(c -> argv.addAll(List.of("--cookie", c)));
            return argv;
        }

        /**
         * Launches the process without waiting for it; call
         * {@link TestBackendProcess#awaitReady(Duration)} before sending traffic. Lets a caller
         * start several backends in parallel.
         *
         * @return the handle of the launched process
         * @throws UncheckedIOException if the process cannot be launched
         */
        public TestBackendProcess launch() {
            Path log;
            try {
                log = Files.createTempFile("lbt-backend-" + name + "-", ".log");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a log file for test backend " + name, e);
            }
            try {
                Process process = new ProcessBuilder(argv())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .start();
                return new TestBackendProcess(this, process, log);
            } catch (IOException e) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw new UncheckedIOException("cannot launch test backend " + name, e);
            }
        }

        /**
         * Launches the process and waits until it is ready.
         *
         * @return the running backend
         * @throws UncheckedIOException if the process cannot be launched
         * @throws IllegalStateException if it does not become ready in time (it is then stopped)
         */
        public TestBackendProcess start() {
            return launch().awaitReady(startTimeout);
        }
    }
}
