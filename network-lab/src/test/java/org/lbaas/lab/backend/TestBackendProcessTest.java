package org.lbaas.lab.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Launches the backend as a real child JVM on the loopback address (no namespace). */
class TestBackendProcessTest {

    @Test
    void startsAnswersAndStopsByPid() throws Exception {
        TestBackendProcess p = TestBackendProcess.builder("solo").bind("127.0.0.1").port(0).cookie("APP").start();
        long pid = p.pid();
        try {
            assertTrue(p.isAlive());
            assertNotEquals(0, p.port());
            assertEquals(Optional.empty(), p.namespace());
            TestBackendTest.Response r = TestBackendTest.request(p.port(), "GET", "/");
            assertEquals("solo\n", r.body());
            assertEquals(List.of("APP=solo-1; Path=/"), r.all("Set-Cookie"));
            assertTrue(p.log().contains("READY solo " + p.port()), p.log());
        } finally {
            p.close();
        }
        assertFalse(p.isAlive());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertEquals("", p.log(), "the log file is removed");
        p.close();
    }

    @Test
    void aBackendThatCannotBindFailsWithItsLog() {
        // 198.18.255.254 is assigned to nothing in this namespace, so binding it fails.
        TestBackendProcess.Builder builder = TestBackendProcess.builder("nobind").bind("198.18.255.254").port(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, builder::start);
        assertTrue(e.getMessage().contains("before it was ready"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot bind 198.18.255.254"), e.getMessage());
    }

    @Test
    void theArgvRunsAJvmWithSmallFlagsInsideTheNamespace() {
        List<String> argv = TestBackendProcess.builder("b1").namespace("lbtabc123-b1").bind("::").port(8080)
                .cookie("SID").argv();
        assertEquals(List.of("ip", "netns", "exec", "lbtabc123-b1"), argv.subList(0, 4));
        assertTrue(argv.get(4).endsWith("/bin/java"), argv.get(4));
        assertTrue(argv.containsAll(List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC")), argv.toString());
        int cp = argv.indexOf("-cp");
        assertTrue(Files.exists(Path.of(argv.get(cp + 1))), "class path entry exists: " + argv.get(cp + 1));
        assertEquals(TestBackend.class.getName(), argv.get(cp + 2));
        assertEquals(List.of("--name", "b1", "--bind", "::", "--port", "8080"), argv.subList(cp + 3, cp + 9));
        assertEquals(List.of("--cookie", "SID"), argv.subList(argv.size() - 2, argv.size()));
        assertTrue(argv.contains("--exit-with"));
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TestBackendProcess.builder("a b"));
        assertThrows(IllegalArgumentException.class, () -> TestBackendProcess.builder("a").namespace("x;y"));
        assertThrows(IllegalArgumentException.class, () -> TestBackendProcess.builder("a").bind("localhost"));
        assertThrows(IllegalArgumentException.class, () -> TestBackendProcess.builder("a").port(-1));
    }
}
