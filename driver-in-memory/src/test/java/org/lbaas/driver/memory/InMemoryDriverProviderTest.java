package org.lbaas.driver.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.shell.ShellExecutor;

class InMemoryDriverProviderTest {

    private static DriverConfig config(Map<String, String> settings) {
        return new DriverConfig(settings, ShellExecutor.system(), Clock.systemUTC());
    }

    @Test
    void defaultsSupportEverythingWithTheDocumentedLimits() {
        Capabilities c = new InMemoryDriverProvider().create(DriverConfig.defaults()).capabilities();
        assertEquals(Capabilities.everything(InMemoryDriverProvider.DEFAULT_MAX_MEMBERS, InMemoryDriverProvider.DEFAULT_MAX_MONITORS,
                InMemoryDriverProvider.DEFAULT_MAX_CONNECTION_LIMIT), c);
    }

    @Test
    void settingsSetTheLimits() {
        Capabilities c = new InMemoryDriverProvider().create(config(Map.of("max_members", "7", "max_monitors_per_pool", "0",
                "max_connection_limit", "500", "ipv6", "false", "instance_addresses", "2"))).capabilities();
        assertEquals(7, c.maxMembers());
        assertEquals(2, c.instanceAddresses());
        assertEquals(0, c.maxMonitorsPerPool());
        assertEquals(500, c.maxConnectionLimit());
        assertFalse(c.ipv6());
    }

    @Test
    void everyBadSettingIsReportedAtOnceAndIsNotRetryable() {
        DriverException e = assertThrows(DriverException.class, () -> new InMemoryDriverProvider().create(
                config(Map.of("max_members", "-1", "ipv6", "yes", "colour", "blue", "instance_addresses", "two"))));
        assertFalse(e.retryable());
        for (String part : new String[] {"max_members", "ipv6", "colour", "instance_addresses"}) {
            assertTrue(e.operatorMessage().contains(part), e.operatorMessage());
        }
        assertFalse(e.tenantMessage().contains("colour"), "settings are the operator's business: " + e.tenantMessage());
    }
}
