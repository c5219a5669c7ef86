package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code lbaas drivers}: what {@code Drivers.discover()} finds, with capabilities. */
class DriversCommandTest {

    @Test
    void listsHaproxyNsWithItsCapabilities() {
        CliRun r = CliRun.asUser("drivers");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("haproxy-ns  (org.lbaas.driver.haproxy.HaproxyNsDriverProvider)\n"), r::toString);
        assertTrue(r.out().contains("  protocols:             TCP, HTTP, HTTPS\n"), r::toString);
        assertTrue(r.out().contains("  lb methods:            ROUND_ROBIN, LEAST_CONNECTIONS, SOURCE_IP\n"), r::toString);
        assertTrue(r.out().contains("  persistence:           SOURCE_IP, HTTP_COOKIE, APP_COOKIE\n"), r::toString);
        assertTrue(r.out().contains("  monitors:              TCP, HTTP, HTTPS\n"), r::toString);
        assertTrue(r.out().contains("  max members:           "), r::toString);
        assertEquals("", r.err());
    }

    @Test
    void helpNamesTheTopologyOption() {
        CliRun r = CliRun.asUser("drivers", "--help");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().replace("\n", " ").replaceAll(" +", " ").contains("with --topology active-standby"), r::toString);
    }
}
