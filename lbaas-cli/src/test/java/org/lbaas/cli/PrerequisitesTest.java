package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.testkit.RecordingShellExecutor;

/** Missing programs: installed with apt-get as root on Debian (saying so), named with install hints elsewhere. */
class PrerequisitesTest {

    private static final List<Prerequisites.Program> DEMO = List.of(Prerequisites.HAPROXY, Prerequisites.IP, Prerequisites.CURL);

    /** A host where some programs are missing until apt-get "installs" them. */
    private static final class FakeHost implements Host {
        final Set<String> installed;
        final boolean root;
        final boolean debian;
        final RecordingShellExecutor shell = new RecordingShellExecutor();

        FakeHost(boolean root, boolean debian, String... installed) {
            this.root = root;
            this.debian = debian;
            this.installed = new HashSet<>(List.of(installed));
            shell.whenArgvMatches("^/usr/bin/apt-get install ").thenAnswer(c -> {
                this.installed.addAll(List.of("haproxy", "ip", "curl"));
                return org.lbaas.testkit.Reply.success();
            });
        }

        @Override
        public boolean isRoot() {
            return root;
        }

        @Override
        public Optional<Path> findProgram(String name) {
            if (name.equals("apt-get") && debian) {
                return Optional.of(Path.of("/usr/bin/apt-get"));
            }
            return installed.contains(name) ? Optional.of(Path.of("/usr/sbin", name)) : Optional.empty();
        }

        @Override
        public boolean isDebianFamily() {
            return debian;
        }

        @Override
        public Optional<String> env(String name) {
            return Optional.empty();
        }

        @Override
        public ShellExecutor shell() {
            return shell;
        }
    }

    @Test
    @DisplayName("root on Debian: says what it installs, runs apt-get update and install, then finds the programs")
    void installsOnDebianAsRoot() {
        FakeHost host = new FakeHost(true, true, "ip");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Prerequisites.require(host, new PrintStream(bytes, true, StandardCharsets.UTF_8), "lbaas demo: prerequisites", DEMO, true);
        assertEquals("installing haproxy curl with apt-get (missing: haproxy (HAProxy 2.6, the data plane), curl (the demo's"
                + " HTTP client))\n", bytes.toString(StandardCharsets.UTF_8));
        List<Command> commands = host.shell.commands();
        assertEquals(List.of(List.of("/usr/bin/apt-get", "update", "-q"),
                List.of("/usr/bin/apt-get", "install", "-y", "-q", "--no-install-recommends", "haproxy", "curl")),
                commands.stream().map(Command::argv).toList());
        commands.forEach(c -> assertEquals("noninteractive", c.environment().get("DEBIAN_FRONTEND")));
    }

    @Test
    @DisplayName("a failing apt-get is a failed step with its last line of output")
    void failingInstall() {
        FakeHost host = new FakeHost(true, true);
        host.shell.whenArgvMatches("^/usr/bin/apt-get update").thenExit(100).thenStderr("E: Could not get lock\n");
        StepFailedException e = assertThrows(StepFailedException.class, () -> Prerequisites.require(host,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "lbaas demo: prerequisites", DEMO, true));
        assertEquals(List.of("lbaas demo: prerequisites: /usr/bin/apt-get update -q failed (exit 100): E: Could not get lock"),
                e.lines());
    }

    @Test
    @DisplayName("elsewhere, or with --no-install, or without root: names exactly what is missing and how to get it")
    void namesWhatIsMissing() {
        for (FakeHost host : List.of(new FakeHost(true, false, "curl"), new FakeHost(false, true, "curl"))) {
            StepFailedException e = assertThrows(StepFailedException.class, () -> Prerequisites.require(host,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "lbaas demo: prerequisites", DEMO,
                    true));
            String line = e.lines().get(0);
            assertTrue(line.startsWith("lbaas demo: prerequisites: missing haproxy (HAProxy 2.6, the data plane), ip (iproute2,"
                    + " for network namespaces); install it: Debian/Ubuntu: apt-get install -y haproxy iproute2;"
                    + " Fedora/RHEL: dnf install -y haproxy iproute"), line);
            assertEquals(0, host.shell.callCount(), "nothing may be installed here");
        }
        FakeHost debianRoot = new FakeHost(true, true, "curl", "ip");
        assertThrows(StepFailedException.class, () -> Prerequisites.require(debianRoot,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "step", DEMO, false));
        assertEquals(0, debianRoot.shell.callCount(), "--no-install installed something");
    }
}
