package org.lbaas.driver.haproxy.internal.keepalived;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.lbaas.driver.haproxy.internal.InstanceId;

/**
 * Everything one keepalived process of an active/standby pair is configured with, as typed values;
 * {@link KeepalivedRenderer} turns it into text. Every field is checked here by the validation
 * routine of its kind; a bad value is a {@link KeepalivedConfigException} naming the field.
 *
 * <p>Choices, fixed by the renderer rather than by fields:
 * <ul>
 *   <li><b>One VRRPv3 instance per process, over IPv4.</b> VRRP runs over the pair's HA link
 *       ({@link HaPair}, 169.254.192.0/18) with unicast peers; the instance's {@code
 *       virtual_ipaddress} is the HA link's own address ({@code haAddress}), and the load
 *       balancer's VIP, IPv4 or IPv6, goes into {@code virtual_ipaddress_excluded}. keepalived
 *       requires the addresses of an instance to share its family and at least one of them; with
 *       the VIP excluded one instance serves either family, and adverts never carry a tenant
 *       address (Neutron's L3 HA does the same). keepalived announces excluded addresses on
 *       takeover as well (gratuitous ARP shown by the failover live test; unsolicited NA for an
 *       IPv6 VIP not yet shown live).</li>
 *   <li><b>No preemption.</b> Both instances start as BACKUP with {@code nopreempt}: the higher
 *       priority wins only when both start together; an old master that comes back stays BACKUP
 *       until the current master fails, so a repaired instance never takes the VIP back (no
 *       flapping).</li>
 *   <li><b>HAProxy's death is a {@code track_file}.</b> {@code track_process} does not work inside a
 *       network namespace; {@code vrrp_script} is too slow. The file holds 0 while HAProxy runs and
 *       anything else when it does not (weight 0: a nonzero value puts the instance in FAULT). It
 *       is created holding 1 if missing ({@code init_file}), so a fresh instance does not take the
 *       VIP before the driver declares its HAProxy up.</li>
 *   <li><b>Separate state per process.</b> Two keepalived processes in two namespaces must not share
 *       pid files: the driver starts each with {@code --vrrp -p PID -r VRRP_PID -f CONF} from the
 *       instance's own state directory ({@link KeepalivedRenderer#startArguments}); the config's
 *       {@code router_id} names the instance in logs.</li>
 * </ul>
 *
 * @param instance the instance (ordinal 0 or 1); names the VRRP instance {@code lb-<key>}
 * @param haInterface the device of the HA link inside the instance's namespace
 * @param unicastSource this instance's IPv4 address on the HA link
 * @param unicastPeer the other instance's IPv4 address on the HA link
 * @param haAddress the HA link's virtual address (same family as the link), on {@code haInterface}
 * @param virtualRouterId 1 to 255
 * @param priority 1 to 254 (255 is reserved for an address owner)
 * @param advertInterval 0.01 s to 40.95 s in whole centiseconds
 * @param vip the load balancer's VIP as a host address on its device
 * @param trackInterfaces devices whose loss is a fault of this instance (the VIP's device, so a cut
 *     of the VIP's link fails over even though VRRP runs over the HA link); at most 8, no duplicates
 * @param trackFile the file that holds 0 while HAProxy runs
 * @param notifyScript a script keepalived runs on every state change ({@code notify}, with
 *     arguments {@code INSTANCE <name> <state> <priority>}), if any; runs as root under
 *     {@code enable_script_security}, so it must be owned by and writable only by root
 */
