package org.lbaas.driver.haproxy.internal.iface;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import org.lbaas.driver.haproxy.internal.InstanceId;

/**
 * The VIP port of one instance as the host sees it: names and MAC derived only from validated
 * ids, so no tenant text ever reaches a device name or command.
 *
 * <p>Device names follow Neutron: the namespace end is {@code ns-} plus the first 11 characters
 * of the port id ({@code ns-0a1b2c3d-4e}, 14 characters, under the kernel's 15), the host end
 * {@code tap} plus the same 11. Instance ordinal {@code n > 0} uses {@code n<n>-} and
 * {@code t<n>p} so two instances of one port can live on one host. The MAC is locally
 * administered and unicast, derived from the port id (and ordinal): stable across restarts.
 *
 * @param instance the instance
 * @param portId the Neutron port carrying the VIP
 * @param namespace the instance's network namespace
 * @param nsDevice the device inside the namespace that carries the VIP
 * @param hostDevice the peer device in the root namespace (veth drivers)
 * @param mac the MAC address of {@code nsDevice}, lower-case, colon-separated
 */
public record Port(InstanceId instance, UUID portId, String namespace, String nsDevice, String hostDevice, String mac) {

    /** The longest Linux device name. */
    public static final int MAX_DEVICE_NAME = 15;

    public Port {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(portId, "portId");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(nsDevice, "nsDevice");
        Objects.requireNonNull(hostDevice, "hostDevice");
        Objects.requireNonNull(mac, "mac");
        if (nsDevice.length() > MAX_DEVICE_NAME || hostDevice.length() > MAX_DEVICE_NAME) {
            throw new IllegalArgumentException("device names must be at most 15 characters: " + nsDevice + ", " + hostDevice);
        }
    }

    /**
     * Derives the port of an instance.
     *
     * @param instance the instance
     * @param portId the VIP's port id
     * @param namespace the instance's namespace
     * @return the port
     */
    public static Port of(InstanceId instance, UUID portId, String namespace) {
        String eleven = portId.toString().substring(0, 11);
        String ns = instance.ordinal() == 0 ? "ns-" + eleven : "n" + instance.ordinal() + "-" + eleven;
        String host = instance.ordinal() == 0 ? "tap" + eleven : "t" + instance.ordinal() + "p" + eleven;
        return new Port(instance, portId, namespace, ns, host, mac(portId, instance.ordinal()));
    }

    /**
     * Derives a stable, locally administered, unicast MAC address.
     *
     * @param portId the port id
     * @param ordinal the instance ordinal (0 keeps the port's own MAC)
     * @return the MAC, e.g. {@code 7a:1f:03:9c:44:e0}
     */
    static String mac(UUID portId, int ordinal) {
        byte[] digest;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            digest = sha.digest((portId + (ordinal == 0 ? "" : "/" + ordinal)).getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
        byte[] mac = new byte[6];
        System.arraycopy(digest, 0, mac, 0, 6);
        mac[0] = (byte) ((mac[0] & 0xfc) | 0x02);
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }
}
