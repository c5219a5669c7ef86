package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("serve: the stand-alone server's command line")
class ServeTest {

    static final String SUBNETS = "{\"subnets\": [{\"id\": \"2f1f3a56-1b6c-4c53-9a0a-0a6f0d5f7c11\", \"name\": \"private-subnet\", "
            + "\"cidr\": \"10.0.0.0/24\", \"gateway_ip\": \"10.0.0.1\"}]}";

    @Test
    @DisplayName("defaults: Neutron's port on loopback, haproxy-ns, tenant demo, a random token")
    void defaults() {
        Serve.Options o = Serve.Options.parse(new String[0], Optional.empty());
        assertEquals(9696, o.port);
        assertTrue(o.bind.isLoopbackAddress());
        assertEquals("haproxy-ns", o.driver);
        assertEquals("demo", o.tenant);
        assertFalse(o.admin);
        assertTrue(o.tokenGenerated);
        assertEquals(32, o.token.length());
        assertTrue(o.stateDir.isEmpty());
        assertNotSame(o.token, Serve.Options.parse(new String[0], Optional.empty()).token);
    }

    private static void assertNotSame(String a, String b) {
        assertFalse(a.equals(b), "two random tokens are different");
    }

    @Test
    @DisplayName("every option, in both --name value and --name=value forms; the token may come from the environment")
    void options(@TempDir Path dir) throws IOException {
        Path subnets = dir.resolve("subnets.json");
        Files.writeString(subnets, SUBNETS);
        Serve.Options o = Serve.Options.parse(new String[] {"--port=0", "--bind", "127.0.0.1", "--driver", "in-memory",
                "--state-dir", dir.toString(), "--subnets", subnets.toString(), "--tenant", "t1", "--admin",
                "--driver-setting", "max_members=5", "--driver-setting=ipv6=false", "--max-body-bytes", "2048"},
                Optional.of("from-env"));
        assertEquals(0, o.port);
        assertEquals("in-memory", o.driver);
        assertEquals(dir.toAbsolutePath().normalize(), o.stateDir.orElseThrow());
        assertEquals(1, o.subnets.size());
        assertEquals("private-subnet", o.subnets.get(0).name());
        assertEquals("t1", o.tenant);
        assertTrue(o.admin);
        assertEquals(Map.of("max_members", "5", "ipv6", "false"), o.driverSettings);
        assertEquals(2048, o.maxBodyBytes);
        assertEquals("from-env", o.token);
        assertFalse(o.tokenGenerated);
        assertEquals("explicit", Serve.Options.parse(new String[] {"--token", "explicit"}, Optional.of("from-env")).token);
    }

