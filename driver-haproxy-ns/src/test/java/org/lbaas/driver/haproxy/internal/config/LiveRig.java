package org.lbaas.driver.haproxy.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.model.LoadBalancer;

/**
 * What the renderer's live tests share: commands that must succeed, throw-away namespaces with
 * unique names, and HAProxy processes running a rendered configuration. Everything it starts or
 * creates is undone by {@link #close()}, in reverse order, also after a failure.
 */
final class LiveRig implements AutoCloseable {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    /** Six random lower-case letters or digits, for unique namespace names. */
    static String suffix(SecureRandom random) {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            suffix.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return suffix.toString();
    }

    /** Runs a command that must exit 0 within 30 s; returns its combined output. */
    static String run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", argv));
        assertEquals(0, p.exitValue(), String.join(" ", argv) + ": " + out);
        return out;
    }

    /** Closes {@code resource} when the rig closes (before everything registered earlier). */
    <T extends AutoCloseable> T onClose(T resource) {
        cleanup.add(resource);
        return resource;
    }

    /** Creates a namespace with its loopback up; it is deleted when the rig closes. */
    String namespace(String name) throws IOException, InterruptedException {
        run("ip", "netns", "add", name);
        onClose(() -> run("ip", "netns", "del", name));
        run("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /**
     * Renders {@code lb} (with {@code peers} when present) into {@code instance}, checks it with
     * {@code haproxy -dW -c}, and runs HAProxy in namespace {@code ns} until the rig closes.
     */
    InstanceFiles startHaproxy(String ns, Path instance, LoadBalancer lb, Optional<PeerSet> peers) throws Exception {
        Files.createDirectories(instance);
        InstanceFiles files = new InstanceFiles(instance, instance.resolve("haproxy.cfg"), instance.resolve("pid"),
                instance.resolve("sock"));
        RenderSettings settings = RenderSettings.defaults().withOpenFilesLimit(Math.max(RenderSettings.minimumOpenFilesLimit(1, 1000),
                openFilesHardLimit()));
        Files.writeString(files.config(), new HaproxyConfigRenderer(settings).build(lb, files, peers).render());
        HaproxyParserLiveTest.checkZeroWarning(files.config());
        Path log = instance.resolve("haproxy.log");
        Process haproxy = new ProcessBuilder("ip", "netns", "exec", ns, HaproxyParserLiveTest.haproxy().toString(), "-db", "-f",
                files.config().toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        onClose(() -> {
            haproxy.destroy();
            if (!haproxy.waitFor(5, TimeUnit.SECONDS)) {
                haproxy.destroyForcibly();
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(files.socket())) {
            if (!haproxy.isAlive() || System.nanoTime() > deadline) {
                fail("haproxy did not start: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return files;
    }

    /** The hard open-file limit of this JVM, which the HAProxy it starts inherits. */
    static long openFilesHardLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String hard = line.substring("Max open files".length()).trim().split("\\s+")[1];
                return hard.equals("unlimited") ? 1_048_576 : Long.parseLong(hard);
            }
        }
        return 4096;
    }

    @Override
    public void close() {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            try {
                cleanup.get(i).close();
            } catch (Exception e) {
                System.err.println("cleanup failed: " + e);
            }
        }
        cleanup.clear();
    }
}
