package org.lbaas.driver.haproxy.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.lab.netns.HostCheck;

/**
 * Proves the emitter against the real HAProxy 2.6 parser. A configuration is built from hostile
 * strings, checked with {@code haproxy -dW -c} (zero-warning mode), then run on loopback: every
 * value is echoed back by an {@code http-request return} rule guarded by its own path, so each
 * answer proves both that the value arrived byte for byte and that its rule kept its condition (a
 * stray {@code #}, an extra word or an extra line would change which rule answers, or make the check
 * fail). Needs the {@code haproxy} binary; CI installs it.
 */
@Tag("live")
class HaproxyParserLiveTest {

    /** Values that survive validation and contain everything the line parser treats specially. */
    static final List<String> HOSTILE = List.of(
            "plain", "a b", "  two  spaces  ", "a#b", "#", "# comment", "a\"b", "\"", "'", "a'b", "''", "$HOME", "${HOME}",
            "$LBT_PROBE", "${LBT_UNSET-dflt}", "$", "a$", "a\\b", "\\", "\\\\", "trailing\\", "\\n", "\\r", "\\x41", "\\x00",
            "\\#", "\\$", "\\'", "\\\"", "%[src]", "%%", "%", ",)", "(x)", "-m", "--", ".if 1", ".diag \"x\"",
            "server evil 127.0.0.1:1", "} if TRUE {", "x if { path / }", "\" if TRUE #", "' #", "日本語 é", "emoji \ud83d\ude00",
            "tab-less\u00a0nbsp", "{", "}", "!", "=", ";", "`id`", "x".repeat(4000));

    /**
     * Cookie names: every RFC 6265 token character, plus names that need both escaping levels. The
     * last one starts with {@code $}: HAProxy's cookie parser skips such names (RFC 2965
     * attributes such as {@code $Version}), so it is never found although the fetch is correct.
     */
    static final List<String> COOKIE_NAMES = List.of(
            "APPSESS", "JSESSIONID", "a.b-c_d", "x!#$%&'*+^`|~y", "a$HOME", "a#b", "a'b", "`", "%", "~", "$HOME");

    /** Regex, a path it must match, a path it must not match. */
    static final List<String[]> REGEXES = List.of(
            new String[] {"^/re/[0-9]+$", "/re/123", "/re/12a"},
            new String[] {"^/re/a'b$", "/re/a'b", "/re/ab"},
            new String[] {"^/re/\\$lit\\w$", "/re/$litx", "/re/lit"},
            new String[] {"^/re/(x|y),z$", "/re/y,z", "/re/q,z"},
            new String[] {"^/re/h#?$", "/re/h", "/re/hh"});

    @TempDir
    Path dir;

    static Path haproxy() {
        return HostCheck.program("haproxy").orElseGet(() -> fail("haproxy is required for live tests (apt-get install -y haproxy)"));
    }

    /** Runs {@code haproxy -dW -c -f file}; returns its combined output after asserting success. */
    static String checkZeroWarning(Path config) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(haproxy().toString(), "-dW", "-c", "-f", config.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "haproxy -c did not finish");
        assertEquals(0, p.exitValue(), out);
        assertEquals("Configuration file is valid", out.strip(), "warnings or alerts: " + out);
        return out;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Token path(String p) {
        return Token.httpUri(p);
    }

    private static Token kw(String k) {
        return Token.keyword(k);
    }

    private static List<Token> returning(Token body, String... condition) {
        List<Token> args = new ArrayList<>(List.of(kw("return"), kw("status"), Token.number(200), kw("content-type"),
                kw("text/plain"), kw("string"), body, kw("if")));
        for (String c : condition) {
            args.add(kw(c));
        }
        return args;
    }

