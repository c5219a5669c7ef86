package org.lbaas.driver.haproxy.internal.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.lbaas.driver.haproxy.internal.HostView;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.driver.haproxy.internal.NetworkRecord;

/**
 * Checks one instance without a shell command and without a scan of the host: its network
 * record, its namespace, its host-side devices (present and up; for a pair instance also the HA
 * link's), and that the pid in its pid file is a live HAProxy of the instance (so an exited
 * process, a zombie, or a pid reused by another program is reported). It remembers what it read per instance and skips files and processes that did not
 * change since (same inode, size and modification time; same pid and start time).
 */
public final class InstanceProbe {

    private final HostView host;
    private final HaproxyProcesses processes;
    private final Path stateDir;
    private final Map<InstanceId, Memory> memory = new ConcurrentHashMap<>();

    /**
     * What was read last for an instance: the network record and pid file as of their keys, and
     * the pid and start time of a process whose command line was checked.
     */
    private record Memory(Object recordKey, Optional<NetworkRecord> record, Object pidKey, Optional<Long> pid,
                          long verifiedPid, long verifiedStart) {
    }

    /**
     * @param host where namespaces, devices and processes are looked up
     * @param processes which processes are an instance's
     * @param stateDir the driver's state directory (named in the findings)
     */
    public InstanceProbe(HostView host, HaproxyProcesses processes, Path stateDir) {
        this.host = Objects.requireNonNull(host, "host");
        this.processes = Objects.requireNonNull(processes, "processes");
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    }

    /**
     * Probes one instance.
     *
     * @param id the instance
     * @param files its files
     * @return what is wrong with it, empty when it is healthy
     * @throws org.lbaas.driver.spi.DriverException when its state cannot be read
     */
    public Optional<String> probe(InstanceId id, InstanceFiles files) {
        Memory before = memory.get(id);
        Object recordKey = fileKey(files.network());
        Optional<NetworkRecord> net = before != null && recordKey != null && recordKey.equals(before.recordKey())
                ? before.record() : files.readNetwork();
        Object pidKey = fileKey(files.pidFile());
        Optional<Long> pid = before != null && pidKey != null && pidKey.equals(before.pidKey()) ? before.pid() : files.readPid();
        long verifiedPid = before == null ? 0 : before.verifiedPid();
        long verifiedStart = before == null ? HostView.UNKNOWN_START : before.verifiedStart();
        try {
            if (net.isEmpty()) {
                return Optional.of(files.exists() ? "instance " + id + " has no network record (deploy interrupted)"
                        : "instance " + id + " is not deployed (no state in " + stateDir + ")");
            }
            String ns = net.get().namespace();
            if (!host.namespaceExists(ns)) {
                return Optional.of("namespace " + ns + " is gone");
            }
            for (String device : hostDevices(net.get())) {
                if (!host.deviceExists(device)) {
                    return Optional.of("device " + device + " of namespace " + ns + " is gone");
                }
                if (!host.deviceUp(device)) {
                    return Optional.of("device " + device + " of namespace " + ns + " is down");
                }
            }
            if (pid.isEmpty()) {
                return Optional.of("haproxy of namespace " + ns + " has no pid file");
            }
            OptionalLong started = host.startTime(pid.get());
            if (started.isPresent() && started.getAsLong() != HostView.UNKNOWN_START && verifiedPid == pid.get()
                    && verifiedStart == started.getAsLong()) {
                return Optional.empty();
            }
            if (started.isEmpty() || !processes.isOurs(pid.get(), files)) {
                verifiedPid = 0;
                return Optional.of("haproxy pid " + pid.get() + " of namespace " + ns + " exited"
                        // an exiting process has an empty command line until it is reaped: not "another program"
                        + (host.process(pid.get()).filter(p -> !p.argv().isEmpty()).isPresent() ? " (the pid now belongs to another program)" : ""));
            }
            // the same pid with the same start time is this process: its command line need not be read again
            verifiedPid = pid.get();
            verifiedStart = started.getAsLong();
            return Optional.empty();
        } finally {
            memory.put(id, new Memory(recordKey, net, pidKey, pid, verifiedPid, verifiedStart));
        }
    }

    /** The root-namespace devices a record names: the VIP's peer and, for a pair instance, the HA link's. */
    private static List<String> hostDevices(NetworkRecord net) {
        List<String> out = new java.util.ArrayList<>();
        if (!net.hostDevice().isEmpty()) {
            out.add(net.hostDevice());
        }
        net.ha().map(NetworkRecord.HaLink::hostDevice).filter(d -> !d.isEmpty()).ifPresent(out::add);
        return out;
    }

    /**
     * Forgets what was read of an instance (it was removed).
     *
     * @param id the instance
     */
    public void forget(InstanceId id) {
        memory.remove(id);
    }

    /**
     * Identifies a file's content without reading it: inode, size and modification time (a
     * replaced or rewritten file changes at least one); null when it cannot be read.
     */
    private static Object fileKey(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime());
        } catch (IOException e) {
            return null;
        }
    }
}
