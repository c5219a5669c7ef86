package org.lbaas.driver.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Drivers finds providers by name")
class DriversTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("a provider is found by its name")
    void findsByName() throws IOException {
        Drivers.Discovery found = Drivers.discover(loader(AlphaProvider.class.getName(), BetaProvider.class.getName()));
        assertEquals(List.of("alpha", "beta"), found.names());
        assertInstanceOf(BetaProvider.class, found.provider("beta"));
        assertEquals(List.of(), found.problems());
    }

    @Test
    @DisplayName("an unknown name is an error that lists every name found")
    void unknownNameListsNames() throws IOException {
        Drivers.Discovery found = Drivers.discover(loader(AlphaProvider.class.getName(), BetaProvider.class.getName()));
        DriverNotFoundException e = assertThrows(DriverNotFoundException.class, () -> found.provider("gamma"));
        assertEquals("gamma", e.requested());
        assertEquals(List.of("alpha", "beta"), e.available());
        assertTrue(e.getMessage().contains("'gamma'") && e.getMessage().contains("alpha, beta"), e.getMessage());
    }

    @Test
    @DisplayName("no providers at all says so")
    void noProviders() throws IOException {
        Drivers.Discovery found = Drivers.discover(loader());
        DriverNotFoundException e = assertThrows(DriverNotFoundException.class, () -> found.provider("haproxy-ns"));
        assertTrue(e.getMessage().contains("drivers found: none"), e.getMessage());
    }

    @Test
    @DisplayName("two providers with one name are an error naming both classes")
    void duplicateNamesBothClasses() throws IOException {
        Drivers.Discovery found = Drivers.discover(loader(AlphaProvider.class.getName(), OtherAlphaProvider.class.getName()));
        DuplicateDriverException e = assertThrows(DuplicateDriverException.class, () -> found.provider("alpha"));
        assertEquals(List.of(AlphaProvider.class.getName(), OtherAlphaProvider.class.getName()), e.classes());
        assertTrue(e.getMessage().contains(OtherAlphaProvider.class.getName()), e.getMessage());
    }

    @Test
    @DisplayName("a provider that fails to load is reported and skipped, the others stay visible")
    void brokenProviderSkipped() throws IOException {
        Drivers.Discovery found = Drivers.discover(loader(AlphaProvider.class.getName(), "org.lbaas.nowhere.MissingProvider",
                ExplodingProvider.class.getName(), BetaProvider.class.getName()));
        assertEquals(List.of("alpha", "beta"), found.names());
        assertEquals(2, found.problems().size(), found.problems().toString());
        assertTrue(found.problems().get(0).contains("MissingProvider"), found.problems().get(0));
        assertTrue(found.problems().get(1).contains("ExplodingProvider"), found.problems().get(1));
        DriverNotFoundException e = assertThrows(DriverNotFoundException.class, () -> found.provider("missing"));
        assertTrue(e.getMessage().contains("failed to load"), e.getMessage());
    }

    @Test
    @DisplayName("a provider can be constructed directly, without discovery")
    void directConstruction() {
        DriverProvider provider = new AlphaProvider();
        assertEquals("alpha", provider.name());
    }

    private ClassLoader loader(String... providerClasses) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(DriverProvider.class.getName()), String.join("\n", providerClasses) + "\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    /** A provider named alpha. */
    public static class AlphaProvider implements DriverProvider {
        @Override
        public String name() {
            return "alpha";
        }

        @Override
        public LoadBalancerDriver create(DriverConfig config) {
            throw new UnsupportedOperationException("not needed for discovery");
        }
    }

    /** A second provider that also calls itself alpha. */
    public static class OtherAlphaProvider extends AlphaProvider {
    }

    /** A provider named beta. */
    public static class BetaProvider extends AlphaProvider {
        @Override
        public String name() {
            return "beta";
        }
    }

    /** A provider whose constructor fails. */
    public static class ExplodingProvider extends AlphaProvider {
        public ExplodingProvider() {
            throw new IllegalStateException("boom");
        }
    }
}
