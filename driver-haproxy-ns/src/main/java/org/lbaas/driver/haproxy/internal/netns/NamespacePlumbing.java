package org.lbaas.driver.haproxy.internal.netns;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.lbaas.driver.haproxy.HaproxySettings;
import org.lbaas.driver.haproxy.internal.HostShell;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.driver.haproxy.internal.NetworkRecord;
import org.lbaas.driver.haproxy.internal.Rollback;
import org.lbaas.driver.haproxy.internal.iface.InterfaceDriver;
import org.lbaas.driver.haproxy.internal.iface.Plumbing;
import org.lbaas.driver.haproxy.internal.iface.Port;
import org.lbaas.driver.haproxy.internal.keepalived.HaPair;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.driver.spi.shell.ShellException;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Vip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Namespace plumbing: an instance's network namespace, the VIP's device (through the
 * {@link InterfaceDriver}: veth on a Linux bridge, OVS internal port, or none), its address,
 * link and default route, IPv6 duplicate address detection, the gratuitous ARP, and the network
 * record that proves what was made.
 *
 * <p>Plugging is described first ({@link #plugSteps}) and then run ({@link #plug}), so that what
 * a deploy runs and what a plan shows are one list.
 */
public final class NamespacePlumbing {

    private static final Logger LOG = LoggerFactory.getLogger(NamespacePlumbing.class);
    /** What a recorded namespace name may hold before it reaches an {@code ip} command. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** What a recorded bridge name may hold before it reaches a command. */
    private static final Pattern BRIDGE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    private final HaproxySettings settings;
    private final HostShell shell;
    private final InterfaceDriver iface;
    private final HostView host;
    private final Optional<String> arping;

    /**
     * One command of plugging, and how it is run.
     *
     * @param command the command
     * @param mode how it is run
     */
    public record Step(Command command, Mode mode) {
        public Step {
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(mode, "mode");
        }
    }

    /** How a plugging step is run. */
    public enum Mode {
        /** Must succeed; a failure undoes the deploy. */
        REQUIRED,
        /** Run until the IPv6 address is no longer tentative (every 100 ms, up to {@code ipv6_dad_timeout}). */
        AWAIT_DAD,
        /** The gratuitous ARP: a failure is only logged. */
        BEST_EFFORT
    }

    /**
     * @param settings the driver's settings (prefix, bridge, programs, IPv6 DAD)
     * @param shell how commands run
     * @param iface the interface driver new instances are plugged with
     * @param host where namespaces, devices and programs are looked up
     */
    public NamespacePlumbing(HaproxySettings settings, HostShell shell, InterfaceDriver iface, HostView host) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.shell = Objects.requireNonNull(shell, "shell");
        this.iface = Objects.requireNonNull(iface, "iface");
        this.host = Objects.requireNonNull(host, "host");
        this.arping = switch (settings.arpingBinary()) {
            case "none" -> Optional.empty();
            case "auto" -> host.findOnPath("arping").map(Path::toString);
            default -> Optional.of(settings.arpingBinary());
        };
        if (arping.isEmpty() && !settings.arpingBinary().equals("none")) {
            LOG.debug("arping not found: IPv4 VIPs are plumbed without a gratuitous ARP");
        }
    }

    /** Returns the namespace of an instance: the prefix and the instance key. */
    public String namespace(InstanceId id) {
        return settings.namespacePrefix() + id.key();
    }

    /**
     * Returns the record of how an instance of {@code lb} is plumbed by this driver's settings.
     *
     * @param id the instance
     * @param lb a deployable load balancer
     * @return the record
     */
    public NetworkRecord record(InstanceId id, LoadBalancer lb) {
        Vip vip = lb.vip().orElseThrow();
        String ns = namespace(id);
        String address = IpAddresses.toText(vip.address());
        String gateway = lb.subnet().gateway().map(IpAddresses::toText).orElse("");
        if (!iface.createsDevice()) {
            return new NetworkRecord(iface.kind(), "", ns, vip.portId(), "lo", "", "", address,
                    lb.subnet().ipVersion() == 4 ? 32 : 128, "");
        }
        Port port = Port.of(id, vip.portId(), ns);
        return new NetworkRecord(iface.kind(), settings.bridge(), ns, vip.portId(), port.nsDevice(),
                iface.kind().equals("linuxbridge") ? port.hostDevice() : "", port.mac(), address,
                lb.subnet().cidr().prefixLength(), gateway);
    }

    /**
     * Returns the record of an instance of an active/standby pair: the VIP's device carries the
     * instance's own address on the subnet (keepalived adds the VIP on the MASTER), and an HA link
     * joins the HA bridge.
     *
     * @param id the instance, ordinal 0 or 1
     * @param lb a deployable load balancer
     * @param instanceAddress the instance's own address on the load balancer's subnet
     * @param slot the pair's block of the HA range
     * @return the record
     * @throws DriverException (not retryable) with the {@code noop} interface driver, which plumbs no device
     */
    public NetworkRecord haRecord(InstanceId id, LoadBalancer lb, java.net.InetAddress instanceAddress, int slot) {
        if (!iface.createsDevice()) {
            throw new DriverException("the load balancer driver is misconfigured",
                    "topology active_standby needs an interface driver that plumbs a device (linuxbridge or ovs), not "
                            + iface.kind(), false);
        }
        NetworkRecord single = record(id, lb);
        String key = id.poolId().toString().substring(0, 11);
        NetworkRecord.HaLink link = new NetworkRecord.HaLink(slot, settings.ha().haBridge(), HA_DEVICE,
                "ha" + id.ordinal() + "-" + key, single.address());
        return new NetworkRecord(single.interfaceKind(), single.bridge(), single.namespace(), single.portId(), single.nsDevice(),
                single.hostDevice(), single.mac(), IpAddresses.toText(instanceAddress), single.prefixLength(), single.gateway(),
                Optional.of(link));
    }

    /** The HA link's device inside each namespace. */
    public static final String HA_DEVICE = "ha0";

    /** Returns whether the namespace and the host-side devices a record names exist. */
    public boolean present(NetworkRecord net) {
        if (!host.namespaceExists(net.namespace())) {
            return false;
        }
        if (net.ha().isPresent() && !host.deviceExists(net.ha().get().hostDevice())) {
            return false;
        }
        return net.hostDevice().isEmpty() || host.deviceExists(net.hostDevice());
    }

    /**
     * Brings up the host-side devices of a record (the VIP's peer and the HA link's) that exist
     * but are administratively down, as after {@code ip link set DEV down} on the host: the plug
     * set them up, and nothing else of the instance is lost, so one {@code ip link set DEV up}
     * repairs it (a pair instance's keepalived, in FAULT while its tracked device had no carrier,
     * rejoins as BACKUP). Runs nothing when every device is up.
     *
     * @param net the instance's record, whose namespace and devices exist ({@link #present})
     * @return the devices brought up, empty when none was down
     * @throws org.lbaas.driver.spi.shell.CommandFailedException when {@code ip} fails
     */
    public List<String> raiseDownDevices(NetworkRecord net) {
        List<String> down = new ArrayList<>();
        List<String> named = new ArrayList<>();
        if (!net.hostDevice().isEmpty()) {
            named.add(net.hostDevice());
        }
        net.ha().ifPresent(link -> named.add(link.hostDevice()));
        for (String device : named) {
            if (NAME.matcher(device).matches() && host.deviceExists(device) && !host.deviceUp(device)) {
                down.add(device);
            }
        }
        if (!down.isEmpty()) {
            LOG.warn("bringing up the host-side device(s) {} of {}, found down", down, net.namespace());
            shell.require(shell.ipBatch(List.of(), down.stream().map(d -> "link set " + d + " up").toList()));
        }
        return List.copyOf(down);
    }

    /**
     * Creates the HA bridge when it is missing (and leaves it in place afterwards: other pairs,
     * possibly of other drivers or hosts, share it).
     */
    public synchronized void ensureHaBridge() {
        String bridge = settings.ha().haBridge();
        if (host.deviceExists(bridge)) {
            return;
        }
        LOG.info("creating the HA bridge {}", bridge);
        shell.require(shell.ipBatch(List.of(), List.of("link add name " + bridge + " type bridge", "link set " + bridge + " up")));
    }

    /** Returns whether a namespace of that name exists. */
    public boolean namespaceExists(String namespace) {
        return host.namespaceExists(namespace);
    }

    // ------------------------------------------------------------------ plug

    /**
     * Describes how an instance is plugged, in order: the interface driver's commands before, one
     * {@code ip -batch -} in the root namespace (namespace, device), one {@code ip -n NS -batch -}
     * inside it (lo, address, link, default route), the interface driver's commands after, the
     * IPv6 DAD check and the gratuitous ARP. Reads nothing and runs nothing.
     *
     * @param id the instance
     * @param net its record
     * @return the steps
     */
    public List<Step> plugSteps(InstanceId id, NetworkRecord net) {
        String ns = net.namespace();
        Plumbing plug = port(id, net).map(iface::plug).orElse(Plumbing.NONE);
        List<Step> steps = new ArrayList<>();
        plug.before().forEach(c -> steps.add(new Step(c, Mode.REQUIRED)));
        List<String> root = new ArrayList<>();
        root.add("netns add " + ns);
        root.addAll(plug.rootBatch());
        net.ha().ifPresent(link -> {
            root.add("link add " + link.hostDevice() + " type veth peer name " + link.nsDevice() + " netns " + ns);
            root.add("link set " + link.hostDevice() + " master " + link.bridge() + " up");
        });
        steps.add(new Step(shell.ipBatch(List.of(), root), Mode.REQUIRED));
        List<String> inside = new ArrayList<>();
        inside.add("link set lo up");
        boolean dadWait = net.ipv6() && settings.ipv6Dad() == HaproxySettings.Ipv6Dad.WAIT && iface.createsDevice();
        String suffix = net.ipv6() ? (dadWait ? "" : " nodad") : " brd +";
        if (!iface.createsDevice()) {
            suffix = net.ipv6() ? " nodad" : "";
        }
        inside.add("addr add " + net.address() + "/" + net.prefixLength() + " dev " + net.nsDevice() + suffix);
        if (iface.createsDevice()) {
            inside.add("link set " + net.nsDevice() + " up");
            if (!net.gateway().isEmpty()) {
                inside.add("route replace " + (net.ipv6() ? "::/0" : "0.0.0.0/0") + " via " + net.gateway() + " dev " + net.nsDevice());
            }
        }
        net.ha().ifPresent(link -> {
            HaPair pair = new HaPair(link.slot());
            inside.add("addr add " + IpAddresses.toText(pair.address(id.ordinal())) + "/" + HaPair.PREFIX_LENGTH + " dev "
                    + link.nsDevice());
            inside.add("link set " + link.nsDevice() + " up");
        });
        steps.add(new Step(shell.ipBatch(List.of("-n", ns), inside), Mode.REQUIRED));
        if (net.ha().isPresent()) {
            // the standby's HAProxy binds the VIP before it owns it
            List<String> sysctl = new ArrayList<>(HostShell.enterNamespace(settings.nsenterBinary(), ns));
            sysctl.addAll(List.of(settings.ha().sysctlBinary(), "-q", "-w", "net.ipv4.ip_nonlocal_bind=1",
                    "net.ipv6.ip_nonlocal_bind=1"));
            steps.add(new Step(shell.command(sysctl), Mode.REQUIRED));
        }
        plug.after().forEach(c -> steps.add(new Step(c, Mode.REQUIRED)));
        if (dadWait) {
            steps.add(new Step(shell.command(settings.ipBinary(), "-n", ns, "-6", "-o", "addr", "show", "dev", net.nsDevice(),
                    "scope", "global"), Mode.AWAIT_DAD));
        }
        if (!net.ipv6() && iface.createsDevice() && arping.isPresent()) {
            steps.add(new Step(shell.command(settings.ipBinary(), "netns", "exec", ns, arping.get(), "-U", "-I", net.nsDevice(),
                    "-c", "1", "-w", "1", net.address()).withTimeout(Duration.ofSeconds(5)), Mode.BEST_EFFORT));
        }
        return List.copyOf(steps);
    }

    /**
     * Runs the steps of {@link #plugSteps}, after registering their undo (remove the device and the
     * namespace) with {@code rollback}.
     *
     * @param id the instance
     * @param net its record
     * @param steps the steps {@link #plugSteps} described for them
     * @param rollback where the undo goes
     */
    public void plug(InstanceId id, NetworkRecord net, List<Step> steps, Rollback rollback) {
        Plumbing unplug = port(id, net).map(iface::unplug).orElse(Plumbing.NONE);
        rollback.push("remove namespace and device", () -> {
            for (Command c : unplug.before()) {
                shell.run(c);
            }
            List<String> lines = new ArrayList<>(unplug.rootBatch());
            net.ha().ifPresent(link -> lines.add("link del " + link.hostDevice()));
            lines.add("netns del " + net.namespace());
            shell.run(shell.ipBatch(List.of("-force"), lines));
            for (Command c : unplug.after()) {
                shell.run(c);
            }
        });
        for (Step step : steps) {
            switch (step.mode()) {
                case REQUIRED -> shell.require(step.command());
                case AWAIT_DAD -> awaitDad(step.command(), net);
                case BEST_EFFORT -> gratuitousArp(step.command(), net);
            }
        }
    }

    private Optional<Port> port(InstanceId id, NetworkRecord net) {
        return iface.createsDevice() ? Optional.of(Port.of(id, net.portId(), net.namespace())) : Optional.empty();
    }

    private void awaitDad(Command show, NetworkRecord net) {
        String ns = net.namespace();
        String device = net.nsDevice();
        long deadline = System.nanoTime() + settings.ipv6DadTimeout().toNanos();
        while (true) {
            String out = shell.require(show).stdout();
            if (out.contains("dadfailed")) {
                throw new DriverException("the load balancer's address is already in use on its network",
                        "IPv6 duplicate address detection failed in " + ns + " on " + device + ": " + out.strip(), false);
            }
            if (!out.contains("tentative")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new DriverException("the load balancer's address could not be brought up in time",
                        "IPv6 DAD still tentative after " + settings.ipv6DadTimeout() + " in " + ns + " on " + device, true);
            }
            HostShell.pause(Duration.ofMillis(100));
        }
    }

    private void gratuitousArp(Command arp, NetworkRecord net) {
        try {
            CommandResult r = shell.run(arp);
            if (!r.isSuccess()) {
                LOG.warn("gratuitous ARP for {} in {} failed (exit {}): {}", net.address(), net.namespace(), r.exitCode(),
                        r.stderr().strip());
            }
        } catch (ShellException e) {
            LOG.warn("gratuitous ARP for {} in {} failed: {}", net.address(), net.namespace(), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ unplug

    /**
     * Removes the device and the namespace a record names, only those (a namespace or device the
     * state directory did not record is not ours), with the interface driver the record names.
     *
     * @param id the instance
     * @param recorded its record, if any (one whose namespace name is not plain is ignored)
     * @throws DriverException (retryable) when the namespace is still there afterwards
     */
    public void unplug(InstanceId id, Optional<NetworkRecord> recorded) {
        Optional<NetworkRecord> net = recorded.filter(n -> NAME.matcher(n.namespace()).matches());
        Optional<String> ns = net.map(NetworkRecord::namespace);
        Optional<Port> port = net.filter(n -> !n.interfaceKind().equals("noop")).map(n -> Port.of(id, n.portId(), n.namespace()));
        InterfaceDriver driver = net.map(this::driverFor).orElse(iface);
        Plumbing unplug = port.map(driver::unplug).orElse(Plumbing.NONE);
        for (Command c : unplug.before()) {
            shell.require(c);
        }
        List<String> lines = new ArrayList<>();
        if (port.isPresent() && host.deviceExists(port.get().hostDevice())) {
            lines.addAll(unplug.rootBatch());
        }
        // deleted explicitly: a namespace's veth can outlive the namespace while orphaned sockets hold it
        net.flatMap(NetworkRecord::ha).filter(link -> NAME.matcher(link.hostDevice()).matches())
                .filter(link -> host.deviceExists(link.hostDevice())).ifPresent(link -> lines.add("link del " + link.hostDevice()));
        if (ns.isPresent() && host.namespaceExists(ns.get())) {
            lines.add("netns del " + ns.get());
        }
        if (!lines.isEmpty()) {
            CommandResult r = shell.run(shell.ipBatch(List.of("-force"), lines));
            if (!r.isSuccess()) {
                LOG.debug("teardown batch of {} reported: {}", id, HostShell.output(r));
            }
        }
        for (Command c : unplug.after()) {
            shell.require(c);
        }
        if (ns.isPresent() && host.namespaceExists(ns.get())) {
            // the record (and so the ownership) stays until the namespace is gone
            throw new DriverException("the load balancer could not be removed completely",
                    "namespace " + ns.get() + " is still there after 'ip netns del'", true);
        }
    }

    /** The interface driver that made a recorded instance (the settings may have changed since). */
    private InterfaceDriver driverFor(NetworkRecord net) {
        if (net.interfaceKind().equals(iface.kind()) && net.bridge().equals(settings.bridge())) {
            return iface;
        }
        if (!BRIDGE.matcher(net.bridge()).matches()) {
            return iface;
        }
        return switch (net.interfaceKind()) {
            case "linuxbridge" -> InterfaceDriver.linuxBridge(net.bridge());
            case "ovs" -> InterfaceDriver.openVswitch(net.bridge(), Path.of(settings.ovsVsctlBinary()));
            default -> InterfaceDriver.noop();
        };
    }
}
