package org.lbaas.driver.haproxy.internal.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.driver.spi.shell.Command;

class PortTest {

    static final UUID PORT = UUID.fromString("9c8b7a6f-5e4d-4c3b-9a1f-0e9d8c7b6a04");

    @Test
    void namesFollowNeutron() {
        Port p = Port.of(InstanceId.primary(UUID.randomUUID()), PORT, "qlbaas-x");
        assertEquals("ns-9c8b7a6f-5e", p.nsDevice());
        assertEquals("tap9c8b7a6f-5e", p.hostDevice());
        Port second = Port.of(new InstanceId(UUID.randomUUID(), 1), PORT, "qlbaas-x-1");
        assertEquals("n1-9c8b7a6f-5e", second.nsDevice());
        assertEquals("t1p9c8b7a6f-5e", second.hostDevice());
        assertNotEquals(p.mac(), second.mac());
    }

    @Property
    void devicesFitAndMacsAreStableLocallyAdministeredUnicast(@ForAll long hi, @ForAll long lo, @ForAll @IntRange(max = 9) int ordinal) {
        UUID port = new UUID(hi, lo);
        Port p = Port.of(new InstanceId(UUID.randomUUID(), ordinal), port, "ns");
        assertTrue(p.nsDevice().length() <= 15 && p.hostDevice().length() <= 15);
        assertTrue(p.nsDevice().matches("[a-z0-9-]+") && p.hostDevice().matches("[a-z0-9-]+"));
        byte[] mac = HexFormat.ofDelimiter(":").parseHex(p.mac());
        assertEquals(6, mac.length);
        assertEquals(0x02, mac[0] & 0x03, "locally administered (bit 1) and unicast (bit 0 clear): " + p.mac());
        assertEquals(p.mac(), Port.of(new InstanceId(UUID.randomUUID(), ordinal), port, "other").mac());
    }

    @Test
    void linuxBridgePlugsAVethPairIntoTheBridge() {
        Port p = Port.of(InstanceId.primary(UUID.randomUUID()), PORT, "qlbaas-x");
        Plumbing plug = InterfaceDriver.linuxBridge("br0").plug(p);
        assertEquals(List.of(), plug.before());
        assertEquals(List.of("link add tap9c8b7a6f-5e type veth peer name ns-9c8b7a6f-5e address " + p.mac() + " netns qlbaas-x",
                "link set tap9c8b7a6f-5e master br0 up"), plug.rootBatch());
        assertEquals(List.of("link del tap9c8b7a6f-5e"), InterfaceDriver.linuxBridge("br0").unplug(p).rootBatch());
    }

    @Test
    void openVswitchUsesNeutronsExternalIds() {
        Port p = Port.of(InstanceId.primary(UUID.randomUUID()), PORT, "qlbaas-x");
        InterfaceDriver ovs = InterfaceDriver.openVswitch("br-int", Path.of("ovs-vsctl"));
        Plumbing plug = ovs.plug(p);
        assertEquals(List.of(Command.of("ovs-vsctl", "--", "--may-exist", "add-port", "br-int", "ns-9c8b7a6f-5e",
                "--", "set", "Interface", "ns-9c8b7a6f-5e", "type=internal",
                "external-ids:iface-id=" + PORT, "external-ids:iface-status=active",
                "external-ids:attached-mac=" + p.mac())), plug.before());
        assertEquals(List.of("link set dev ns-9c8b7a6f-5e address " + p.mac() + " netns qlbaas-x"), plug.rootBatch());
        assertEquals(List.of(Command.of("ovs-vsctl", "--", "--if-exists", "del-port", "br-int", "ns-9c8b7a6f-5e")), ovs.unplug(p).after());
    }

    @Test
    void noopCreatesNothing() {
        Port p = Port.of(InstanceId.primary(UUID.randomUUID()), PORT, "qlbaas-x");
        assertEquals(Plumbing.NONE, InterfaceDriver.noop().plug(p));
        assertEquals(Plumbing.NONE, InterfaceDriver.noop().unplug(p));
    }
}
