package org.lbaas.api;

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

    private static final Set<String> EXPORTS = Set.of("org.lbaas.api", "org.lbaas.api.json");
    private static final Set<String> REQUIRES = Set.of("org.lbaas.model", "org.lbaas.driver.spi", "com.fasterxml.jackson.databind", "com.google.common", "org.slf4j");

    static ModuleDescriptor descriptor() throws IOException {
        Path classes = Path.of(System.getProperty("lbaas.build.outputDirectory", "target/classes"));
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void moduleHasTheAgreedName() throws IOException {
        assertEquals("org.lbaas.api", descriptor().name());
    }

    @Test
    void exportsExactlyTheApiPackagesAndTheWireTreesOnlyToRest() throws IOException {
        ModuleDescriptor descriptor = descriptor();
        Set<String> exported = descriptor.exports().stream()
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertEquals(EXPORTS, descriptor.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        // the one qualified export: the tree-level wire mapping, for lbaas-rest only
        assertEquals(Set.of("org.lbaas.api.json.internal -> [org.lbaas.rest]"), descriptor.exports().stream()
                .filter(ModuleDescriptor.Exports::isQualified).map(e -> e.source() + " -> " + e.targets())
                .collect(Collectors.toSet()));
        assertTrue(exported.containsAll(EXPORTS));
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

    @Provide
    Arbitrary<String> packages() throws IOException {
        return Arbitraries.of(descriptor().packages());
    }

    @Property(tries = 50)
    void everyPackageLivesUnderTheModuleNameAndInternalsAreNotExported(
            @ForAll("packages") String pkg) {
        assertTrue(pkg.equals("org.lbaas.api") || pkg.startsWith("org.lbaas.api."), pkg + " is outside org.lbaas.api");
        if (pkg.contains(".internal")) {
            assertFalse(EXPORTS.contains(pkg), pkg + " is internal but exported");
        }
    }
}
