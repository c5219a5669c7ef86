package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.Drivers;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.testkit.RecordingShellExecutor;

class HaproxyNsDriverProviderTest {

    @TempDir
    Path temp;

    @Test
    void isFoundByNameThroughTheServiceLoader() {
        assertInstanceOf(HaproxyNsDriverProvider.class, Drivers.provider("haproxy-ns"));
    }

    @Test
    void createsADriverWithoutRunningAnything() {
        RecordingShellExecutor shell = new RecordingShellExecutor();
        try (LoadBalancerDriver d = new HaproxyNsDriverProvider().create(
                new DriverConfig(Map.of("state_dir", temp.toString()), shell, Clock.systemUTC()))) {
            assertInstanceOf(HaproxyNsDriver.class, d);
        }
        shell.assertCommands().isEmpty();
    }

    @Test
    void rejectsUnknownSettingsAtCreation() {
        DriverException e = assertThrows(DriverException.class,
                () -> new HaproxyNsDriverProvider().create(DriverConfig.defaults().with("no_such_key", "1")));
        assertTrue(e.operatorMessage().contains("no_such_key"));
        assertEquals("haproxy-ns", new HaproxyNsDriverProvider().name());
    }
}
