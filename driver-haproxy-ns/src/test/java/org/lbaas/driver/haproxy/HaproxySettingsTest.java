package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.DriverException;

class HaproxySettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        HaproxySettings s = HaproxySettings.defaults();
        assertEquals(Path.of("/var/lib/lbaas/haproxy"), s.stateDir());
        assertEquals("qlbaas-", s.namespacePrefix());
        assertEquals("haproxy", s.haproxyBinary());
        assertEquals("ip", s.ipBinary());
        assertEquals("nsenter", s.nsenterBinary());
        assertEquals("auto", s.user());
        assertEquals("auto", s.group());
        assertEquals(HaproxySettings.InterfaceKind.LINUXBRIDGE, s.interfaceDriver());
        assertEquals(2000, s.defaultMaxconn());
        assertEquals(OptionalInt.empty(), s.maxConnectionLimit());
        assertEquals(Duration.ofSeconds(5), s.timeoutConnect());
        assertEquals(Duration.ofSeconds(50), s.timeoutClient());
        assertEquals(Optional.empty(), s.logTarget());
        assertEquals(1, s.nbthread());
        assertEquals(HaproxySettings.Ipv6Dad.WAIT, s.ipv6Dad());
        assertEquals(0, s.instanceOrdinal());
    }

    @Test
    void unknownKeysAreRejectedByName() {
        DriverException e = assertThrows(DriverException.class,
                () -> HaproxySettings.parse(Map.of("state_dir", "/x", "statedir", "/y", "bridg", "br0")));
        assertTrue(e.operatorMessage().contains("unknown settings bridg, statedir"), e.operatorMessage());
        assertFalse(e.retryable());
        assertFalse(e.tenantMessage().contains("statedir"));
    }

    @Test
    void everyInvalidValueIsReportedAtOnce() {
        DriverException e = assertThrows(DriverException.class, () -> HaproxySettings.parse(Map.of(
                "state_dir", "relative/dir", "interface_driver", "macvlan", "timeout_client", "50",
                "nbthread", "0", "bridge", "a-bridge-name-too-long", "user", "root; rm -rf /", "nsenter_binary", "nsenter --all")));
        String m = e.operatorMessage();
        for (String key : new String[] {"state_dir", "interface_driver", "timeout_client", "nbthread", "bridge", "user",
                "nsenter_binary"}) {
            assertTrue(m.contains(key), key + " missing in: " + m);
        }
    }

    @Test
    void aStateDirectoryTooLongForHaproxysSocketPathIsRefused() {
        String longDir = "/" + "d".repeat(HaproxySettings.MAX_STATE_DIR_LENGTH);
        DriverException e = assertThrows(DriverException.class, () -> HaproxySettings.parse(Map.of("state_dir", longDir)));
        assertTrue(e.operatorMessage().contains("97 bytes"), e.operatorMessage());
        String ok = "/" + "d".repeat(HaproxySettings.MAX_STATE_DIR_LENGTH - 1);
        HaproxySettings s = HaproxySettings.parse(Map.of("state_dir", ok, "instance_ordinal", "9"));
        String socket = org.lbaas.driver.haproxy.internal.InstanceFiles.of(s.stateDir(),
                new org.lbaas.driver.haproxy.internal.InstanceId(java.util.UUID.randomUUID(), 9)).socket().toString();
        assertTrue(socket.length() <= 97, socket.length() + " " + socket);
    }

    @Test
    void settingsRoundTripThroughTheirMap() {
        HaproxySettings s = HaproxySettings.parse(Map.of("state_dir", "/srv/lb", "interface_driver", "ovs", "bridge", "br-int",
                "timeout_connect", "1500ms", "max_connection_limit", "5000", "log_target", "/dev/log", "ipv6_dad", "skip",
                "nsenter_binary", "/usr/bin/nsenter"));
        assertEquals(s, HaproxySettings.parse(s.toMap()));
        assertEquals("/usr/bin/nsenter", s.nsenterBinary());
        assertEquals(Duration.ofMillis(1500), s.timeoutConnect());
        assertEquals("1500ms", HaproxySettings.format(s.timeoutConnect()));
    }

    @Test
    void topologyDefaultsToSingleAndActiveStandbyRunsBothOrdinalsLocally() {
        HaproxySettings single = HaproxySettings.defaults();
        assertEquals(HaSettings.Topology.SINGLE, single.ha().topology());
        assertEquals(java.util.List.of(0), single.ordinals());
        HaproxySettings pair = HaproxySettings.parse(Map.of("topology", "active_standby"));
        assertEquals(java.util.List.of(0, 1), pair.ordinals());
        assertEquals(java.time.Duration.ofMillis(100), pair.ha().advertInterval());
        assertEquals("flock", pair.ha().flockBinary());
        assertEquals("lbaas-ha", pair.ha().haBridge());
        assertEquals(pair, HaproxySettings.parse(pair.toMap()));
        HaproxySettings split = HaproxySettings.parse(Map.of("topology", "active_standby", "placement", "split", "instance_ordinal", "1",
                "advert_interval", "250ms", "ha_bridge", "br-ha"));
        assertEquals(java.util.List.of(1), split.ordinals());
        assertEquals(split, HaproxySettings.parse(split.toMap()));
    }

    @Test
    void invalidHighAvailabilitySettingsAreNamedWithTheirValueAndRule() {
        DriverException e = assertThrows(DriverException.class, () -> HaproxySettings.parse(Map.of("topology", "active_standby",
                "placement", "split", "instance_ordinal", "2", "advert_interval", "105ms", "ha_bridge", "a-bridge-name-too-long",
                "flock_binary", "flock -x")));
        String m = e.operatorMessage();
        assertTrue(m.contains("instance_ordinal must be 0 or 1 with topology active_standby and placement split"), m);
        assertTrue(m.contains("advert_interval must be 10ms to 40950ms in whole centiseconds (VRRPv3): 105ms"), m);
        assertTrue(m.contains("ha_bridge must be a device name"), m);
        assertTrue(m.contains("flock_binary must be a program name or path: flock -x"), m);
        DriverException topology = assertThrows(DriverException.class, () -> HaproxySettings.parse(Map.of("topology", "pair")));
        assertTrue(topology.operatorMessage().contains("topology must be one of single, active_standby: pair"), topology.operatorMessage());
        DriverException noop = assertThrows(DriverException.class,
                () -> HaproxySettings.parse(Map.of("topology", "active_standby", "interface_driver", "noop")));
        assertTrue(noop.operatorMessage().contains("topology active_standby needs interface_driver linuxbridge or ovs"),
                noop.operatorMessage());
        DriverException placement = assertThrows(DriverException.class, () -> HaproxySettings.parse(Map.of("placement", "split")));
        assertTrue(placement.operatorMessage().contains("placement applies only to topology active_standby, not single"),
                placement.operatorMessage());
        DriverException local = assertThrows(DriverException.class,
                () -> HaproxySettings.parse(Map.of("topology", "active_standby", "instance_ordinal", "1")));
        assertTrue(local.operatorMessage().contains("instance_ordinal must be left out (or 0) with topology active_standby and "
                + "placement local"), local.operatorMessage());
    }
}
