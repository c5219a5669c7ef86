package org.lbaas.driver.haproxy.internal.keepalived;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.lbaas.lab.netns.CleanupHook;
import org.lbaas.lab.netns.HostCheck;

/**
 * A network namespace a live test creates with a unique name ({@code lbka-} and 8 random hex
 * digits) and deletes on {@link #close()} or, if the JVM exits first, from a shutdown hook. Devices
 * the test adds inside it die with it.
 */
final class Namespace implements AutoCloseable {

    /** What a command printed (standard output and error together) and its exit code. */
    record Result(int exitCode, String output) {
        Result require() {
            assertTrue(exitCode == 0, "exit " + exitCode + ": " + output);
            return this;
        }
    }

    private final String name;
    private final CleanupHook hook;
    private int peers;

    private Namespace(String name) {
        this.name = name;
        this.hook = CleanupHook.register("keepalived live test " + name, this::delete);
    }

    static Path keepalived() {
        HostCheck.unmet("ip", "keepalived").ifPresent(reason -> fail("keepalived live tests: " + reason));
        return HostCheck.program("keepalived").orElseThrow();
    }

    static Path ip() {
        return HostCheck.program("ip").orElseThrow();
    }

    static Namespace create() {
        keepalived();
        String name = String.format("lbka-%08x", ThreadLocalRandom.current().nextInt());
        Namespace ns = new Namespace(name);
        try {
            ns.host(ip().toString(), "netns", "add", name).require();
            ns.exec(ip().toString(), "link", "set", "lo", "up").require();
        } catch (RuntimeException | Error e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    String name() {
        return name;
    }

    /** Adds a veth pair inside the namespace whose first end is {@code device}. */
    void addDevice(String device) {
        exec(ip().toString(), "link", "add", device, "type", "veth", "peer", "name", "kap" + (peers++)).require();
    }

    /** Runs a command inside the namespace. */
    Result exec(String... argv) {
        List<String> full = new ArrayList<>(List.of(ip().toString(), "netns", "exec", name));
        full.addAll(List.of(argv));
        return run(full);
    }

    /** Runs a command on the host. */
    Result host(String... argv) {
        return run(List.of(argv));
    }

    static Result run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + argv);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void delete() {
        run(List.of(ip().toString(), "netns", "del", name));
    }

    @Override
    public void close() {
        delete();
        hook.close();
        assertTrue(run(List.of(ip().toString(), "netns", "list")).output().lines().noneMatch(l -> l.startsWith(name)),
                "namespace " + name + " left behind");
    }
}
