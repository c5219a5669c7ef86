package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.Repository;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.api.VipCreate;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.LbMethod;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.lab.netns.NetnsTopology;

/**
 * Self-healing for real, as root: a load balancer served by a long-running service over the
 * haproxy-ns driver (built as {@code lbaas serve} builds it: the builder's defaults, self-healing
 * every second), its HAProxy killed with SIGKILL, and HTTP through the VIP answering again with
 * nobody calling reconcile. Prints the time from the kill to the first answer.
 *
 * <p>It needs the haproxy-ns driver's {@code probe}: with the SPI's default (reports nothing) the
 * load balancer is never repaired and this test fails.
 */
@Tag("live")
class SelfHealingLiveTest {

    /** How long traffic may be gone after the kill: a probe interval, a restart, and slack. */
    static final Duration BOUND = Duration.ofSeconds(5);

    @TempDir
    Path tmp;

    @Test
    @DisplayName("an HAProxy killed with SIGKILL under a running service serves again within 5 s, without reconcile")
    void killedHaproxyServesAgain() throws Exception {
        NetnsTopology t = NetnsTopology.builder().backends("a", "b").create();
        Path state = tmp.resolve("st");
        String prefix = "q" + t.namePrefix() + "-";
        Map<String, String> settings = Map.of("state_dir", state.resolve("haproxy").toString(), "namespace_prefix", prefix,
                "bridge", t.bridge());
        LoadBalancerDriver driver = DriverFactory.create(settings, ShellExecutor.system());
        LoadBalancerService service = null;
        try {
            t.startBackends();
            Subnet subnet = Subnet.of(UUID.randomUUID(), t.ipv4Subnet(), t.ipv4Gateway().getHostAddress());
            // as lbaas serve builds it (ServeCommand.start): only driver, store, subnets and provider
            service = LoadBalancerService.builder().driver(driver).repository(Repository.fileStore(state.resolve("store")))
                    .subnets(SubnetRegistry.of(subnet)).providerName(DriverFactory.DEFAULT_DRIVER).build();
            UUID pool = service.createPool(PoolCreate.of("demo", subnet.id(), Protocol.HTTP, LbMethod.ROUND_ROBIN))
                    .outcome().toCompletableFuture().get(60, TimeUnit.SECONDS).id();
            for (String b : List.of("a", "b")) {
                service.createMember(MemberCreate.of("demo", pool, t.host(b).ipv4().getHostAddress(), 8080))
                        .outcome().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
            String vipAddress = t.allocateIpv4().getHostAddress();
            service.createVip(VipCreate.of("demo", subnet.id(), 80, Protocol.HTTP, pool)
                            .withAddress(java.net.InetAddress.getByName(vipAddress)))
                    .outcome().toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertEquals(Status.ACTIVE, service.getPool(pool).pool().status());
            String url = "http://" + vipAddress + ":80/";
            DemoCommand.Traffic traffic = new DemoCommand.Traffic(t);
            assertEquals(Set.of("a", "b"), traffic.spread("http://" + vipAddress + ":80", 4, Optional.empty()).keySet());

            long pid = haproxyPid(state.resolve("haproxy"));
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "haproxy pid " + pid + " runs");
            long killed = System.nanoTime();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            awaitGone(pid);
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "haproxy pid " + pid + " was killed");
            boolean sawOutage = !answers(t, url);

            long until = killed + Duration.ofSeconds(30).toNanos();
            while (!answers(t, url)) {
                sawOutage = true;
                assertTrue(System.nanoTime() < until, "no answer through the VIP within 30 s of the kill");
                Thread.sleep(50);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.out.println("self-healing: SIGKILL of haproxy pid " + pid + " to HTTP through the VIP again: " + millis
                    + " ms (outage observed: " + sawOutage + ")");
            assertTrue(millis < BOUND.toMillis(), "traffic came back after " + millis + " ms, the bound is " + BOUND.toMillis()
                    + " ms");
            long restarted = haproxyPid(state.resolve("haproxy"));
            assertNotEquals(pid, restarted, "a new HAProxy serves");
            assertEquals(Set.of("a", "b"), traffic.spread("http://" + vipAddress + ":80", 4, Optional.empty()).keySet());
            assertEquals(Status.ACTIVE, service.getPool(pool).pool().status());
            assertEquals(Status.ACTIVE, service.listVips().get(0).status());
        } finally {
            try {
                if (service != null) {
                    service.close();
                }
                driver.reconcile(List.of());
            } finally {
                driver.close();
                t.close();
            }
        }
        assertEquals(List.of(), LiveChecks.leftovers(List.of(prefix, t.namePrefix()), state.toString()));
    }

    /** Whether one HTTP request from the client namespace through the VIP gets a 200 within 1 s. */
    static boolean answers(NetnsTopology t, String url) {
        return t.exec(NetnsTopology.CLIENT, "curl", "--silent", "--noproxy", "*", "--max-time", "1", "--output", "/dev/null",
                "--write-out", "%{http_code}", url).stdout().strip().equals("200");
    }

    /** The pid of the one HAProxy instance under the driver's state directory, from its pid file. */
    private static long haproxyPid(Path driverState) throws IOException {
        List<Path> pidFiles;
        try (Stream<Path> s = Files.walk(driverState)) {
            pidFiles = s.filter(p -> p.getFileName().toString().equals("pid") && Files.isRegularFile(p)).toList();
        }
        assertEquals(1, pidFiles.size(), "one HAProxy pid file under " + driverState + ": " + pidFiles);
        return Long.parseLong(Files.readString(pidFiles.get(0), StandardCharsets.US_ASCII).strip().split("\\s+")[0]);
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
