package org.lbaas.driver.haproxy;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The high-availability part of the {@code haproxy-ns} driver's settings ({@link HaproxySettings#ha()}).
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code topology}</td><td>{@code single}</td><td>{@code single}: one HAProxy per load balancer (v1's
 *       reference driver); {@code active_standby}: two instances (ordinals 0 and 1), each in its own namespace with
 *       its own HAProxy and keepalived; the VIP lives on the VRRP MASTER and moves to the other instance when
 *       anything on the active side fails</td></tr>
 *   <tr><td>{@code placement}</td><td>{@code local}</td><td>with {@code active_standby}: {@code local} runs both
 *       instances on this host (protects against an HAProxy, namespace, link or keepalived failure); {@code split}
 *       runs only {@code instance_ordinal} (0 or 1), the other one being run by a driver on another host that
 *       shares the HA bridge's network</td></tr>
 *   <tr><td>{@code ha_bridge}</td><td>{@code lbaas-ha}</td><td>the Linux bridge that carries the pairs' HA links
 *       (VRRP adverts and stick-table replication, link-local addresses from 169.254.192.0/18, never tenant
 *       addresses); created (and left in place) by the driver when missing</td></tr>
 *   <tr><td>{@code advert_interval}</td><td>{@code 100ms}</td><td>VRRP advert interval, 10 ms to 40950 ms in whole
 *       centiseconds: a BACKUP takes over about three intervals after the last advert it heard (measured on this
 *       machine kind: 0.44 s from a link cut at 100 ms, 0.85 s at 250 ms)</td></tr>
 *   <tr><td>{@code keepalived_binary}</td><td>{@code keepalived}</td><td>keepalived 2.x</td></tr>
 *   <tr><td>{@code flock_binary}, {@code setsid_binary}</td><td>{@code flock}, {@code setsid}</td><td>util-linux
 *       programs: each pair instance's HAProxy is started under {@code flock -s} on a lock file of the instance,
 *       and a detached {@code flock -x} on the same file (started with {@code setsid -f}) waits for every HAProxy of
 *       the instance to exit, then faults the instance's keepalived through its track file: no polling, and it keeps
 *       working while no driver runs</td></tr>
 *   <tr><td>{@code sysctl_binary}</td><td>{@code sysctl}</td><td>procps {@code sysctl}, run in each pair
 *       namespace to set {@code ip_nonlocal_bind} (the standby's HAProxy binds the VIP it does not hold yet)</td></tr>
 * </table>
 *
 * @param topology see {@code topology}
 * @param placement see {@code placement}
 * @param haBridge see {@code ha_bridge}
 * @param advertInterval see {@code advert_interval}
 * @param keepalivedBinary see {@code keepalived_binary}
 * @param sysctlBinary see {@code sysctl_binary}
 * @param flockBinary see {@code flock_binary}
 * @param setsidBinary see {@code setsid_binary}
 */
public record HaSettings(Topology topology, Placement placement, String haBridge, Duration advertInterval,
                         String keepalivedBinary, String sysctlBinary, String flockBinary, String setsidBinary) {

    /** Every key read into these settings. */
    public static final Set<String> KEYS = Set.of("topology", "placement", "ha_bridge", "advert_interval",
            "keepalived_binary", "sysctl_binary", "flock_binary", "setsid_binary");

    /** How many instances a load balancer has. */
    public enum Topology {
        /** One HAProxy per load balancer. */
        SINGLE,
        /** Two instances, keepalived VRRP between them, stick tables replicated. */
        ACTIVE_STANDBY
    }

    /** Where the instances of an {@link Topology#ACTIVE_STANDBY} load balancer run. */
    public enum Placement {
        /** Both instances on this host, run by this driver. */
        LOCAL,
        /** One instance per host: this driver runs only its {@code instance_ordinal}. */
        SPLIT
    }

    public HaSettings {
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(haBridge, "haBridge");
        Objects.requireNonNull(advertInterval, "advertInterval");
        Objects.requireNonNull(keepalivedBinary, "keepalivedBinary");
        Objects.requireNonNull(sysctlBinary, "sysctlBinary");
        Objects.requireNonNull(flockBinary, "flockBinary");
        Objects.requireNonNull(setsidBinary, "setsidBinary");
    }

    /** Returns whether load balancers have an active/standby pair. */
    public boolean activeStandby() {
        return topology == Topology.ACTIVE_STANDBY;
    }
}