public record KeepalivedConfig(InstanceId instance, String haInterface, InetAddress unicastSource, InetAddress unicastPeer,
        VirtualAddress haAddress, int virtualRouterId, int priority, Duration advertInterval, VirtualAddress vip,
        List<String> trackInterfaces, Path trackFile, Optional<Path> notifyScript) {

    /** The most tracked interfaces accepted. */
    public static final int MAX_TRACKED = 8;

    public KeepalivedConfig {
        KeepalivedTokens.requireNonNull("instance", instance);
        HaPair.requireOrdinal(instance.ordinal());
        KeepalivedTokens.interfaceName("haInterface", haInterface);
        requireIpv4("unicastSource", unicastSource);
        requireIpv4("unicastPeer", unicastPeer);
        if (unicastSource.equals(unicastPeer)) {
            throw new KeepalivedConfigException("unicastPeer", KeepalivedTokens.address("unicastPeer", unicastPeer),
                    "must differ from unicastSource");
        }
        KeepalivedTokens.requireNonNull("haAddress", haAddress);
        requireIpv4("haAddress", haAddress.address());
        if (!haAddress.device().equals(haInterface)) {
            throw new KeepalivedConfigException("haAddress.device", haAddress.device(), "must be the haInterface " + haInterface);
        }
        KeepalivedTokens.integer("virtualRouterId", virtualRouterId, 1, 255);
        KeepalivedTokens.integer("priority", priority, 1, 254);
        KeepalivedTokens.interval("advertInterval", advertInterval);
        KeepalivedTokens.requireNonNull("vip", vip);
        KeepalivedTokens.requireNonNull("trackInterfaces", trackInterfaces);
        trackInterfaces = List.copyOf(trackInterfaces);
        if (trackInterfaces.size() > MAX_TRACKED) {
            throw new KeepalivedConfigException("trackInterfaces", trackInterfaces.size() + " interfaces",
                    "must be at most " + MAX_TRACKED);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < trackInterfaces.size(); i++) {
            String name = KeepalivedTokens.interfaceName("trackInterfaces[" + i + "]", trackInterfaces.get(i));
            if (!seen.add(name)) {
                throw new KeepalivedConfigException("trackInterfaces[" + i + "]", name, "must not repeat an interface");
            }
        }
        KeepalivedTokens.path("trackFile", trackFile);
        KeepalivedTokens.requireNonNull("notifyScript", notifyScript);
        notifyScript.ifPresent(p -> KeepalivedTokens.path("notifyScript", p));
    }

    /**
     * The configuration of one instance of a pair, with the pair's link addresses, VRID and the
     * instance's priority taken from {@link HaPair}. Only the pool id and the VIP's address come
     * from the model; every other value is the driver's own.
     *
     * @param instance the instance, ordinal 0 or 1
     * @param pair the pair's HA link
     * @param haInterface the HA link's device in the instance's namespace
     * @param vip the VIP's address
     * @param vipDevice the VIP's device in the namespace (also tracked)
     * @param advertInterval the advert interval
     * @param trackFile the HAProxy state file
     * @param notifyScript the notify script, if any
     * @return the configuration
     */
    public static KeepalivedConfig forPair(InstanceId instance, HaPair pair, String haInterface, InetAddress vip,
            String vipDevice, Duration advertInterval, Path trackFile, Optional<Path> notifyScript) {
        KeepalivedTokens.requireNonNull("instance", instance);
        KeepalivedTokens.requireNonNull("pair", pair);
        int ordinal = instance.ordinal();
        HaPair.requireOrdinal(ordinal);
        return new KeepalivedConfig(instance, haInterface, pair.address(ordinal), pair.peerAddress(ordinal),
                new VirtualAddress(pair.linkVip(), HaPair.PREFIX_LENGTH, haInterface), pair.virtualRouterId(),
                HaPair.priority(ordinal), advertInterval, VirtualAddress.host(vip, vipDevice), List.of(vipDevice), trackFile,
                notifyScript);
    }

    /**
     * Returns the VRRP instance name: {@code lb-<pool id>-<ordinal>}.
     *
     * @return the name
     */
    public String instanceName() {
        return KeepalivedTokens.name("instanceName", "lb-" + instance.poolId() + "-" + instance.ordinal());
    }

    private static void requireIpv4(String field, InetAddress address) {
        KeepalivedTokens.requireNonNull(field, address);
        if (!(address instanceof Inet4Address)) {
            throw new KeepalivedConfigException(field, KeepalivedTokens.address(field, address),
                    "must be IPv4 (VRRP runs over the IPv4 HA link)");
        }
    }
}
