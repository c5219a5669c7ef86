package org.lbaas.driver.haproxy.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files: the exact text the renderer writes for each case of {@link GoldenCases}, kept in
 * {@code src/test/resources/golden/<name>.cfg} and reviewed like code. After an intended change,
 * regenerate them with {@code -Dlbaas.golden.update=true} and review the diff.
 * {@link GoldenConfigLiveTest} checks every file with the real {@code haproxy -dW -c}.
 */
class HaproxyConfigRendererExpectTest {

    private static final boolean UPDATE = Boolean.getBoolean("lbaas.golden.update");

    @TestFactory
    Stream<DynamicTest> everyCaseRendersExactlyItsGoldenFile() {
        return GoldenCases.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            String actual = c.render();
            if (UPDATE) {
                Files.createDirectories(GoldenCases.DIR);
                Files.writeString(c.file(), actual, StandardCharsets.UTF_8);
            }
            assertTrue(Files.exists(c.file()), "missing golden file " + c.file() + " (run with -Dlbaas.golden.update=true)");
            assertEquals(Files.readString(c.file(), StandardCharsets.UTF_8), actual, c.name());
        }));
    }

    @Test
    void everyGoldenFileBelongsToACase() throws IOException {
        Set<String> expected = GoldenCases.all().stream().map(c -> c.name() + ".cfg").collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected.size(), GoldenCases.all().size(), "case names must be unique");
        try (Stream<java.nio.file.Path> files = Files.list(GoldenCases.DIR)) {
            Set<String> present = files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, present);
        }
    }

    @Test
    void goldenFilesAreLfOnlyAsciiWithoutTrailingSpaces() throws IOException {
        for (GoldenCases.Case c : GoldenCases.all()) {
            String text = Files.readString(c.file(), StandardCharsets.UTF_8);
            assertTrue(text.chars().allMatch(ch -> ch == '\n' || (ch >= 0x20 && ch < 0x7f)), c.name());
            List<String> lines = text.lines().toList();
            assertTrue(lines.stream().noneMatch(l -> l.endsWith(" ")), c.name());
            assertTrue(text.endsWith("\n") && !text.endsWith("\n\n"), c.name());
        }
    }
}
