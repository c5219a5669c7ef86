package org.lbaas.driver.haproxy.internal.iface;

/** Creates and removes nothing: the host plumbs the namespace itself. */
final class NoopInterfaceDriver implements InterfaceDriver {

    static final NoopInterfaceDriver INSTANCE = new NoopInterfaceDriver();

    private NoopInterfaceDriver() {
    }

    @Override
    public String kind() {
        return "noop";
    }

    @Override
    public boolean createsDevice() {
        return false;
    }

    @Override
    public Plumbing plug(Port port) {
        return Plumbing.NONE;
    }

    @Override
    public Plumbing unplug(Port port) {
        return Plumbing.NONE;
    }

    @Override
    public String toString() {
        return "noop";
    }
}
