package org.lbaas.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.lbaas.driver.spi.InstanceStatus;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.lab.netns.NetnsTopology;

/**
 * The failover part of {@code lbaas demo --ha}: with the demo's load balancer deployed as an
 * active/standby pair, shows the instances' roles, kills the active instance's HAProxy with
 * SIGKILL, measures the time until a request through the VIP succeeds again, shows that the
 * cookie client stays on its member, repairs the pair through the driver's reconcile and shows
 * that the repaired instance came back as STANDBY, the VIP staying where it went.
 *
 * @param session the demo's service and driver (haproxy-ns with {@code topology=active_standby})
 * @param topology the demo's network
 * @param haproxyState the driver's {@code state_dir} (instance directories with their pid files)
 * @param prefix the load balancer's namespace prefix
 * @param poolId the load balancer
 * @param say prints one progress line
 */
record HaDemo(Session session, NetnsTopology topology, Path haproxyState, String prefix, UUID poolId, Consumer<String> say) {

    /** Longest wait for a role to settle (an election, a takeover, a repaired instance's start). */
    static final Duration ROLE_WAIT = Duration.ofSeconds(15);
    /** Longest wait for the VIP to answer after the kill. */
    static final Duration FAILOVER_WAIT = Duration.ofSeconds(10);

    /** Waits until one instance is ACTIVE and the other STANDBY, and prints both; returns the active one's namespace. */
    String awaitPair(String heading) {
        Observation o = awaitRoles(heading, obs -> roles(obs).equals(List.of(InstanceStatus.Role.ACTIVE,
                InstanceStatus.Role.STANDBY)));
        print(heading, o);
        return o.active().orElseThrow().name();
    }

    /**
     * Kills the active HAProxy and shows the takeover: the time to the first successful request
     * through the VIP, traffic afterwards, the cookie client's member, and the roles.
     *
     * @param activeNamespace the active instance
     * @param vipUrl the VIP's base URL
     * @param traffic the demo's HTTP client
     * @param cookie the cookie client's cookie
     * @param cookieBackend the member the cookie client was on
     * @param chart prints a traffic chart
     * @return the namespace of the instance that took over
     */
    String failover(String activeNamespace, String vipUrl, DemoCommand.Traffic traffic, String cookie, String cookieBackend,
                    Consumer<Map<String, Integer>> chart) {
        Path pidFile = haproxyState.resolve(instanceKey(activeNamespace)).resolve("pid");
        long pid = pid(pidFile);
        ProcessHandle haproxy = ProcessHandle.of(pid).filter(p -> p.info().command().map(c -> c.endsWith("haproxy"))
                .orElse(false)).orElseThrow(() -> new StepFailedException("lbaas demo --ha: failover",
                "pid " + pid + " in " + pidFile + " is not a running HAProxy"));
        say.accept("failover: kill -9 " + pid + ", the HAProxy of the active instance " + activeNamespace + " (pid file "
                + pidFile + ")");
        long killedAt = System.nanoTime();
        haproxy.destroyForcibly();
        int failed = untilServed(vipUrl, killedAt);
        double ms = (System.nanoTime() - killedAt) / 1e6;
        say.accept(String.format("  the VIP answered again %.0f ms after the kill (%d request%s of 0.3 s at most failed or"
                + " timed out before)", ms, failed, failed == 1 ? "" : "s"));
        Map<String, Integer> after = traffic.spread(vipUrl, DemoCommand.REQUESTS, Optional.empty());
        say.accept("traffic: " + DemoCommand.REQUESTS + " requests after the failover:");
        chart.accept(after);
        Map<String, Integer> sticky = traffic.spread(vipUrl, DemoCommand.STICKY_REQUESTS, Optional.of(cookie));
        boolean kept = sticky.size() == 1 && sticky.containsKey(cookieBackend);
        say.accept("persistence: " + DemoCommand.STICKY_REQUESTS + " requests with the cookie " + cookie + " went to: "
                + DemoCommand.describe(sticky) + (kept ? " (still " + cookieBackend + ": the session survived the failover)"
                : " (NOT " + cookieBackend + ")"));
        if (!kept) {
            throw new StepFailedException("lbaas demo --ha: persistence", "the cookie client left " + cookieBackend
                    + " after the failover: " + DemoCommand.describe(sticky));
        }
        Observation o = awaitRoles("the takeover", obs -> obs.active().map(a -> !a.name().equals(activeNamespace)).orElse(false));
        print("roles after the failover", o);
        return o.active().orElseThrow().name();
    }

