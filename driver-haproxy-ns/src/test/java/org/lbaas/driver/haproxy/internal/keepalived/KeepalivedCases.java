package org.lbaas.driver.haproxy.internal.keepalived;

import com.google.common.net.InetAddresses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.lbaas.driver.haproxy.internal.InstanceId;

/**
 * The configurations behind the keepalived golden files in {@code src/test/resources/keepalived/}:
 * IPv4 and IPv6 VIPs, both ordinals, several tracked interfaces, a notify script. Each file is the
 * renderer's output, reviewed like code, and checked by the real {@code keepalived -t}.
 */
final class KeepalivedCases {

    /** Where the golden files live, relative to the module directory (surefire's working directory). */
    static final Path DIR = Path.of("src", "test", "resources", "keepalived");

    static final UUID POOL = UUID.fromString("5f6b2c1e-8d3a-4b7e-9c0f-1a2b3c4d5e6f");
    static final String HA = "ha-5f6b2c1e";
    static final String VIP_DEVICE = "ns-5f6b2c1e-8d";

    record Case(String name, KeepalivedConfig config) {
        Path file() {
            return DIR.resolve(name + ".conf");
        }

        /** Every interface the configuration names, which must exist for {@code keepalived -t}. */
        Set<String> interfaces() {
            Set<String> all = new LinkedHashSet<>();
            all.add(config.haInterface());
            all.add(config.haAddress().device());
            all.add(config.vip().device());
            all.addAll(config.trackInterfaces());
            return all;
        }
    }

    private KeepalivedCases() {
    }

    static Path trackFile(InstanceId id) {
        return Path.of("/var/lib/lbaas/haproxy-ns", id.key(), "haproxy.down");
    }

    static List<Case> all() {
        HaPair pair = HaAddressing.allocate(POOL, Set.of());
        InstanceId first = new InstanceId(POOL, 0);
        InstanceId second = new InstanceId(POOL, 1);
        List<Case> c = new ArrayList<>();
        c.add(new Case("ipv4-ordinal-0", KeepalivedConfig.forPair(first, pair, HA, InetAddresses.forString("10.0.0.10"),
                VIP_DEVICE, Duration.ofMillis(100), trackFile(first), Optional.empty())));
        c.add(new Case("ipv4-ordinal-1-notify", KeepalivedConfig.forPair(second, pair, HA,
                InetAddresses.forString("10.0.0.10"), VIP_DEVICE, Duration.ofMillis(250), trackFile(second),
                Optional.of(Path.of("/var/lib/lbaas/haproxy-ns", second.key(), "notify.sh")))));
        c.add(new Case("ipv6-vip", KeepalivedConfig.forPair(first, pair, HA, InetAddresses.forString("2001:db8:0:0::a"),
                VIP_DEVICE, Duration.ofMillis(100), trackFile(first), Optional.empty())));
        KeepalivedConfig base = KeepalivedConfig.forPair(first, HaAddressing.allocate(POOL, Set.of(pair.slot())), HA,
                InetAddresses.forString("192.0.2.7"), VIP_DEVICE, Duration.ofSeconds(1), trackFile(first), Optional.empty());
        c.add(new Case("tracked-interfaces", new KeepalivedConfig(base.instance(), base.haInterface(), base.unicastSource(),
                base.unicastPeer(), base.haAddress(), base.virtualRouterId(), base.priority(), Duration.ofMillis(50), base.vip(),
                List.of(VIP_DEVICE, "eth1", "bond0.42"), base.trackFile(), base.notifyScript())));
        return c;
    }
}
