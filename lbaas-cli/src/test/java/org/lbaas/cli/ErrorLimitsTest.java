package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors stay readable: at most 20 lines and a count, documents above the limit refused before parsing. */
class ErrorLimitsTest {

    @TempDir
    Path dir;

    /** Loads the command-line parser once, so that the timing below measures the document, not class loading. */
    @BeforeAll
    static void warmUp() {
        CliRun.run("--help");
    }

    @Test
    @DisplayName("300 broken members: 20 lines, then '... and 280 more'")
    void violationsAreCapped() {
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            members.append(i == 0 ? "" : ", ").append("{\"id\": \"11111111-2222-4333-8444-").append(String.format("%012d", i))
                    .append("\", \"address\": \"10.20.").append(1 + i / 200).append('.').append(2 + i % 200)
                    .append("\", \"protocol_port\": \"80\"}");
        }
        String doc = Docs.web().replaceFirst("(?s)\"members\": \\[.*?\\n  \\],", "\"members\": [" + members + "],");
        CliRun r = CliRun.run("validate", Docs.write(dir, "many.json", doc).toString());
        assertEquals(2, r.exit(), r::toString);
        List<String> lines = r.errLines();
        assertEquals(21, lines.size(), r::toString);
        assertTrue(lines.get(0).startsWith("members[0].protocol_port: must be an integer"), lines.get(0));
        assertEquals("... and 280 more", lines.get(20));
    }

    @Test
    @DisplayName("the count is grouped by thousands")
    void grouped() {
        assertEquals("229 990", Failures.grouped(229_990));
        assertEquals("4 194 304", Failures.grouped(4_194_304));
        assertEquals("999", Failures.grouped(999));
        assertEquals(List.of("a"), Failures.capped(List.of("a")));
    }

    @Test
    @DisplayName("a document above the size limit is refused at once, in one line naming the limit")
    void tooLarge() throws IOException {
        Path big = dir.resolve("big.json");
        Files.writeString(big, "{\"members\": [" + "{},".repeat(Documents.MAX_BYTES / 3) + "{}]}");
        long start = System.nanoTime();
        CliRun r = CliRun.run("validate", big.toString());
        assertEquals(2, r.exit(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains("is too large for a document (at most 4 194 304 bytes"), r::toString);
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "not refused before parsing");
    }
}
