package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands over a state directory, where they fail before touching a data plane: without
 * root, with a malformed or unknown pool id, with nothing deployed. (They work for real in
 * {@link DeployLiveTest}.)
 */
class StateCommandsTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("update, undeploy, status, stats and reconcile need root and say so")
    void needRoot() {
        String id = UUID.randomUUID().toString();
        for (List<String> args : List.of(List.of("update", "examples/web.json"), List.of("undeploy", id), List.of("status"),
                List.of("stats", id), List.of("reconcile"))) {
            CliRun r = CliRun.asUser(args.toArray(String[]::new));
            assertEquals(1, r.exit(), r::toString);
            assertEquals(1, r.errLines().size(), r::toString);
            assertTrue(r.err().startsWith("lbaas " + args.get(0) + ": needs root ("), r::toString);
        }
    }

    @Test
    @DisplayName("a POOL_ID that is not a UUID is invalid input, root or not")
    void malformedPoolId() {
        for (String command : List.of("undeploy", "stats")) {
            CliRun r = CliRun.asUser(command, "pool-1");
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.err().startsWith("POOL_ID: not a pool id"), r::toString);
        }
    }

    @Test
    @DisplayName("with nothing deployed: status says so, undeploy and stats of any id are invalid input")
    void nothingDeployed() {
        String state = dir.resolve("state").toString();
        CliRun s = CliRun.run("status", "--state-dir", state);
        assertEquals(0, s.exit(), s::toString);
        assertEquals("no load balancers deployed in " + state + "\n", s.out());
        String id = UUID.randomUUID().toString();
        for (String command : List.of("undeploy", "stats")) {
            CliRun r = CliRun.run(command, "--state-dir", state, id);
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.err().startsWith("POOL_ID: no pool " + id + " is deployed in " + state), r::toString);
        }
        assertFalse(Files.exists(Path.of(state)), "a read-only command created the state directory");
    }

    @Test
    @DisplayName("update of a document that was never deployed is invalid input naming pool.id")
    void updateOfUnknownDocument() {
        CliRun r = CliRun.run("update", "--state-dir", dir.resolve("state").toString(), "examples/web.json");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith("pool.id: no pool a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d is deployed in "),
                r::toString);
    }

    @Test
    @DisplayName("$LBAAS_STATE_DIR is the default state directory")
    void stateDirFromEnvironment() {
        String state = dir.resolve("from-env").toString();
        CliRun r = CliRun.run(new CliRun.TestHost(true, Map.of("LBAAS_STATE_DIR", state)), "", "status");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("no load balancers deployed in " + state + "\n", r.out());
    }
}