    private static HaproxyConfig echoConfig(int port) {
        HaproxyConfig.Builder b = HaproxyConfig.builder();
        b.global().add("nbthread", Token.number(1));
        b.defaults()
                .add("mode", kw("http"))
                .add("timeout", kw("connect"), Token.duration(Duration.ofSeconds(1)))
                .add("timeout", kw("client"), Token.duration(Duration.ofSeconds(5)))
                .add("timeout", kw("server"), Token.duration(Duration.ofSeconds(5)));
        Section.Builder fe = b.frontend(Token.ident("echo"));
        fe.add("bind", Token.address("127.0.0.1", port));
        for (int i = 0; i < HOSTILE.size(); i++) {
            String v = HOSTILE.get(i);
            fe.add("acl", kw("q" + i), kw("path"), path("/q/" + i));
            fe.add("http-request", returning(Token.quoted(v), "q" + i));
            fe.add("acl", kw("l" + i), kw("path"), path("/l/" + i));
            fe.add("http-request", kw("return"), kw("status"), Token.number(200), kw("content-type"), kw("text/plain"),
                    kw("lf-string"), Token.logFormatLiteral(v), kw("if"), kw("l" + i));
            // sample-fetch arguments are capped at 1024 characters
            String fv = v.length() > Token.MAX_FETCH_ARG ? v.substring(0, Token.MAX_FETCH_ARG) : v;
            fe.add("http-request", kw("set-var(txn.s" + i + ")"), Token.sampleFetch("str", fv));
            fe.add("acl", kw("s" + i), kw("path"), path("/s/" + i));
            fe.add("acl", kw("m" + i), kw("var(txn.s" + i + ")"), kw("-m"), kw("str"), kw("--"), Token.quoted(fv));
            fe.add("http-request", returning(Token.quoted("same"), "s" + i, "m" + i));
            fe.add("http-request", returning(Token.quoted("different"), "s" + i));
        }
        for (int i = 0; i < COOKIE_NAMES.size(); i++) {
            fe.add("acl", kw("c" + i), kw("path"), path("/c/" + i));
            fe.add("acl", kw("cv" + i), Token.sampleFetch("req.cook", COOKIE_NAMES.get(i)), kw("-m"), kw("str"), kw("--"),
                    Token.quoted("VAL" + i));
            fe.add("http-request", returning(Token.quoted("found"), "c" + i, "cv" + i));
            fe.add("http-request", returning(Token.quoted("missing"), "c" + i));
        }
        for (int i = 0; i < REGEXES.size(); i++) {
            fe.add("acl", kw("r" + i), kw("path"), kw("-m"), kw("reg"), Token.regex(REGEXES.get(i)[0]));
            fe.add("http-request", returning(Token.quoted("regex" + i), "r" + i));
        }
        fe.add("http-request", kw("return"), kw("status"), Token.number(404), kw("content-type"), kw("text/plain"),
                kw("string"), Token.quoted("nomatch"));
        return b.build();
    }

