package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.Repository;

/** The service a one-shot command builds. */
class SessionTest {

    static Set<Thread> healingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("lbaas-self-healing") && t.isAlive()).collect(Collectors.toSet());
    }

    @Test
    @DisplayName("a one-shot command's service does not self-heal: no probing thread races the operator")
    void noSelfHealing() {
        Set<Thread> before = healingThreads();
        try (DryRun dry = new DryRun(Map.of(), Optional.empty());
             Session s = Session.open("lbaas test", dry.settings(), dry.shell(), Repository.inMemory(), List.of())) {
            Set<Thread> started = new HashSet<>(healingThreads());
            started.removeAll(before);
            assertEquals(Set.of(), started, "self-healing threads started by a command's session");
            assertEquals(List.of(), s.service().listPools());
        }
    }
}
