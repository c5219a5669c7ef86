package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.Subnet;
import org.lbaas.driver.memory.InMemoryDriver;
import org.lbaas.driver.memory.InMemoryDriverProvider;

/**
 * An embedded server over the in-memory driver, with two tenants and an administrator, and an
 * HTTP client that talks to it over loopback. Close it after the test.
 */
final class RestFixture implements AutoCloseable {

    static final String TOKEN_A = "token-a";
    static final String TOKEN_B = "token-b";
    static final String TOKEN_ADMIN = "token-admin";
    static final String TENANT_A = "tenant-a";
    static final String TENANT_B = "tenant-b";
    static final String TENANT_ADMIN = "admin-tenant";
    static final Subnet SUBNET = new Subnet(UUID.fromString("2f1f3a56-1b6c-4c53-9a0a-0a6f0d5f7c11"), "private-subnet",
            org.lbaas.model.Cidr.parse("10.0.0.0/24"), Optional.of(addr("10.0.0.1")));
    static final Subnet SUBNET6 = new Subnet(UUID.fromString("7c0a3e55-6b8d-4e0f-9d3a-1b2c3d4e5f60"), "v6-subnet",
            org.lbaas.model.Cidr.parse("fd00:1::/64"), Optional.empty());

    static final ObjectMapper MAPPER = new ObjectMapper();

    final InMemoryDriver driver;
    final LoadBalancerService service;
    final LbaasRestServer server;
    final URI base;

    RestFixture() {
        this(b -> b);
    }

    RestFixture(UnaryOperator<LbaasRestServer.Builder> options) {
        this(options, d -> d);
    }

    /** A fixture whose service drives the in-memory driver through a wrapper (say, one that reports health). */
    RestFixture(UnaryOperator<LbaasRestServer.Builder> options, UnaryOperator<LoadBalancerDriver> wrap) {
        SubnetRegistry subnets = SubnetRegistry.of(SUBNET, SUBNET6);
        driver = new InMemoryDriverProvider().create(new DriverConfig(Map.of(), ShellExecutor.system(), Clock.systemUTC()));
        service = LoadBalancerService.builder().driver(wrap.apply(driver)).subnets(subnets).providerName("in-memory").build();
        LbaasRestServer.Builder b = LbaasRestServer.builder().service(service).subnets(subnets)
                .auth(Authenticator.staticTokens(Map.of(TOKEN_A, Caller.tenant(TENANT_A), TOKEN_B, Caller.tenant(TENANT_B),
                        TOKEN_ADMIN, Caller.admin(TENANT_ADMIN))))
                .port(0).shutdownGrace(Duration.ZERO);
        server = options.apply(b).build().start();
        base = server.endpoint();
    }

    static java.net.InetAddress addr(String literal) {
        try {
            return java.net.InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            service.close();
            driver.close();
        }
    }

    /** A response: status, headers and the body parsed as JSON (a missing node when there is none). */
    record Reply(int status, Map<String, List<String>> headers, String text) {
        /** Returns a header's first value (names are case-insensitive). */
        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        JsonNode json() {
            if (text.isEmpty()) {
                return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            }
            try {
                return MAPPER.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text, e);
            }
        }

        /** Asserts the status and returns this, with the body in the message when it differs. */
        Reply expect(int expected) {
            assertEquals(expected, status, () -> "status of a reply with body " + text);
            return this;
        }