    @Test
    @DisplayName("usage errors name the problem")
    void usageErrors(@TempDir Path dir) throws IOException {
        assertTrue(message("--port", "70000").contains("--port"));
        assertTrue(message("--port").contains("needs a value"));
        assertTrue(message("--frobnicate").contains("--frobnicate"));
        assertTrue(message("--bind", "localhost").contains("IP address"));
        assertTrue(message("--driver-setting", "novalue").contains("KEY=VALUE"));
        assertTrue(message("--subnets", dir.resolve("missing.json").toString()).contains("cannot read"));
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"subnets\": [{\"id\": \"x\", \"cidr\": \"10.0.0.0/33\"}]}");
        String invalid = message("--subnets", bad.toString());
        assertTrue(invalid.contains("subnets[0]"), invalid);
        assertTrue(message("--tenant", " ").contains("--tenant"));
    }

    private static String message(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> Serve.Options.parse(args, Optional.of("t"))).getMessage();
    }

    @Test
    @DisplayName("run answers 2 for a usage error and 0 for --help, without starting anything")
    void runExitCodes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, Serve.run(new String[] {"--nope"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: serve"));
        assertEquals(0, Serve.run(new String[] {"--help"}, o, e));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: serve"));
        assertEquals(1, Serve.run(new String[] {"--driver", "no-such-driver", "--port", "0", "--token", "t"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no-such-driver"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("start serves the API with the driver, subnets, token and a durable store in the state directory")
    void startServes(@TempDir Path dir) throws IOException {
        Path subnets = dir.resolve("subnets.json");
        Files.writeString(subnets, SUBNETS);
        String[] args = {"--port", "0", "--driver", "in-memory", "--subnets", subnets.toString(), "--token", "s3cret",
                "--tenant", "tenant-x", "--state-dir", dir.resolve("state").toString()};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Serve serve = Serve.start(Serve.Options.parse(args, Optional.empty()), new PrintStream(out, true, StandardCharsets.UTF_8));
        String poolId;
        try {
            String announced = out.toString(StandardCharsets.UTF_8);
            assertTrue(announced.contains(serve.server().endpoint() + "/v2.0"), announced);
            assertTrue(announced.contains("OS_AUTH_TYPE=token_endpoint"), announced);
            assertFalse(announced.contains("s3cret"), "a token the user chose is not printed");
            RawHttp.Answer created = post(serve, "/v2.0/lb/pools", "{\"pool\": {\"subnet_id\": \"2f1f3a56-1b6c-4c53-9a0a-0a6f0d5f7c11\", "
                    + "\"protocol\": \"TCP\", \"lb_method\": \"ROUND_ROBIN\"}}");
            assertEquals(201, created.status(), created.text());
            assertTrue(created.body().contains("\"tenant_id\":\"tenant-x\""), created.body());
            assertTrue(created.body().contains("\"provider\":\"in-memory\""), created.body());
            poolId = RestFixture.MAPPER.readTree(created.body()).get("pool").get("id").asText();
        } finally {
            serve.close();
        }
        assertTrue(Files.isDirectory(dir.resolve("state").resolve("store")), "objects are kept in DIR/store");
        Serve again = Serve.start(Serve.Options.parse(args, Optional.empty()), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        try {
            RawHttp.Answer shown = RawHttp.exchange(again.server().address(), "GET /v2.0/lb/pools/" + poolId
                    + " HTTP/1.1\r\nHost: x\r\nX-Auth-Token: s3cret\r\nConnection: close\r\n\r\n", new byte[0]);
            assertEquals(200, shown.status(), "the pool survived a restart: " + shown.text());
        } finally {
            again.close();
        }
    }

    private static RawHttp.Answer post(Serve serve, String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return RawHttp.exchange(serve.server().address(), "POST " + path + " HTTP/1.1\r\nHost: x\r\nX-Auth-Token: s3cret\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n", bytes);
    }

    @Test
    @DisplayName("--namespace-prefix, --bridge, --interface-driver and --driver-setting all reach the driver's config")
    void driverOptionsReachTheDriver(@TempDir Path dir) {
        RecordingDriverProvider.CREATED.clear();
        String[] args = {"--port", "0", "--driver", "recording", "--token", "t", "--namespace-prefix", "qtest-",
                "--bridge", "br-test", "--interface-driver=noop", "--driver-setting", "max_members=7",
                "--driver-setting", "bridge=overridden-by-the-option", "--state-dir", dir.toString()};
        Serve serve = Serve.start(Serve.Options.parse(args, Optional.empty()), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        try {
            assertEquals(1, RecordingDriverProvider.CREATED.size());
            assertEquals(Map.of("namespace_prefix", "qtest-", "bridge", "br-test", "interface_driver", "noop", "max_members", "7"),
                    RecordingDriverProvider.CREATED.get(0), "state_dir is set only for haproxy-ns");
        } finally {
            serve.close();
        }
        assertTrue(message("--bridge", " ").contains("--bridge"));
        assertTrue(message("--namespace-prefix").contains("needs a value"));
    }

    @Test
    @DisplayName("a driver that cannot start is one line on standard error, the stack trace only with --verbose")
    void startFailureIsOneLine() {
        for (boolean verbose : new boolean[] {false, true}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--port", "0", "--driver", "recording",
                    "--token", "t", "--driver-setting", "fail=haproxy: cannot bind socket [10.0.0.5:80]"));
            if (verbose) {
                args.add("--verbose");
            }
            int status = Serve.run("lbaas serve", args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
            assertEquals(1, status);
            java.util.List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
            assertTrue(lines.get(0).startsWith("lbaas serve: cannot start: haproxy: cannot bind socket [10.0.0.5:80]; second line"),
                    lines.toString());
            if (verbose) {
                assertTrue(lines.stream().anyMatch(l -> l.strip().startsWith("at ")), "--verbose shows the stack trace");
            } else {
                assertEquals(1, lines.size(), lines.toString());
            }
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Serve.run("lbaas serve", new String[] {"--port", "eighty"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8), false));
        assertEquals(java.util.List.of("lbaas serve: --port must be a number in 0..65535, not eighty"),
                err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    @DisplayName("a port in use is one line, and Jetty logs no stack trace for it")
    void portInUse() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream old = System.err;
            ByteArrayOutputStream logged = new ByteArrayOutputStream();
            System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
            int status;
            try {
                status = Serve.run("lbaas serve", new String[] {"--port", String.valueOf(taken.getLocalPort()), "--driver", "in-memory",
                        "--token", "t"}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8), false);
            } finally {
                System.setErr(old);
            }
            assertEquals(1, status);
            java.util.List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), lines.toString());
            assertFalse(logged.toString(StandardCharsets.UTF_8).contains("\tat "), logged.toString(StandardCharsets.UTF_8));
        }
    }
}
