package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lbaas serve --metrics}: a scrape parsed as Prometheus text shows the service's, the API's and each pool's meters. */
@DisplayName("serve --metrics: Prometheus text at /metrics")
class ServeMetricsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One sample line: {@code name{label="value",...} value}. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)(?: \\S+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** Parses Prometheus text format 0.0.4; fails on any line that is neither a comment nor a sample. */
    static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), "not a Prometheus sample line: " + line);
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                int end = 0;
                while (l.find() && l.start() == end) {
                    labels.put(l.group(1), l.group(2));
                    end = l.end();
                }
                assertEquals(m.group(2).length(), end, "labels not parsed: " + line);
            }
            out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return out;
    }

    static Optional<Sample> find(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .findFirst();
    }

    private static ServeCommand parse(ByteArrayOutputStream out, String... args) {
        return ServeTest.parse(Optional.empty(), out, args);
    }

    private static HttpResponse<String> send(ServeCommand.Running serve, String method, String path, String body)
            throws IOException, InterruptedException {
        return ServeTest.send(serve, method, path, body);
    }

    @Test
    @DisplayName("a scrape has driver call timers, load balancers by status, REST requests by route and each pool's counters")
    void scrape(@TempDir Path dir) throws Exception {
        Path subnets = dir.resolve("subnets.json");
        Files.writeString(subnets, ServeTest.SUBNETS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ServeCommand.Running serve = parse(out, "--port", "0", "--driver", "in-memory", "--subnets", subnets.toString(),
                "--token", "s3cret", "--metrics", "127.0.0.1:0", "--pool-metrics-interval", "50ms").start()) {
            URI metrics = serve.metrics().orElseThrow().uri();
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("metrics in Prometheus text format at " + metrics), out::toString);
            HttpResponse<String> pool = send(serve, "POST", "/v2.0/lb/pools", "{\"pool\": {\"subnet_id\": "
                    + "\"2f1f3a56-1b6c-4c53-9a0a-0a6f0d5f7c11\", \"protocol\": \"TCP\", \"lb_method\": \"ROUND_ROBIN\"}}");
            assertEquals(201, pool.statusCode(), pool.body());
            String poolId = MAPPER.readTree(pool.body()).get("pool").get("id").asText();
            HttpResponse<String> vip = send(serve, "POST", "/v2.0/lb/vips", "{\"vip\": {\"subnet_id\": "
                    + "\"2f1f3a56-1b6c-4c53-9a0a-0a6f0d5f7c11\", \"protocol\": \"TCP\", \"protocol_port\": 80, \"pool_id\": \""
                    + poolId + "\"}}");
            assertEquals(201, vip.statusCode(), vip.body());

            List<Sample> samples = List.of();
            HttpResponse<String> scraped = null;
            long until = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < until) {
                scraped = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
                samples = parse(scraped.body());
                if (find(samples, "lbaas_load_balancers", Map.of("status", "active")).map(Sample::value).orElse(0.0) == 1.0
                        && find(samples, "lbaas_pool_traffic_bytes_total", Map.of("pool_id", poolId)).isPresent()) {
                    break;
                }
                Thread.sleep(20);
            }
            assertEquals(200, scraped.statusCode());
            assertTrue(scraped.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    scraped.headers().toString());
            String text = scraped.body();
            assertTrue(text.contains("# TYPE lbaas_driver_calls_seconds summary"), text);
            assertTrue(text.contains("# TYPE lbaas_load_balancers gauge"), text);
            assertTrue(find(samples, "lbaas_driver_calls_seconds_count",
                    Map.of("operation", "apply", "result", "success", "exception", "none")).orElseThrow(() ->
                    new AssertionError("no apply timer in " + text)).value() >= 2, text);
            assertEquals(1.0, find(samples, "lbaas_driver_calls_seconds_count", Map.of("operation", "reconcile"))
                    .orElseThrow().value(), text);
            assertEquals(1.0, find(samples, "lbaas_load_balancers", Map.of("status", "active")).orElseThrow().value(), text);
            assertEquals(0.0, find(samples, "lbaas_load_balancers", Map.of("status", "error")).orElseThrow().value(), text);
            assertTrue(find(samples, "lbaas_status_transitions_total", Map.of("kind", "vip", "status", "active")).isPresent(), text);
            assertEquals(1.0, find(samples, "lbaas_rest_requests_seconds_count",
                    Map.of("method", "POST", "uri", "/v2.0/lb/pools", "status", "201", "outcome", "SUCCESS"))
                    .orElseThrow(() -> new AssertionError("no REST timer in " + text)).value(), text);
            assertTrue(find(samples, "lbaas_pool_traffic_bytes_total", Map.of("pool_id", poolId, "direction", "in"))
                    .isPresent(), text);
            assertTrue(find(samples, "lbaas_pool_connections_total", Map.of("pool_id", poolId)).isPresent(), text);
            assertTrue(find(samples, "lbaas_pool_connections_active", Map.of("pool_id", poolId)).isPresent(), text);
            // the process's own meters beside lbaas'
            // one series per memory pool; a pool (G1's Eden just after a collection) may be empty, the heap is not
            double heap = samples.stream().filter(x -> x.name().equals("jvm_memory_used_bytes")
                    && "heap".equals(x.labels().get("area"))).mapToDouble(Sample::value).sum();
            assertTrue(heap > 0, "JVM heap in use: " + heap + " in " + text);
            assertTrue(find(samples, "process_uptime_seconds", Map.of()).orElseThrow().value() > 0, text);
            assertTrue(find(samples, "jvm_threads_live_threads", Map.of()).orElseThrow().value() > 0, text);

            HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(metrics.resolve("/v2.0")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode());
        }
    }

    @Test
    @DisplayName("--metrics defaults to 127.0.0.1:9464, takes ADDRESS:PORT, and names a bad value")
    void options() {
        assertEquals(null, parse(new ByteArrayOutputStream()).metrics, "no metrics unless asked");
        ServeCommand bare = parse(new ByteArrayOutputStream(), "--metrics");
        assertEquals("127.0.0.1", bare.metrics.getAddress().getHostAddress());
        assertEquals(9464, bare.metrics.getPort());
        assertEquals(9100, parse(new ByteArrayOutputStream(), "--metrics=[::1]:9100").metrics.getPort());
        assertEquals(java.time.Duration.ofMillis(500),
                parse(new ByteArrayOutputStream(), "--pool-metrics-interval", "500ms").poolMetricsInterval);
        CliRun bad = CliRun.run("serve", "--token", "t", "--metrics=localhost:9464");
        assertEquals(2, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("--metrics") && bad.err().contains("IP address"), bad::toString);
        CliRun noPort = CliRun.run("serve", "--token", "t", "--metrics=127.0.0.1");
        assertEquals(2, noPort.exit(), noPort::toString);
        assertTrue(noPort.err().contains("ADDRESS:PORT"), noPort::toString);
        CliRun badInterval = CliRun.run("serve", "--token", "t", "--pool-metrics-interval", "soon");
        assertEquals(2, badInterval.exit(), badInterval::toString);
        assertTrue(badInterval.err().contains("--pool-metrics-interval"), badInterval::toString);
    }
}
