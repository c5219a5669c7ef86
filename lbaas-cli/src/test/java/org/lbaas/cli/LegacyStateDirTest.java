package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state directory of an older lbaas (documents/ mapping document ids to assigned ids): refused with what to do. */
class LegacyStateDirTest {

    static final String DOC_POOL = "a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    static final String ASSIGNED = "3d0c2f7e-8a51-4c1b-9d0e-6f1a2b3c4d5e";

    @TempDir
    Path tmp;

    private Path legacy() throws IOException {
        Path state = Files.createDirectory(tmp.resolve("state"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.createDirectory(state.resolve("store"));
        Path documents = Files.createDirectory(state.resolve("documents"));
        Files.writeString(documents.resolve(DOC_POOL + ".json"), "{\"document_pool_id\": \"" + DOC_POOL + "\", \"pool_id\": \""
                + ASSIGNED + "\", \"vip_id\": null, \"members\": {}, \"health_monitors\": {}}\n");
        return state;
    }

    @Test
    @DisplayName("update refuses it in one line saying to undeploy and deploy again")
    void updateRefuses() throws IOException {
        Path state = legacy();
        CliRun r = CliRun.run("update", "--state-dir", state.toString(), "examples/web.json");
        assertEquals(1, r.exit(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("lbaas update: " + state.resolve("documents") + ": written by an older lbaas"), r::toString);
        assertTrue(r.err().contains("pool " + ASSIGNED) && r.err().contains("'lbaas undeploy POOL_ID'")
                && r.err().contains("deploy the documents again"), r::toString);
    }

    @Test
    @DisplayName("undeploy by either id deletes the record, and documents/ with the last one")
    void undeployClears() throws IOException {
        Path state = legacy();
        CliRun r = CliRun.run("undeploy", "--state-dir", state.toString(), DOC_POOL);
        assertEquals(2, r.exit(), r::toString);
        assertFalse(Files.exists(state.resolve("documents")), r::toString);
    }
}
