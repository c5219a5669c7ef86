package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Checks the compiled module descriptor (tests run on the class path, so it is read from the
 * build output directory).
 */
class ModuleDescriptorTest {

    static ModuleDescriptor descriptor() throws IOException {
        Path classes = Path.of(System.getProperty("lbaas.build.outputDirectory", "target/classes"));
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void nameExportsAndRequires() throws IOException {
        ModuleDescriptor d = descriptor();
        assertEquals("org.lbaas.rest", d.name());
        assertEquals(Set.of("org.lbaas.rest"), d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified));
        assertTrue(d.opens().isEmpty());
        Set<String> requires = d.requires().stream().map(ModuleDescriptor.Requires::name)
                .filter(n -> !n.equals("java.base")).collect(Collectors.toSet());
        assertEquals(Set.of("org.lbaas.api", "org.eclipse.jetty.server", "com.fasterxml.jackson.databind", "org.slf4j"), requires);
        assertTrue(d.requires().stream().anyMatch(r -> r.name().equals("org.lbaas.api")
                && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)), "the API's types are in ours");
    }

    @Test
    void onlyTheEmbeddingTypesArePublic() throws ClassNotFoundException {
        Set<String> expectedPublic = Set.of("LbaasRestServer", "LbaasRestServer$Builder", "Authenticator", "Caller");
        for (String name : new String[] {"ApiHandler", "ApiError", "AssociationBody", "Bodies", "Errors", "Json", "Listing", "Query",
                "ConnectionGuard", "GuardedConnector", "JettyApi", "NeutronErrorHandler", "Exchange",
                "Resource", "Resources"}) {
            Class<?> c = Class.forName("org.lbaas.rest." + name);
            assertTrue(!java.lang.reflect.Modifier.isPublic(c.getModifiers()), name + " must be package-private");
        }
        for (String name : expectedPublic) {
            Class<?> c = Class.forName("org.lbaas.rest." + name);
            assertTrue(java.lang.reflect.Modifier.isPublic(c.getModifiers()), name + " is the embedding surface");
        }
    }
}
