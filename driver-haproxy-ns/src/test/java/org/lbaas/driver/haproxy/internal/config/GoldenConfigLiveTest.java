package org.lbaas.driver.haproxy.internal.config;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Every golden file is a configuration the real HAProxy 2.6 accepts without a single warning:
 * {@code haproxy -dW -c -f <file>} exits 0 and prints only "Configuration file is valid".
 */
@Tag("live")
class GoldenConfigLiveTest {

    @TestFactory
    Stream<DynamicTest> everyGoldenFilePassesHaproxyZeroWarningCheck() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(GoldenCases.DIR)) {
            files = s.filter(p -> p.toString().endsWith(".cfg")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no golden files in " + GoldenCases.DIR.toAbsolutePath());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> HaproxyParserLiveTest.checkZeroWarning(f)));
    }
}
