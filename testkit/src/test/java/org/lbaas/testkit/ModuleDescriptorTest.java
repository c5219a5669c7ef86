package org.lbaas.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Checks the compiled module descriptor of this module. Tests run on the class path (see the
 * surefire configuration in the parent pom), so the descriptor is read from the build output
 * directory instead of from {@code Class.getModule()}.
 */
class ModuleDescriptorTest {

    private static final Set<String> EXPORTS = Set.of("org.lbaas.testkit", "org.lbaas.testkit.backend", "org.lbaas.testkit.netns",
            "org.lbaas.testkit.conformance", "org.lbaas.testkit.memory");
    private static final Set<String> REQUIRES = Set.of("org.lbaas.model", "org.lbaas.driver.spi", "org.lbaas.api", "org.junit.jupiter.api", "net.jqwik.api", "org.slf4j", "jdk.httpserver");

    static ModuleDescriptor descriptor() throws IOException {
        Path classes = Path.of(System.getProperty("lbaas.build.outputDirectory", "target/classes"));
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void moduleHasTheAgreedName() throws IOException {
        assertEquals("org.lbaas.testkit", descriptor().name());
    }

    @Test
    void exportsExactlyTheApiPackagesAndNoneOfThemQualified() throws IOException {
        ModuleDescriptor descriptor = descriptor();
        Set<String> exported = descriptor.exports().stream()
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertEquals(EXPORTS, exported);
        assertFalse(descriptor.exports().stream().anyMatch(ModuleDescriptor.Exports::isQualified),
                "no qualified exports");
        assertTrue(descriptor.opens().isEmpty(), "no opened packages");
    }

    @Test
    void requiresExactlyTheDeclaredModules() throws IOException {
        Set<String> required = descriptor().requires().stream()
                .map(ModuleDescriptor.Requires::name)
                .filter(name -> !name.equals("java.base"))
                .collect(Collectors.toSet());
        assertEquals(REQUIRES, required);
    }

    @Test
    void providesTheInMemoryDriver() throws IOException {
        Set<String> provided = descriptor().provides().stream()
                .filter(p -> p.service().equals("org.lbaas.driver.spi.DriverProvider"))
                .flatMap(p -> p.providers().stream())
                .collect(Collectors.toSet());
        assertEquals(Set.of("org.lbaas.testkit.memory.InMemoryDriverProvider"), provided);
    }

    @Provide
    Arbitrary<String> packages() throws IOException {
        return Arbitraries.of(descriptor().packages());
    }

    @Property(tries = 50)
    void everyPackageLivesUnderTheModuleNameAndInternalsAreNotExported(
            @ForAll("packages") String pkg) {
        assertTrue(pkg.equals("org.lbaas.testkit") || pkg.startsWith("org.lbaas.testkit."), pkg + " is outside org.lbaas.testkit");
        if (pkg.contains(".internal")) {
            assertFalse(EXPORTS.contains(pkg), pkg + " is internal but exported");
        }
    }
}
