package org.lbaas.driver.haproxy;

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

    private static final Set<String> EXPORTS = Set.of("org.lbaas.driver.haproxy");
    private static final Set<String> REQUIRES = Set.of("org.lbaas.driver.spi", "com.google.common", "org.slf4j", "org.apache.commons.exec");

    static ModuleDescriptor descriptor() throws IOException {
        Path classes = Path.of(System.getProperty("lbaas.build.outputDirectory", "target/classes"));
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void moduleHasTheAgreedName() throws IOException {
        assertEquals("org.lbaas.driver.haproxy", descriptor().name());
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

    @Provide
    Arbitrary<String> packages() throws IOException {
        return Arbitraries.of(descriptor().packages());
    }

    @Property(tries = 50)
    void everyPackageLivesUnderTheModuleNameAndInternalsAreNotExported(
            @ForAll("packages") String pkg) {
        assertTrue(pkg.equals("org.lbaas.driver.haproxy") || pkg.startsWith("org.lbaas.driver.haproxy."), pkg + " is outside org.lbaas.driver.haproxy");
        if (pkg.contains(".internal")) {
            assertFalse(EXPORTS.contains(pkg), pkg + " is internal but exported");
        }
    }
}
