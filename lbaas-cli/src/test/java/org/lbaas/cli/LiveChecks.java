package org.lbaas.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.lab.netns.Leftovers;
import org.lbaas.lab.netns.NetnsTopology;

/** What a live test must find gone afterwards, found by the network lab's one scan ({@link Leftovers}). */
final class LiveChecks {

    private LiveChecks() {
    }

    /**
     * Namespaces and network devices whose names start with one of the prefixes (none: none
     * checked), and processes whose command line mentions {@code marker} (empty: none checked).
     */
    static List<String> leftovers(List<String> prefixes, String marker) {
        List<String> left = new ArrayList<>();
        if (!prefixes.isEmpty()) {
            Leftovers.names(ShellExecutor.system(), prefixes).forEach(n -> left.add("namespace or device " + n));
        }
        if (!marker.isEmpty()) {
            left.addAll(Leftovers.processesMentioning(Path.of(marker)));
        }
        return left;
    }

    /**
     * The name prefix of a demo's world (its bridge {@code lbt......}), from the line the demo
     * prints about its network; fails the test when there is none.
     */
    static String demoPrefix(String out) {
        java.util.regex.Matcher bridge = java.util.regex.Pattern.compile("network: bridge (lbt[a-z0-9]{6}),").matcher(out);
        org.junit.jupiter.api.Assertions.assertTrue(bridge.find(), out);
        return bridge.group(1);
    }

    /**
     * Removes what a live test created, also after a failure: every instance the haproxy-ns driver
     * with these settings made (a reconcile to nothing), then the topology, even when the first fails.
     */
    static void removeAll(Map<String, String> settings, NetnsTopology topology) {
        try (LoadBalancerDriver d = DriverFactory.create(settings, ShellExecutor.system())) {
            d.reconcile(List.of());
        } finally {
            topology.close();
        }
    }
}
