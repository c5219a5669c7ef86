package org.lbaas.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.lbaas.driver.spi.DriverNotFoundException;
import org.lbaas.driver.spi.DriverProvider;
import org.lbaas.driver.spi.Drivers;

/**
 * The provider is registered and found by name.
 *
 * <p>A group of the {@link DriverConformanceKit}: each {@code @Check} method is one rule, run by the kit
 * as a test in the vendor's class, named by its {@code @DisplayName}, with a fresh {@link ConformanceRun}.
 */
public interface RegistrationContract {

    /** Skips the group when the kit does not know the provider's name. */
    @Precondition
    default void needsName(ConformanceRun run) {
        Assumptions.assumeTrue(run.providerName().isPresent(), "providerName() is not overridden, so the kit does not know "
                + "which provider to look up; override it to check the registration");
    }

    @Check
    @DisplayName("Drivers.discover() finds exactly one provider with the name")
    default void discoveredByName(ConformanceRun run) {
        String name = run.providerName().orElseThrow();
        Drivers.Discovery found = Drivers.discover();
        DriverProvider provider = found.provider(name);
        assertEquals(name, provider.name());
        assertTrue(found.problems().stream().noneMatch(p -> p.contains(provider.getClass().getName())),
                "the provider's class reported problems on discovery: " + found.problems());
    }

    @Check
    @DisplayName("the name is lower-case letters and digits, words joined by '-'")
    default void nameIsAToken(ConformanceRun run) {
        String name = run.providerName().orElseThrow();
        assertTrue(name.matches("[a-z0-9]+(-[a-z0-9]+)*"), "provider name '" + name + "'");
    }

    @Check
    @DisplayName("the provider can be constructed directly, without discovery, and reports the same name")
    default void constructedDirectly(ConformanceRun run) throws ReflectiveOperationException {
        String name = run.providerName().orElseThrow();
        Class<? extends DriverProvider> type = Drivers.discover().provider(name).getClass();
        assertTrue(Modifier.isPublic(type.getModifiers()), type + " must be public");
        Constructor<? extends DriverProvider> constructor = type.getConstructor();
        assertEquals(name, constructor.newInstance().name());
    }

    @Check
    @DisplayName("asking for an unknown name fails with a message that lists this provider")
    default void listedWhenAnotherNameIsAskedFor(ConformanceRun run) {
        String name = run.providerName().orElseThrow();
        String unknown = "no-such-driver-" + UUID.randomUUID();
        DriverNotFoundException e = assertThrows(DriverNotFoundException.class, () -> Drivers.discover().provider(unknown));
        assertTrue(e.available().contains(name), e.getMessage());
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }
}
