package org.lbaas.driver.haproxy.internal.iface;

import java.util.List;
import java.util.Objects;
import org.lbaas.driver.spi.shell.Command;

/**
 * What an interface driver needs done to plug or unplug a port, in three phases so the data
 * plane can batch the {@code ip} work of every phase into one process.
 *
 * @param before commands run before the root-namespace batch (e.g. {@code ovs-vsctl add-port})
 * @param rootBatch lines of {@code ip -batch -} in the root namespace (plug: after the namespace
 *     exists; unplug: before it is deleted)
 * @param after commands run after the root-namespace batch (e.g. {@code ovs-vsctl del-port})
 */
public record Plumbing(List<Command> before, List<String> rootBatch, List<Command> after) {

    /** Nothing to do. */
    public static final Plumbing NONE = new Plumbing(List.of(), List.of(), List.of());

    public Plumbing {
        before = List.copyOf(Objects.requireNonNull(before, "before"));
        rootBatch = List.copyOf(Objects.requireNonNull(rootBatch, "rootBatch"));
        after = List.copyOf(Objects.requireNonNull(after, "after"));
    }
}
