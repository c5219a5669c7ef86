package org.lbaas.benchmarks.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ClientAgent} JVM started in a network namespace ({@code ip netns exec NS java ...}),
 * spoken to one line at a time; {@link #close()} ends it (end of input, then SIGTERM, then
 * SIGKILL of that one process). Thread-safe: one command at a time.
 */
public final class AgentProcess implements AutoCloseable {

    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    private AgentProcess(Process process) {
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts the agent in a namespace and waits for its {@code ready} line.
     *
     * @param namespace the network namespace
     * @param logFile where its standard error goes (appended)
     * @return the running agent
     * @throws IllegalStateException when it did not start
     */
    public static AgentProcess start(String namespace, Path logFile) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath;
        try {
            classPath = Path.of(ClientAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", namespace, java, "-Xss256k", "-XX:+UseSerialGC",
                "-cp", classPath, ClientAgent.class.getName())
                .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        AgentProcess a;
        try {
            a = new AgentProcess(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the client agent", e);
        }
        String hello = a.read();
        if (!"ready".equals(hello)) {
            a.close();
            throw new IllegalStateException("the client agent did not start: " + hello);
        }
        return a;
    }

    /**
     * Sends one command and returns the agent's answer line.
     *
     * @param line the command (see {@link ClientAgent})
     * @return the answer, or {@code (the client agent exited)}
     */
    public synchronized String call(String line) {
        try {
            in.write(line + "\n");
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the client agent is gone", e);
        }
        return read();
    }

    private String read() {
        try {
            String line = out.readLine();
            return line == null ? "(the client agent exited)" : line;
        } catch (IOException e) {
            throw new UncheckedIOException("the client agent is gone", e);
        }
    }

    /**
     * Checks that the agent reads this JVM's monotonic clock ({@code System.nanoTime()}), so that
     * the times it reports ({@code await}) can be set against times taken here.
     *
     * @throws IllegalStateException when its clock is another
     */
    public void requireSameClock() {
        long before = System.nanoTime();
        String r = call("clock");
        long after = System.nanoTime();
        String[] f = r.split(" ");
        long theirs = f.length == 2 && f[0].equals("clock") ? Long.parseLong(f[1]) : Long.MIN_VALUE;
        if (theirs < before || theirs > after) {
            throw new IllegalStateException("the client agent's System.nanoTime() (" + r + ") is not this JVM's clock (between "
                    + before + " and " + after + "): failover times cannot be measured across the two processes");
        }
    }

    /**
     * Waits until {@code GET /} answers 200.
     *
     * @param host the address
     * @param port the port
     * @param timeout how long to try
     * @throws IllegalStateException when it did not
     */
    public void probe(String host, int port, Duration timeout) {
        String r = call("probe " + host + " " + port + " " + timeout.toMillis());
        if (!r.startsWith("ok")) {
            throw new IllegalStateException("http://" + host + ":" + port + "/ did not answer 200 within " + timeout + ": " + r);
        }
    }

    /**
     * Starts client loops (see {@link ClientAgent}'s {@code load}).
     *
     * @param host the address
     * @param port the port
     * @param keepAlive loops reusing their connection
     * @param close loops opening a connection per request
     * @param maxMs when the loops stop by themselves
     * @param maxRequests how many requests at most
     * @param readTimeout how long a request may wait for its response
     * @param pauseAfterFailure how long a loop waits after a failed request
     */
    public void startLoad(String host, int port, int keepAlive, int close, long maxMs, long maxRequests, Duration readTimeout,
                          Duration pauseAfterFailure) {
        String r = call("load " + host + " " + port + " " + keepAlive + " " + close + " " + maxMs + " " + maxRequests + " "
                + readTimeout.toMillis() + " " + pauseAfterFailure.toMillis());
        if (!r.equals("started")) {
            throw new IllegalStateException("the client agent did not start the load: " + r);
        }
    }

    /**
     * Starts client loops with a 5 s read timeout and no pause after a failure.
     *
     * @param host the address
     * @param port the port
     * @param keepAlive loops reusing their connection
     * @param close loops opening a connection per request
     * @param maxMs when the loops stop by themselves
     * @param maxRequests how many requests at most
     */
    public void startLoad(String host, int port, int keepAlive, int close, long maxMs, long maxRequests) {
        startLoad(host, port, keepAlive, close, maxMs, maxRequests, Duration.ofSeconds(5), Duration.ZERO);
    }

    /**
     * Stops the loops.
     *
     * @return {@code done OK FAILED reason=count,...}
     */
    public String stopLoad() {
        return call("stop");
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
