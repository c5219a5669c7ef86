package org.lbaas.driver.haproxy.internal.iface;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a VIP port gets into an instance's namespace: the small SPI that the Neutron agent called
 * an interface driver. Implementations only describe commands ({@link Plumbing}); the data plane
 * runs them, batches them and undoes them on failure.
 */
public interface InterfaceDriver {

    /** Returns the setting value that selects this driver ({@code linuxbridge}, {@code ovs}, {@code noop}). */
    String kind();

    /**
     * Returns whether this driver creates a device that carries the VIP. When false (noop) the
     * host plumbs the namespace itself and the data plane puts the VIP on {@code lo} so HAProxy
     * can bind it.
     */
    boolean createsDevice();

    /**
     * Describes how to create the port's device with its MAC, move its inner end into
     * {@code port.namespace()} (which exists when {@link Plumbing#rootBatch()} runs) and connect
     * the outer end.
     *
     * @param port the port
     * @return what to run
     */
    Plumbing plug(Port port);

    /**
     * Describes how to remove what {@link #plug} created. Each step must be harmless when its
     * object is already gone; the data plane leaves out root-batch lines of devices that do not
     * exist.
     *
     * @param port the port
     * @return what to run
     */
    Plumbing unplug(Port port);

    /**
     * Returns the Linux bridge driver: a veth pair, the inner end in the namespace, the outer end
     * enslaved to {@code bridge}.
     *
     * @param bridge the bridge the host ends join
     * @return the driver
     */
    static InterfaceDriver linuxBridge(String bridge) {
        return new LinuxBridgeInterfaceDriver(Objects.requireNonNull(bridge, "bridge"));
    }

    /**
     * Returns the Open vSwitch driver: an internal port on {@code bridge} with Neutron's
     * {@code external-ids}, moved into the namespace.
     *
     * @param bridge the integration bridge
     * @param ovsVsctl the {@code ovs-vsctl} program
     * @return the driver
     */
    static InterfaceDriver openVswitch(String bridge, Path ovsVsctl) {
        return new OvsInterfaceDriver(Objects.requireNonNull(bridge, "bridge"), Objects.requireNonNull(ovsVsctl, "ovsVsctl"));
    }

    /** Returns the driver for hosts that plumb namespaces themselves: it creates nothing. */
    static InterfaceDriver noop() {
        return NoopInterfaceDriver.INSTANCE;
    }
}
