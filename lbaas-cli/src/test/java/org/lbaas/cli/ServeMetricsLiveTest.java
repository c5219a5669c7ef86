package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.cli.ServeMetricsTest.find;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.cli.ServeMetricsTest.Sample;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.lab.netns.NetnsTopology;

/**
 * What an operator sees, for real, as root: {@code lbaas serve --metrics} over the haproxy-ns
 * driver, a load balancer made through the REST API, HTTP requests from a client namespace through
 * its VIP, then a scrape. The load balancer, the driver calls and HAProxy's own counters (bytes,
 * connections, member health, read from its stats socket through {@code observe}) are all in the
 * Prometheus text.
 */
@Tag("live")
class ServeMetricsLiveTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int REQUESTS = 20;

    @TempDir
    Path tmp;

    @Test
    @DisplayName("a scrape of serve --metrics over haproxy-ns shows the load balancer, its driver calls and HAProxy's counters")
    void haproxyCountersReachTheScrape() throws Exception {
        NetnsTopology t = NetnsTopology.builder().backends("a", "b").create();
        String prefix = "q" + t.namePrefix() + "-";
        Path state = tmp.resolve("st");
        ServeCommand.Running serve = null;
        try {
            t.startBackends();
            String subnetId = "5d2e2c5a-7d4f-4f57-9f44-3f0c3c2b9a10";
            Path subnets = tmp.resolve("subnets.json");
            Files.writeString(subnets, "{\"subnets\": [{\"id\": \"" + subnetId + "\", \"cidr\": \"" + t.ipv4Subnet()
                    + "\", \"gateway_ip\": \"" + t.ipv4Gateway().getHostAddress() + "\"}]}");
            serve = ServeTest.parse(Optional.empty(), new ByteArrayOutputStream(), "--port", "0", "--state-dir",
                    state.toString(), "--subnets", subnets.toString(), "--token", "s3cret", "--metrics", "127.0.0.1:0",
                    "--pool-metrics-interval", "100ms", "--driver-setting",
                    "namespace_prefix=" + prefix + ",bridge=" + t.bridge()).start();

            String poolId = created(ServeTest.send(serve, "POST", "/v2.0/lb/pools", "{\"pool\": {\"subnet_id\": \""
                    + subnetId + "\", \"protocol\": \"HTTP\", \"lb_method\": \"ROUND_ROBIN\"}}"), "pool");
            for (String backend : List.of("a", "b")) {
                created(ServeTest.send(serve, "POST", "/v2.0/lb/members", "{\"member\": {\"pool_id\": \"" + poolId
                        + "\", \"address\": \"" + t.host(backend).ipv4().getHostAddress() + "\", \"protocol_port\": 8080}}"),
                        "member");
            }
            String vipAddress = t.allocateIpv4().getHostAddress();
            created(ServeTest.send(serve, "POST", "/v2.0/lb/vips", "{\"vip\": {\"subnet_id\": \"" + subnetId
                    + "\", \"address\": \"" + vipAddress + "\", \"protocol\": \"HTTP\", \"protocol_port\": 80, \"pool_id\": \""
                    + poolId + "\"}}"), "vip");
            assertEquals(Set.of("a", "b"), new DemoCommand.Traffic(t)
                    .spread("http://" + vipAddress + ":80", REQUESTS, Optional.empty()).keySet());

            URI metrics = serve.metrics().orElseThrow().uri();
            List<Sample> samples = List.of();
            String text = "";
            long until = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < until) {
                text = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
                samples = ServeMetricsTest.parse(text);
                if (find(samples, "lbaas_pool_connections_total", Map.of("pool_id", poolId)).map(Sample::value).orElse(0.0)
                        >= REQUESTS) {
                    break;
                }
                Thread.sleep(100);
            }
            String scraped = text;
            assertEquals(1.0, find(samples, "lbaas_load_balancers", Map.of("status", "active")).orElseThrow().value(), scraped);
            assertTrue(find(samples, "lbaas_driver_calls_seconds_count",
                    Map.of("operation", "apply", "result", "success")).orElseThrow().value() >= 4, scraped);
            assertTrue(find(samples, "lbaas_driver_calls_seconds_count",
                    Map.of("operation", "observe", "result", "success")).orElseThrow().value() >= 1, scraped);
            double connections = find(samples, "lbaas_pool_connections_total", Map.of("pool_id", poolId))
                    .orElseThrow(() -> new AssertionError("no pool counters in " + scraped)).value();
            assertTrue(connections >= REQUESTS, "HAProxy counted the " + REQUESTS + " requests' connections: " + connections);
            double in = find(samples, "lbaas_pool_traffic_bytes_total", Map.of("pool_id", poolId, "direction", "in"))
                    .orElseThrow().value();
            double out = find(samples, "lbaas_pool_traffic_bytes_total", Map.of("pool_id", poolId, "direction", "out"))
                    .orElseThrow().value();
            assertTrue(in > REQUESTS * 40 && out > REQUESTS * 40, "bytes in " + in + ", out " + out + " for " + REQUESTS
                    + " HTTP requests");
            assertEquals(2.0, find(samples, "lbaas_pool_members", Map.of("pool_id", poolId, "health", "no_monitor"))
                    .orElseThrow().value(), scraped);
            System.out.println("scrape after " + REQUESTS + " requests: connections " + connections + ", bytes in " + in
                    + ", out " + out);
        } finally {
            try {
                if (serve != null) {
                    serve.close();
                }
                try (LoadBalancerDriver cleaner = DriverFactory.create(Map.of("state_dir", state.resolve("haproxy").toString(),
                        "namespace_prefix", prefix, "bridge", t.bridge()), ShellExecutor.system())) {
                    cleaner.reconcile(List.of()); // whatever the serve left, also after a failure
                }
            } finally {
                t.close();
            }
        }
        assertEquals(List.of(), LiveChecks.leftovers(List.of(prefix, t.namePrefix()), state.toString()));
    }

    private static String created(HttpResponse<String> response, String kind) throws Exception {
        assertEquals(201, response.statusCode(), response.body());
        return MAPPER.readTree(response.body()).get(kind).get("id").asText();
    }
}
