package org.lbaas.driver.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DriverConfigTest {

    private static final Set<String> KNOWN = Set.of("state_dir", "bridge");

    @Test
    void unknownSettingsAreNamedSortedWithTheKnownKeys() {
        assertEquals(Optional.empty(), DriverConfig.unknownSettings(Map.of("bridge", "br0"), KNOWN));
        assertEquals(Optional.of("unknown setting colour (known: bridge, state_dir)"),
                DriverConfig.unknownSettings(Map.of("bridge", "br0", "colour", "blue"), KNOWN));
        assertEquals(Optional.of("unknown settings statedir, zone (known: bridge, state_dir)"),
                DriverConfig.defaults().with("zone", "a").with("statedir", "/x").unknownSettings(KNOWN));
    }

    @Test
    void refusingUnknownSettingsIsANotRetryableDriverException() {
        DriverConfig.defaults().with("bridge", "br0").refuseUnknownSettings("demo", KNOWN);
        DriverException e = assertThrows(DriverException.class,
                () -> DriverConfig.defaults().with("colour", "blue").refuseUnknownSettings("demo", KNOWN));
        assertFalse(e.retryable());
        assertEquals("demo: unknown setting colour (known: bridge, state_dir)", e.operatorMessage());
        assertEquals("the load-balancer driver is misconfigured", e.tenantMessage());
    }
}