    /**
     * Repairs the pair as {@code lbaas reconcile} does (the driver's reconcile with the deployed
     * load balancer) and shows that the repaired instance rejoined as STANDBY.
     *
     * @param newActive the instance that took over, which must stay ACTIVE
     */
    void repair(String newActive) {
        say.accept("repair: the driver's reconcile (as 'lbaas reconcile' runs it) restarts what died");
        ReconcileReport r = session.driver().reconcile(List.of(session.service().loadBalancer(poolId)));
        if (!r.succeeded()) {
            throw new StepFailedException("lbaas demo --ha: repair", "reconcile failed: " + r.failed());
        }
        say.accept("  repaired " + r.repaired().size() + ", adopted " + r.adopted().size() + " load balancer(s)");
        String active = awaitPair("roles after the repair");
        if (!active.equals(newActive)) {
            throw new StepFailedException("lbaas demo --ha: repair", "the repaired instance took the VIP back: " + active
                    + " is ACTIVE, not " + newActive);
        }
        say.accept("  the repaired instance rejoined as STANDBY; " + newActive + " keeps the VIP (no preemption)");
    }

    private Observation awaitRoles(String what, java.util.function.Predicate<Observation> settled) {
        long deadline = System.nanoTime() + ROLE_WAIT.toNanos();
        Optional<Observation> seen = Optional.empty();
        while (System.nanoTime() < deadline) {
            seen = session.driver().observe(poolId);
            if (seen.isPresent() && settled.test(seen.get())) {
                return seen.get();
            }
            DemoCommand.sleep(Duration.ofMillis(100));
        }
        throw new StepFailedException("lbaas demo --ha: " + what, "the pair's roles did not settle within "
                + ROLE_WAIT.toSeconds() + " s: " + seen.map(o -> o.instances().toString()).orElse("nothing runs"));
    }

    private void print(String heading, Observation o) {
        say.accept(heading + ":");
        InstanceRoles.lines(InstanceRoles.namespaces(prefix, poolId), Optional.of(o),
                ns -> InstanceRoles.livePid(haproxyState.resolve(instanceKey(ns)).resolve("pid")))
                .forEach(l -> say.accept("  " + l.strip()));
    }

    private int untilServed(String vipUrl, long since) {
        return untilServed(topology, vipUrl, since, FAILOVER_WAIT, "lbaas demo --ha: failover");
    }

    /**
     * Requests from the client through the VIP, each bounded to 0.3 s, until one succeeds; returns
     * how many failed.
     *
     * @param since when the wait started ({@link System#nanoTime()})
     * @param wait the longest wait from {@code since}
     * @param step names the step when the VIP did not answer in time
     */
    static int untilServed(NetnsTopology topology, String vipUrl, long since, Duration wait, String step) {
        int failed = 0;
        while (System.nanoTime() - since < wait.toNanos()) {
            CommandResult r = topology.exec(NetnsTopology.CLIENT, DemoCommand.Traffic.curl(List.of("--max-time", "0.3",
                    "--output", "/dev/null", "--write-out", "%{http_code}"), vipUrl + "/r").withTimeout(Duration.ofSeconds(5)));
            if (r.stdout().strip().equals("200")) {
                return failed;
            }
            failed++;
        }
        throw new StepFailedException(step, "the VIP did not answer within " + wait.toSeconds() + " s of the kill");
    }

    private String instanceKey(String namespace) {
        if (!namespace.startsWith(prefix)) {
            throw new StepFailedException("lbaas demo --ha", "instance " + namespace + " is not a namespace " + prefix + "...");
        }
        return namespace.substring(prefix.length());
    }

    private static long pid(Path pidFile) {
        try {
            return Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            throw new StepFailedException("lbaas demo --ha: read " + pidFile, e.toString(), e);
        }
    }

    private static List<InstanceStatus.Role> roles(Observation o) {
        return o.instances().stream().map(InstanceStatus::role).sorted().toList();
    }
}
