package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code lbaas serve}: its help, and bad options refused before a server starts. */
class ServeCommandTest {

    @Test
    @DisplayName("lbaas serve --help names every option and how to point the neutron client at it")
    void help() {
        CliRun r = CliRun.run("serve", "--help");
        assertEquals(0, r.exit(), r::toString);
        String text = r.out().replaceAll("\\s+", " ");
        assertTrue(text.startsWith("Usage: lbaas serve [OPTIONS]"), text);
        for (String option : new String[] {"--port N", "--bind ADDRESS", "--driver NAME", "--state-dir DIR", "--subnets FILE",
                "--token TOKEN", "--tenant ID"}) {
            assertTrue(text.contains(option), option + " missing in: " + text);
        }
        assertTrue(text.contains("OS_AUTH_TYPE=token_endpoint"), text);
    }

    @Test
    @DisplayName("the global help lists serve")
    void listedInGlobalHelp() {
        CliRun r = CliRun.run("--help");
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  serve ")), r::toString);
    }

    @Test
    @DisplayName("a port that is not a number exits 2 without starting a server")
    void badPort() {
        CliRun r = CliRun.run("serve", "--port", "eighty");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("port"), r::toString);
    }

    @Test
    @DisplayName("an unknown option exits 2")
    void unknownOption() {
        CliRun r = CliRun.run("serve", "--colour", "blue");
        assertEquals(2, r.exit(), r::toString);
    }

    /**
     * Runs {@code lbaas serve} with these arguments on a free port until it answers, then stops it
     * (an interrupt, as Ctrl-C would) and returns the settings its driver was created with.
     */
    private static Map<String, String> serveOnce(String... args) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> all = new ArrayList<>(List.of("serve", "--port", String.valueOf(port), "--token", "t", "--driver",
                "recording-cli"));
        all.addAll(List.of(args));
        RecordingCliDriverProvider.CREATED.clear();
        AtomicReference<CliRun> result = new AtomicReference<>();
        Thread serve = new Thread(() -> result.set(CliRun.run(all.toArray(String[]::new))), "serve-under-test");
        serve.setContextClassLoader(recordingLoader());
        serve.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        boolean up = false;
        while (!up && serve.isAlive() && System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                probe.setSoTimeout(2000);
                probe.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                up = new String(probe.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200");
            } catch (IOException e) {
                // not yet
            }
            if (!up) {
                Thread.sleep(50);
            }
        }
        serve.interrupt();
        serve.join(15_000);
        assertFalse(serve.isAlive(), "serve stops when interrupted");
        assertTrue(up, () -> "serve never listened: " + result.get());
        assertEquals(0, result.get().exit(), result.get()::toString);
        assertEquals(1, RecordingCliDriverProvider.CREATED.size(), result.get()::toString);
        return RecordingCliDriverProvider.CREATED.get(0);
    }

    /**
     * A class loader that also declares {@link RecordingCliDriverProvider}, which the driver
     * discovery finds through the thread's context class loader: declared for these tests only, so
     * that other tests' lists of drivers do not show it.
     */
    static ClassLoader recordingLoader() throws IOException {
        Path dir = Files.createTempDirectory("recording-driver");
        Path services = dir.resolve("META-INF/services/org.lbaas.driver.spi.DriverProvider");
        Files.createDirectories(services.getParent());
        Files.writeString(services, RecordingCliDriverProvider.class.getName() + "\n");
        dir.toFile().deleteOnExit();
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, ServeCommandTest.class.getClassLoader());
    }

    private static Properties stored(Path stateDir) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(stateDir.resolve("driver.properties"), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    @Test
    @Timeout(60)
    @DisplayName("--namespace-prefix, --bridge, --interface-driver and --driver-setting reach the driver and are kept with the state dir")
    void driverSettingsReachTheDriver(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Map<String, String> first = serveOnce("--state-dir", state.toString(), "--namespace-prefix", "qx-", "--bridge", "br-x",
                "--interface-driver", "noop", "--driver-setting", "max_members=9,max_monitors_per_pool=2");
        assertEquals(Map.of("namespace_prefix", "qx-", "bridge", "br-x", "interface_driver", "noop", "max_members", "9",
                "max_monitors_per_pool", "2"), first);
        Properties p = stored(state);
        assertEquals("qx-", p.getProperty("namespace_prefix"));
        assertEquals("br-x", p.getProperty("bridge"));
        assertEquals("noop", p.getProperty("interface_driver"));
        assertEquals(null, p.getProperty("max_members"), "like deploy, only the three settings are kept");

        Map<String, String> again = serveOnce("--state-dir", state.toString());
        assertEquals(Map.of("namespace_prefix", "qx-", "bridge", "br-x", "interface_driver", "noop"), again,
                "a later serve on the same state dir reuses them");

        Map<String, String> changed = serveOnce("--state-dir", state.toString(), "--driver-setting", "namespace_prefix=qy-",
                "--bridge", "br-y");
        assertEquals(Map.of("namespace_prefix", "qy-", "bridge", "br-y", "interface_driver", "noop"), changed);
        assertEquals("qy-", stored(state).getProperty("namespace_prefix"), "a remembered key given as --driver-setting is kept");
    }

    @Test
    @Timeout(60)
    @DisplayName("without --state-dir the settings reach the driver and nothing is stored")
    void withoutStateDir() throws Exception {
        Map<String, String> settings = serveOnce("--namespace-prefix", "qz-", "--driver-setting", "max_members=4");
        assertEquals(Map.of("namespace_prefix", "qz-", "max_members", "4"), settings);
    }

    @Test
    @DisplayName("a driver that cannot start, or a bad value, is one line on standard error")
    void failuresAreOneLine() throws IOException {
        Thread self = Thread.currentThread();
        ClassLoader before = self.getContextClassLoader();
        CliRun failed;
        self.setContextClassLoader(recordingLoader());
        try {
            failed = CliRun.run("serve", "--port", "0", "--token", "t", "--driver", "recording-cli", "--driver-setting",
                    "fail=haproxy could not start");
        } finally {
            self.setContextClassLoader(before);
        }
        assertEquals(1, failed.exit(), failed::toString);
        assertEquals(List.of("lbaas serve: cannot start: haproxy could not start: the cause"), failed.errLines());
        CliRun badSetting = CliRun.run("serve", "--driver-setting", "novalue");
        assertEquals(2, badSetting.exit(), badSetting::toString);
        assertEquals(1, badSetting.errLines().size(), badSetting::toString);
        assertTrue(badSetting.err().contains("KEY=VALUE"), badSetting::toString);
        CliRun badPort = CliRun.run("serve", "--port", "eighty");
        assertEquals(List.of("lbaas serve: --port must be a number in 0..65535, not eighty"), badPort.errLines());
    }
}
