package org.lbaas.driver.haproxy.internal.iface;

import java.util.List;

/** A veth pair: {@code hostDevice} enslaved to the bridge, {@code nsDevice} in the namespace. */
final class LinuxBridgeInterfaceDriver implements InterfaceDriver {

    private final String bridge;

    LinuxBridgeInterfaceDriver(String bridge) {
        this.bridge = bridge;
    }

    @Override
    public String kind() {
        return "linuxbridge";
    }

    @Override
    public boolean createsDevice() {
        return true;
    }

    @Override
    public Plumbing plug(Port port) {
        return new Plumbing(List.of(), List.of(
                "link add " + port.hostDevice() + " type veth peer name " + port.nsDevice() + " address " + port.mac()
                        + " netns " + port.namespace(),
                "link set " + port.hostDevice() + " master " + bridge + " up"), List.of());
    }

    @Override
    public Plumbing unplug(Port port) {
        // Deleting either end deletes the pair; deleting the namespace does too.
        return new Plumbing(List.of(), List.of("link del " + port.hostDevice()), List.of());
    }

    @Override
    public String toString() {
        return "linuxbridge(" + bridge + ")";
    }
}