        /** Asserts a Neutron error of this status and type and returns its message. */
        String error(int expected, String type) {
            expect(expected);
            JsonNode e = json().get("NeutronError");
            assertTrue(e != null && e.isObject(), () -> "not a NeutronError: " + text);
            assertEquals(type, e.get("type").asText(), text);
            assertEquals("", e.get("detail").asText(), text);
            assertTrue(header("Content-Type").orElse("").startsWith("application/json"), text);
            return e.get("message").asText();
        }
    }

    Reply get(String path) {
        return send("GET", path, TOKEN_A, null, "application/json");
    }

    Reply get(String path, String token) {
        return send("GET", path, token, null, "application/json");
    }

    Reply post(String path, String body) {
        return send("POST", path, TOKEN_A, body, "application/json");
    }

    Reply post(String path, String body, String token) {
        return send("POST", path, token, body, "application/json");
    }

    Reply put(String path, String body) {
        return send("PUT", path, TOKEN_A, body, "application/json");
    }

    Reply put(String path, String body, String token) {
        return send("PUT", path, token, body, "application/json");
    }

    Reply delete(String path) {
        return send("DELETE", path, TOKEN_A, null, "application/json");
    }

    Reply delete(String path, String token) {
        return send("DELETE", path, token, null, "application/json");
    }

    /**
     * Sends a request.
     *
     * @param token the X-Auth-Token, or {@code null} for none
     * @param body the body, or {@code null} for none
     * @param contentType the body's Content-Type, or {@code null} for none
     */
    Reply send(String method, String path, String token, String body, String contentType) {
        return sendBytes(method, path, token, body == null ? null : body.getBytes(StandardCharsets.UTF_8), contentType);
    }

    Reply sendBytes(String method, String path, String token, byte[] body, String contentType) {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
        head.append("Accept: application/json\r\n");
        if (token != null) {
            head.append("X-Auth-Token: ").append(token).append("\r\n");
        }
        if (body != null) {
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        RawHttp.Answer a = RawHttp.exchange(server.address(), head.toString(), body == null ? new byte[0] : body);
        if (a.status() == 0) {
            throw new AssertionError("no answer to " + method + " " + path + ": " + a.text());
        }
        return new Reply(a.status(), a.headers(), a.body());
    }

    // ------------------------------------------------------------------------------- the usual objects

    static String poolBody(String name) {
        return "{\"pool\": {\"name\": \"" + name + "\", \"subnet_id\": \"" + SUBNET.id()
                + "\", \"protocol\": \"HTTP\", \"lb_method\": \"ROUND_ROBIN\", \"admin_state_up\": true}}";
    }

    /** Creates a pool as tenant a, answering its id. */
    String pool(String name) {
        return pool(name, TOKEN_A);
    }

    String pool(String name, String token) {
        return post("/v2.0/lb/pools", poolBody(name), token).expect(201).json().get("pool").get("id").asText();
    }

    String member(String poolId, String address, int port) {
        return member(poolId, address, port, TOKEN_A);
    }

    String member(String poolId, String address, int port, String token) {
        return post("/v2.0/lb/members", "{\"member\": {\"pool_id\": \"" + poolId + "\", \"address\": \"" + address
                + "\", \"protocol_port\": " + port + "}}", token).expect(201).json().get("member").get("id").asText();
    }

    String monitor(int delay, int timeout) {
        return monitor(delay, timeout, TOKEN_A);
    }

    String monitor(int delay, int timeout, String token) {
        return post("/v2.0/lb/health_monitors", "{\"health_monitor\": {\"type\": \"HTTP\", \"delay\": " + delay
                + ", \"timeout\": " + timeout + ", \"max_retries\": 3, \"url_path\": \"/health\"}}", token)
                .expect(201).json().get("health_monitor").get("id").asText();
    }

    String vip(String poolId, String name) {
        return vip(poolId, name, TOKEN_A);
    }

    String vip(String poolId, String name, String token) {
        return post("/v2.0/lb/vips", "{\"vip\": {\"name\": \"" + name + "\", \"pool_id\": \"" + poolId
                + "\", \"subnet_id\": \"" + SUBNET.id() + "\", \"protocol\": \"HTTP\", \"protocol_port\": 80}}", token)
                .expect(201).json().get("vip").get("id").asText();
    }

    /** Polls an object until its status is the given one (the in-memory driver is quick). */
    JsonNode awaitStatus(String path, String key, String status) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        return poll(Duration.ofSeconds(10), Duration.ofMillis(20), () -> {
            last.set(get(path).expect(200).json().get(key));
            return status.equals(last.get().get("status").asText()) ? Optional.of(last.get()) : Optional.empty();
        }).orElseThrow(() -> new AssertionError(path + " did not become " + status + ": " + last.get()));
    }

    /** Polls until a GET answers 404. */
    void awaitGone(String path) {
        poll(Duration.ofSeconds(10), Duration.ofMillis(20), () -> get(path).status() == 404 ? Optional.of(path) : Optional.empty())
                .orElseThrow(() -> new AssertionError(path + " is still there"));
    }

    /**
     * Calls {@code attempt} every {@code interval} until it returns a value, for at most
     * {@code patience}; returns the value, or empty when there was none in time.
     */
    static <T> Optional<T> poll(Duration patience, Duration interval, Supplier<Optional<T>> attempt) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<T> value = attempt.get();
            if (value.isPresent() || System.nanoTime() - deadline > 0) {
                return value;
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Returns an object's attribute names, in the order they were written. */
    static List<String> keys(JsonNode object) {
        List<String> out = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
