package org.lbaas.driver.haproxy.internal.iface;

import java.nio.file.Path;
import java.util.List;
import org.lbaas.driver.spi.shell.Command;

/**
 * An Open vSwitch internal port, as Neutron's OVS interface driver made it: created on the
 * integration bridge with the {@code external-ids} the OVS agent uses to wire the port
 * ({@code iface-id}, {@code iface-status}, {@code attached-mac}), given its MAC and moved into
 * the namespace.
 */
final class OvsInterfaceDriver implements InterfaceDriver {

    private final String bridge;
    private final Path ovsVsctl;

    OvsInterfaceDriver(String bridge, Path ovsVsctl) {
        this.bridge = bridge;
        this.ovsVsctl = ovsVsctl;
    }

    @Override
    public String kind() {
        return "ovs";
    }

    @Override
    public boolean createsDevice() {
        return true;
    }

    @Override
    public Plumbing plug(Port port) {
        String dev = port.nsDevice();
        Command add = Command.of(ovsVsctl.toString(), "--", "--may-exist", "add-port", bridge, dev,
                "--", "set", "Interface", dev, "type=internal",
                "external-ids:iface-id=" + port.portId(),
                "external-ids:iface-status=active",
                "external-ids:attached-mac=" + port.mac());
        return new Plumbing(List.of(add),
                List.of("link set dev " + dev + " address " + port.mac() + " netns " + port.namespace()), List.of());
    }

    @Override
    public Plumbing unplug(Port port) {
        Command del = Command.of(ovsVsctl.toString(), "--", "--if-exists", "del-port", bridge, port.nsDevice());
        return new Plumbing(List.of(), List.of(), List.of(del));
    }

    @Override
    public String toString() {
        return "ovs(" + bridge + ")";
    }
}
