package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lbaas serve}'s options and the server they start (moved here from lbaas-rest's
 * {@code Serve}, which the command replaced): parsed by picocli, started with
 * {@code LbaasRestServer.builder()} directly.
 */
@DisplayName("serve: the stand-alone server's command line")
class ServeTest {

    static final String SUBNETS = "{\"subnets\": [{\"id\": \"2f1f3a56-1b6c-4c53-9a0a-0a6f0d5f7c11\", \"name\": \"private-subnet\", "
            + "\"cidr\": \"10.0.0.0/24\", \"gateway_ip\": \"10.0.0.1\"}]}";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The serve command with these arguments parsed, over streams that print into {@code out}. */
    static ServeCommand parse(Optional<String> envToken, ByteArrayOutputStream out, String... args) {
        Map<String, String> env = envToken.map(t -> Map.of("LBAAS_TOKEN", t)).orElse(Map.of());
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new CliRun.TestHost(true, env));
        CommandLine cl = new Cli(io).commandLine();
        List<String> all = new ArrayList<>(List.of("serve"));
        all.addAll(List.of(args));
        cl.parseArgs(all.toArray(String[]::new));
        return (ServeCommand) cl.getSubcommands().get("serve").getCommand();
    }

    private static ServeCommand parse(Optional<String> envToken, String... args) {
        return parse(envToken, new ByteArrayOutputStream(), args);
    }

    @Test
    @DisplayName("defaults: Neutron's port on loopback, haproxy-ns, tenant demo, a random token")
    void defaults() {
        ServeCommand o = parse(Optional.empty());
        assertEquals(9696, o.port);
        assertTrue(o.bind.isLoopbackAddress());
        assertEquals("haproxy-ns", o.driver);
        assertEquals("demo", o.tenant);
        assertFalse(o.admin);
        ServeCommand.Token token = o.token();
        assertTrue(token.generated());
        assertEquals(32, token.value().length());
        assertTrue(o.stateDir().isEmpty());
        assertEquals(ServeCommand.DEFAULT_MAX_BODY_BYTES, o.maxBodyBytes);
        assertNotSame(token.value(), parse(Optional.empty()).token().value());
    }

    private static void assertNotSame(String a, String b) {
        assertFalse(a.equals(b), "two random tokens are different");
    }

    @Test
    @DisplayName("every option, in both --name value and --name=value forms; the token may come from the environment")
    void options(@TempDir Path dir) throws IOException {
        Path subnets = dir.resolve("subnets.json");
        Files.writeString(subnets, SUBNETS);
        ServeCommand o = parse(Optional.of("from-env"), "--port=0", "--bind", "127.0.0.1", "--driver", "in-memory",
                "--state-dir", dir.toString(), "--subnets", subnets.toString(), "--tenant", "t1", "--admin",
                "--driver-setting", "max_members=5", "--driver-setting=ipv6=false", "--max-body-bytes", "2048");
        assertEquals(0, o.port);
        assertEquals("in-memory", o.driver);
        assertEquals(dir.toAbsolutePath().normalize(), o.stateDir().orElseThrow().root());
        assertEquals(1, o.subnets.list().size());
        assertEquals("private-subnet", o.subnets.list().get(0).name());
        assertEquals("t1", o.tenant);
        assertTrue(o.admin);
        assertEquals(Map.of("max_members", "5", "ipv6", "false"), o.settings(Optional.empty()));
        assertEquals(2048, o.maxBodyBytes);
        assertEquals("from-env", o.token().value());
        assertFalse(o.token().generated());
        assertEquals("explicit", parse(Optional.of("from-env"), "--token", "explicit").token().value());
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

    /** Runs {@code lbaas serve} with arguments that must be refused, and returns the one line it printed. */
    private static String message(String... args) {
        List<String> all = new ArrayList<>(List.of("serve", "--token", "t"));
        all.addAll(List.of(args));
        CliRun r = CliRun.run(all.toArray(String[]::new));
        assertEquals(2, r.exit(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        return r.err();
    }

    @Test
    @DisplayName("run answers 2 for a usage error and 0 for --help, without starting anything")
    void runExitCodes() throws IOException {
        CliRun usage = CliRun.run("serve", "--nope");
        assertEquals(2, usage.exit());
        assertTrue(usage.err().contains("see 'lbaas serve --help'"), usage::toString);
        CliRun help = CliRun.run("serve", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().startsWith("Usage: lbaas serve"), help::toString);
        CliRun noDriver = CliRun.run("serve", "--driver", "no-such-driver", "--port", "0", "--token", "t");
        assertEquals(1, noDriver.exit());
        assertTrue(noDriver.err().contains("no-such-driver"), noDriver::toString);
    }

    @Test
    @DisplayName("start serves the API with the driver, subnets, token and a durable store in the state directory")
    void startServes(@TempDir Path dir) throws Exception {
        Path subnets = dir.resolve("subnets.json");
        Files.writeString(subnets, SUBNETS);
        String[] args = {"--port", "0", "--driver", "in-memory", "--subnets", subnets.toString(), "--token", "s3cret",
            "--tenant", "tenant-x", "--state-dir", dir.resolve("state").toString()};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String poolId;
        try (ServeCommand.Running serve = parse(Optional.empty(), out, args).start()) {
            String announced = out.toString(StandardCharsets.UTF_8);
            assertTrue(announced.contains(serve.server().endpoint() + "/v2.0"), announced);
            assertTrue(announced.contains("OS_AUTH_TYPE=token_endpoint"), announced);
            assertFalse(announced.contains("s3cret"), "a token the user chose is not printed");
            HttpResponse<String> created = send(serve, "POST", "/v2.0/lb/pools", "{\"pool\": {\"subnet_id\": "
                    + "\"2f1f3a56-1b6c-4c53-9a0a-0a6f0d5f7c11\", \"protocol\": \"TCP\", \"lb_method\": \"ROUND_ROBIN\"}}");
            assertEquals(201, created.statusCode(), created.body());
            assertTrue(created.body().contains("\"tenant_id\":\"tenant-x\""), created.body());
            assertTrue(created.body().contains("\"provider\":\"in-memory\""), created.body());
            poolId = MAPPER.readTree(created.body()).get("pool").get("id").asText();
        }
        assertTrue(Files.isDirectory(dir.resolve("state").resolve("store")), "objects are kept in DIR/store");
        try (ServeCommand.Running again = parse(Optional.empty(), args).start()) {
            HttpResponse<String> shown = send(again, "GET", "/v2.0/lb/pools/" + poolId, null);
            assertEquals(200, shown.statusCode(), "the pool survived a restart: " + shown.body());
        }
    }

    @Test
    @DisplayName("--bind and --max-body-bytes reach the server (the old String[] round trip dropped the body limit)")
    void serverOptionsReachTheServer() throws Exception {
        try (ServeCommand.Running serve = parse(Optional.empty(), "--port", "0", "--bind", "127.0.0.1", "--driver", "in-memory",
                "--token", "s3cret", "--max-body-bytes", "64").start()) {
            assertEquals("127.0.0.1", serve.server().address().getAddress().getHostAddress());
            HttpResponse<String> tooLarge = send(serve, "POST", "/v2.0/lb/pools", "{\"pool\": {\"name\": \"" + "x".repeat(100) + "\"}}");
            assertEquals(413, tooLarge.statusCode(), tooLarge.body());
        }
    }

    /** Sends a request with the token {@code s3cret} to a running server. */
    static HttpResponse<String> send(ServeCommand.Running serve, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(serve.server().endpoint() + path)).header("X-Auth-Token", "s3cret");
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("--namespace-prefix, --bridge, --interface-driver and --driver-setting all reach the driver's config")
    void driverOptionsReachTheDriver(@TempDir Path dir) throws IOException {
        RecordingCliDriverProvider.CREATED.clear();
        ServeCommand c = parse(Optional.empty(), "--port", "0", "--driver", "recording-cli", "--token", "t", "--namespace-prefix",
                "qtest-", "--bridge", "br-test", "--interface-driver=noop", "--driver-setting", "max_members=7",
                "--driver-setting", "bridge=overridden-by-the-option", "--state-dir", dir.toString());
        Thread self = Thread.currentThread();
        ClassLoader before = self.getContextClassLoader();
        self.setContextClassLoader(ServeCommandTest.recordingLoader());
        try (ServeCommand.Running serve = c.start()) {
            assertTrue(serve.server().address().getPort() > 0, "started on a free port");
            assertEquals(1, RecordingCliDriverProvider.CREATED.size());
            assertEquals(Map.of("namespace_prefix", "qtest-", "bridge", "br-test", "interface_driver", "noop", "max_members", "7"),
                    RecordingCliDriverProvider.CREATED.get(0), "state_dir is set only for haproxy-ns");
        } finally {
            self.setContextClassLoader(before);
        }
        assertTrue(message("--bridge", " ").contains("--bridge"));
        assertTrue(message("--namespace-prefix").contains("needs a value"));
    }

    @Test
    @DisplayName("a driver that cannot start is one line on standard error, the stack trace only with --verbose")
    void startFailureIsOneLine() throws IOException {
        Thread self = Thread.currentThread();
        ClassLoader before = self.getContextClassLoader();
        self.setContextClassLoader(ServeCommandTest.recordingLoader());
        try {
            for (boolean verbose : new boolean[] {false, true}) {
                List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--driver", "recording-cli", "--token", "t",
                        "--driver-setting", "fail=haproxy: cannot bind socket [10.0.0.5:80]\n  second line of the failure"));
                if (verbose) {
                    args.add("--verbose");
                }
                CliRun r = CliRun.run(args.toArray(String[]::new));
                assertEquals(1, r.exit(), r::toString);
                List<String> lines = r.errLines();
                assertTrue(lines.get(0).startsWith("lbaas serve: cannot start: haproxy: cannot bind socket [10.0.0.5:80]; second line"),
                        lines.toString());
                if (verbose) {
                    assertTrue(lines.stream().anyMatch(l -> l.strip().startsWith("at ")), "--verbose shows the stack trace");
                } else {
                    assertEquals(1, lines.size(), lines.toString());
                }
            }
        } finally {
            self.setContextClassLoader(before);
        }
        CliRun r = CliRun.run("serve", "--port", "eighty");
        assertEquals(2, r.exit(), r::toString);
        assertEquals(List.of("lbaas serve: --port must be a number in 0..65535, not eighty"), r.errLines());
    }

    @Test
    @DisplayName("a port in use is one line, and Jetty logs no stack trace for it")
    void portInUse() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            PrintStream old = System.err;
            ByteArrayOutputStream logged = new ByteArrayOutputStream();
            System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
            CliRun r;
            try {
                r = CliRun.run("serve", "--port", String.valueOf(taken.getLocalPort()), "--driver", "in-memory", "--token", "t");
            } finally {
                System.setErr(old);
            }
            assertEquals(1, r.exit());
            List<String> lines = r.errLines();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), lines.toString());
            assertFalse(logged.toString(StandardCharsets.UTF_8).contains("\tat "), logged.toString(StandardCharsets.UTF_8));
        }
    }
}
