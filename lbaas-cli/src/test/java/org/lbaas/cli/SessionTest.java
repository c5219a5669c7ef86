package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.api.Repository;

/** The service a one-shot command builds. */
class SessionTest {

    @TempDir
    Path state;

    static Set<Thread> healingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("lbaas-self-healing") && t.isAlive()).collect(Collectors.toSet());
    }

    @Test
    @DisplayName("a one-shot command's service does not self-heal: no probing thread races the operator")
    void noSelfHealing() {
        Set<Thread> before = healingThreads();
        // a state directory of its own, a prefix nothing uses and a shell that runs nothing: the service's startup
        // reconcile finds nothing of the host's
        Map<String, String> settings = Map.of("state_dir", state.resolve("haproxy").toString(), "namespace_prefix",
                "lbaastest" + ProcessHandle.current().pid() + "-");
        try (Session s = Session.open("lbaas test", settings, new DryRunShellExecutor(new PrintStream(OutputStream.nullOutputStream())),
                Repository.inMemory(), List.of())) {
            Set<Thread> started = new HashSet<>(healingThreads());
            started.removeAll(before);
            assertEquals(Set.of(), started, "self-healing threads started by a command's session");
            assertEquals(List.of(), s.service().listPools());
        }
    }
}