    /** One HTTP/1.0 exchange; returns "status body". */
    private static String get(int port, String target, String cookieHeader) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(5000);
            StringBuilder req = new StringBuilder("GET ").append(target).append(" HTTP/1.0\r\nHost: lbt\r\n");
            if (cookieHeader != null) {
                req.append("Cookie: ").append(cookieHeader).append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.UTF_8);
            int headerEnd = response.indexOf("\r\n\r\n");
            assertTrue(headerEnd > 0, response);
            String status = response.substring(9, 12);
            return status + " " + response.substring(headerEnd + 4);
        }
    }

    private static void awaitListening(int port, Process process) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("haproxy exited: " + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        fail("haproxy did not listen on " + port);
    }

    @Test
    void hostileValuesReachHaproxyByteForByteAndEveryRuleKeepsItsCondition() throws Exception {
        int port = freeLoopbackPort();
        Path config = dir.resolve("echo.cfg");
        Files.writeString(config, echoConfig(port).render(), StandardCharsets.UTF_8);
        checkZeroWarning(config);

        ProcessBuilder pb = new ProcessBuilder(haproxy().toString(), "-db", "-f", config.toString()).redirectErrorStream(true);
        pb.environment().put("LBT_PROBE", "EXPANDED");
        pb.environment().remove("LBT_UNSET");
        Process process = pb.start();
        try {
            awaitListening(port, process);
            for (int i = 0; i < HOSTILE.size(); i++) {
                String v = HOSTILE.get(i);
                String shown = InvalidTokenException.preview(v);
                assertEquals("200 " + v, get(port, "/q/" + i, null), "quoted string " + shown);
                assertEquals("200 " + v, get(port, "/l/" + i, null), "log-format literal " + shown);
                assertEquals("200 same", get(port, "/s/" + i, null), "sample-fetch argument " + shown);
            }
            for (int i = 0; i < COOKIE_NAMES.size(); i++) {
                String name = COOKIE_NAMES.get(i);
                String expected = name.startsWith("$") ? "200 missing" : "200 found";
                assertEquals(expected, get(port, "/c/" + i, "zz=0; " + name + "=VAL" + i + "; yy=1"), "cookie " + name);
                assertEquals("200 missing", get(port, "/c/" + i, "zz=0; " + name + "x=VAL" + i), "cookie " + name + "x");
            }
            for (int i = 0; i < REGEXES.size(); i++) {
                assertEquals("200 regex" + i, get(port, REGEXES.get(i)[1], null), "regex " + REGEXES.get(i)[0]);
                assertEquals("404 nomatch", get(port, REGEXES.get(i)[2], null), "regex " + REGEXES.get(i)[0]);
            }
            assertEquals("404 nomatch", get(port, "/nothing", null));
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void realisticDirectivesWithHostileValuesPassTheZeroWarningCheck() throws Exception {
        Path sockDir = Files.createDirectories(dir.resolve("state dir $x"));
        HaproxyConfig.Builder b = HaproxyConfig.builder();
        b.global()
                .add("daemon")
                .add("nbthread", Token.number(1))
                .add("maxconn", Token.number(4000))
                .add("user", kw("nobody"))
                .add("group", kw("nogroup"))
                .add("stats", kw("socket"), Token.socketPath(sockDir.resolve("s.sock").toString()), kw("mode"), Token.number(600),
                        kw("level"), kw("admin"), kw("expose-fd"), kw("listeners"))
                .add("log", Token.address("127.0.0.1", 514), kw("local0"))
                .add("log", Token.path(dir.resolve("log sock #1").toString()), kw("local1"))
                .add("hard-stop-after", Token.duration(Duration.ofSeconds(30)));
        b.defaults()
                .add("log", kw("global"))
                .add("timeout", kw("connect"), Token.duration(Duration.ofSeconds(5)))
                .add("timeout", kw("client"), Token.duration(Duration.ofSeconds(50)))
                .add("timeout", kw("server"), Token.duration(Duration.ofSeconds(50)));
        String[] uris = {"/", "/health", "/p?a=$b&c='d'", "/x#y", "/%41(x),y;z=@:!*+~", "/a\"b\\c", "/$HOME"};
        for (int i = 0; i < COOKIE_NAMES.size(); i++) {
            Token fe = Token.ident("4f1b8a3e-5c1d-4e2b-9a7f-0000000000f" + i);
            Token be = Token.ident("4f1b8a3e-5c1d-4e2b-9a7f-0000000000b" + i);
            b.frontend(fe)
                    .add("mode", kw("http"))
                    .add("option", kw("httplog"))
                    .add("option", kw("forwardfor"))
                    .add("option", kw("idle-close-on-response"))
                    .add("bind", i % 2 == 0 ? Token.address("127.0.0.1", 20000 + i) : Token.address("::1", 20000 + i))
                    .add("maxconn", Token.number(1000))
                    .add("default_backend", be);
            Section.Builder backend = b.backend(be)
                    .add("mode", kw("http"))
                    .add("balance", kw("roundrobin"))
                    .add("stick-table", kw("type"), kw("string"), kw("len"), Token.number(64), kw("size"), Token.number(102400),
                            kw("expire"), Token.duration(Duration.ofMinutes(30)))
                    .add("stick", kw("store-response"), Token.sampleFetch("res.cook", COOKIE_NAMES.get(i)))
                    .add("stick", kw("match"), Token.sampleFetch("req.cook", COOKIE_NAMES.get(i)))
                    .add("timeout", kw("check"), Token.duration(Duration.ofSeconds(2)))
                    .add("option", kw("httpchk"));
            for (String uri : uris) {
                backend.add("http-check", kw("connect"))
                        .add("http-check", kw("send"), kw("meth"), kw("GET"), kw("uri"), Token.httpUri(uri + i), kw("ver"),
                                kw("HTTP/1.1"), kw("hdr"), kw("Host"), Token.logFormatLiteral("%[src] $HOME #" + i))
                        .add("http-check", kw("expect"), kw("status"), Token.statusCodes("200-204,301"));
            }
            backend.add("http-check", kw("connect"), kw("ssl"))
                    .add("http-check", kw("send"), kw("meth"), kw("HEAD"), kw("uri"), Token.httpUri("/tls"), kw("ver"),
                            kw("HTTP/1.1"), kw("hdr"), kw("Host"), Token.logFormatLiteral("h"))
                    .add("http-check", kw("expect"), kw("rstatus"), Token.regex("^(200|202)$"));
            for (int m = 0; m < 3; m++) {
                String id = "4f1b8a3e-5c1d-4e2b-9a7f-00000000000" + m;
                backend.add("server", Token.ident(id), m == 2 ? Token.address("2001:db8::7", 8080) : Token.address("10.0.0." + m, 80),
                        kw("weight"), Token.number(m == 0 ? 0 : 256), kw("check"), kw("verify"), kw("none"), kw("inter"),
                        Token.duration(Duration.ofMillis(1500)), kw("fall"), Token.number(3), kw("rise"), Token.number(2));
            }
        }
        Path config = dir.resolve("realistic.cfg");
        Files.writeString(config, b.build().render(), StandardCharsets.UTF_8);
        checkZeroWarning(config);
    }
}
