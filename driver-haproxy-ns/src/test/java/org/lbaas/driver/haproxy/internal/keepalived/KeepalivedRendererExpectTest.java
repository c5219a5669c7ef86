package org.lbaas.driver.haproxy.internal.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The renderer's output for {@link KeepalivedCases} equals the reviewed golden files. Run with
 * {@code -Dlbaas.golden.update=true} to (re)write them, then review the diff like code.
 */
class KeepalivedRendererExpectTest {

    @TestFactory
    Stream<DynamicTest> renderedConfigEqualsGoldenFile() {
        return KeepalivedCases.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            String actual = KeepalivedRenderer.render(c.config());
            if (Boolean.getBoolean("lbaas.golden.update")) {
                Files.createDirectories(KeepalivedCases.DIR);
                Files.writeString(c.file(), actual, StandardCharsets.UTF_8);
                return;
            }
            assertEquals(read(c), actual, "differs from golden file " + c.file());
        }));
    }

    private static String read(KeepalivedCases.Case c) throws IOException {
        if (!Files.exists(c.file())) {
            throw new AssertionError("no golden file " + c.file() + "; run with -Dlbaas.golden.update=true");
        }
        return Files.readString(c.file(), StandardCharsets.UTF_8);
    }
}
