package org.lbaas.lab.backend;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A small real HTTP server that test load balancers can send traffic to: it reports its own name,
 * sets application cookies on request, can be told to fail its health check, can answer slowly,
 * and counts what it saw. Built on the JDK's {@code com.sun.net.httpserver}; no other dependency,
 * so {@link #main(String[])} runs from the network lab classes alone, for instance inside a network
 * namespace (see {@link TestBackendProcess}).
 *
 * <h2>HTTP interface</h2>
 * Every response carries the header {@code X-Backend: <name>}.
 * <ul>
 *   <li>{@code /health}: {@code 200 ok} while healthy, {@code 503 unhealthy} after
 *       {@code /control/fail}; counted as a health check, not as a request.</li>
 *   <li>{@code /control/fail}, {@code /control/recover}: make {@code /health} fail or pass.</li>
 *   <li>{@code /control/stats}: JSON
 *       {@code {"name":..,"healthy":..,"requests":..,"healthChecks":..,"inFlight":..,"openConnections":..}};
 *       {@code openConnections} counts established TCP connections to this server's port in its
 *       network namespace, including the one carrying this request ({@code -1} where
 *       {@code /proc/self/net/tcp} cannot be read).</li>
 *   <li>{@code /control/reset}: zeroes the counters.</li>
 *   <li>any other path: {@code 200} with body {@code <name>\n}, counted as a request. With
 *       {@code ?name=X} on {@code /setcookie}, or with a configured cookie name on every such
 *       response, the response sets the application cookie {@code X=<name>-<counter>}
 *       ({@code Path=/}). {@code /slow?ms=N} waits N milliseconds (at most 60000) before
 *       answering, holding its connection open.</li>
 * </ul>
 * {@code HEAD} requests get the same status and headers without a body.
 *
 * <h2>Command line</h2>
 * {@code TestBackend --name NAME [--bind ADDRESS] [--port PORT] [--cookie COOKIE] [--exit-with PID]}:
 * binds {@code ADDRESS:PORT} (default {@code 0.0.0.0:8080}; port 0 picks a free port), then
 * prints one line {@code READY <name> <port>} to standard output. {@code --exit-with} makes it
 * exit when that process is gone. It stops on SIGTERM.
 */
public final class TestBackend implements AutoCloseable {

    /** Names are restricted so they can appear in JSON, headers and cookie values unescaped. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern COOKIE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final long MAX_SLOW_MILLIS = 60_000;

    private final Options options;
    private final HttpServer server;
    private final ExecutorService workers;
    private final AtomicBoolean healthy = new AtomicBoolean(true);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong healthChecks = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong cookieCounter = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * What a backend is started with.
     *
     * @param name the name it reports: letters, digits, {@code . _ -}, at most 63 characters
     * @param bindAddress the address to listen on ({@code 0.0.0.0}, {@code ::} for both families,
     *     or one address)
     * @param port the TCP port, 0 for any free port
     * @param cookieName if present, every ordinary response sets this application cookie
     */
    public record Options(String name, InetAddress bindAddress, int port, Optional<String> cookieName) {

        /**
         * Checks the components.
         *
         * @param name the reported name
         * @param bindAddress the listening address
         * @param port the port, 0 for any
         * @param cookieName the cookie set on every ordinary response, if any
         * @throws IllegalArgumentException for an invalid name, port or cookie name
         */
        public Options {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(cookieName, "cookieName");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid backend name: " + name);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("invalid port: " + port);
            }
            cookieName.ifPresent(c -> {
                if (!COOKIE_NAME.matcher(c).matches()) {
                    throw new IllegalArgumentException("invalid cookie name: " + c);
                }
            });
        }

        /**
         * Options with the given name and address, and no cookie.
         *
         * @param name the backend's name
         * @param bindAddress the listening address
         * @param port the port, 0 for any free port
         * @return the options
         */
        public static Options of(String name, InetAddress bindAddress, int port) {
            return new Options(name, bindAddress, port, Optional.empty());
        }

        /**
         * These options with a cookie set on every ordinary response.
         *
         * @param cookie the cookie name
         * @return new options
         */
        public Options withCookie(String cookie) {
            return new Options(name, bindAddress, port, Optional.of(cookie));
        }
    }

    private TestBackend(Options options) throws IOException {
        this.options = options;
        this.server = HttpServer.create(new InetSocketAddress(options.bindAddress(), options.port()), 128);
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-backend-" + options.name());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
    }

    /**
     * Binds and starts a backend in this JVM.
     *
     * @param options what to start
     * @return the running backend; close it to stop
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static TestBackend start(Options options) {
        Objects.requireNonNull(options, "options");
        try {
            TestBackend backend = new TestBackend(options);
            backend.server.start();
            return backend;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + options.bindAddress().getHostAddress() + ":" + options.port(), e);
        }
    }

    /**
     * The name this backend reports.
     *
     * @return the name
     */
    public String name() {
        return options.name();
    }

    /**
     * The port it listens on (the chosen one if started with port 0).
     *
     * @return the port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Whether {@code /health} currently answers 200.
     *
     * @return the health state
     */
    public boolean isHealthy() {
        return healthy.get();
    }

    /**
     * Makes {@code /health} answer 200 ({@code true}) or 503 ({@code false}).
     *
     * @param value the new health state
     */
    public void setHealthy(boolean value) {
        healthy.set(value);
    }

    /**
     * Ordinary requests answered so far (neither health checks nor control requests).
     *
     * @return the count
     */
    public long requests() {
        return requests.get();
    }

    /**
     * Health checks answered so far.
     *
     * @return the count
     */
    public long healthChecks() {
        return healthChecks.get();
    }

    /**
     * Requests being handled right now.
     *
     * @return the count
     */
    public long inFlight() {
        return inFlight.get();
    }

    /**
     * Established TCP connections to this server's port in the current network namespace.
     *
     * @return the count, or empty if {@code /proc/self/net/tcp} cannot be read
     */
    public OptionalLong openConnections() {
        return countEstablished(port());
    }

    /** Stops listening and ends all handler threads; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            workers.shutdownNow();
        }
    }

    private record Answer(int status, String body, String contentType) {
        static Answer text(int status, String body) {
            return new Answer(status, body, "text/plain");
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        boolean counted = true;
        try {
            try (InputStream body = exchange.getRequestBody()) {
                body.transferTo(OutputStream.nullOutputStream());
            }
            exchange.getResponseHeaders().set("X-Backend", options.name());
            Answer answer = answer(exchange);
            // No longer in flight once the answer is decided: a client that has read the
            // response must never see it counted.
            inFlight.decrementAndGet();
            counted = false;
            respond(exchange, answer);
        } finally {
            if (counted) {
                inFlight.decrementAndGet();
            }
            exchange.close();
        }
    }

    private Answer answer(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        switch (path) {
            case "/health" -> {
                healthChecks.incrementAndGet();
                boolean ok = healthy.get();
                return Answer.text(ok ? 200 : 503, ok ? "ok\n" : "unhealthy\n");
            }
            case "/control/fail" -> {
                healthy.set(false);
                return Answer.text(200, "unhealthy\n");
            }
            case "/control/recover" -> {
                healthy.set(true);
                return Answer.text(200, "healthy\n");
            }
            case "/control/reset" -> {
                requests.set(0);
                healthChecks.set(0);
                return Answer.text(200, "reset\n");
            }
            case "/control/stats" -> {
                return new Answer(200, statsJson(), "application/json");
            }
            default -> {
                return ordinary(exchange, path, query);
            }
        }
    }

    private Answer ordinary(HttpExchange exchange, String path, Map<String, String> query) {
        requests.incrementAndGet();
        if (path.equals("/slow")) {
            long ms = parseLong(query.get("ms")).orElse(1000);
            try {
                Thread.sleep(Math.max(0, Math.min(ms, MAX_SLOW_MILLIS)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Answer.text(503, "interrupted\n");
            }
        }
        Optional<String> cookie = options.cookieName();
        if (path.equals("/setcookie") && query.containsKey("name") && COOKIE_NAME.matcher(query.get("name")).matches()) {
            cookie = Optional.of(query.get("name"));
        }
        cookie.ifPresent(c -> exchange.getResponseHeaders().add("Set-Cookie",
                c + "=" + options.name() + "-" + cookieCounter.incrementAndGet() + "; Path=/"));
        return Answer.text(200, options.name() + "\n");
    }

    private String statsJson() {
        return "{\"name\":\"" + options.name() + "\",\"healthy\":" + healthy.get()
                + ",\"requests\":" + requests.get() + ",\"healthChecks\":" + healthChecks.get()
                + ",\"inFlight\":" + inFlight.get()
                + ",\"openConnections\":" + openConnections().orElse(-1) + "}\n";
    }

    private static void respond(HttpExchange exchange, Answer answer) throws IOException {
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType() + "; charset=utf-8");
        if (exchange.getRequestMethod().equalsIgnoreCase("HEAD")) {
            exchange.sendResponseHeaders(answer.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> result = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return result;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                result.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // malformed escape: ignore this parameter
            }
        }
        return result;
    }

    private static OptionalLong parseLong(String s) {
        if (s == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Counts ESTABLISHED (state 01) sockets whose local port is {@code port}, IPv4 and IPv6. */
    static OptionalLong countEstablished(int port) {
        long count = 0;
        boolean readAny = false;
        for (String file : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            Path p = Path.of(file);
            if (!Files.isReadable(p)) {
                continue;
            }
            try {
                List<String> lines = Files.readAllLines(p, StandardCharsets.US_ASCII);
                readAny = true;
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 4 || !f[3].equals("01")) {
                        continue;
                    }
                    int colon = f[1].lastIndexOf(':');
                    if (colon >= 0 && Integer.parseInt(f[1].substring(colon + 1), 16) == port) {
                        count++;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // unreadable or unexpected format: treat as not available
            }
        }
        return readAny ? OptionalLong.of(count) : OptionalLong.empty();
    }

    /**
     * Runs a backend until SIGTERM; see the class comment for the arguments.
     *
     * @param args the command line
     * @throws Exception if the arguments are invalid or the address cannot be bound
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> flags = parseFlags(args);
        String name = required(flags, "--name");
        InetAddress bind = InetAddress.getByName(flags.getOrDefault("--bind", "0.0.0.0"));
        int port = Integer.parseInt(flags.getOrDefault("--port", "8080"));
        Options options = new Options(name, bind, port, Optional.ofNullable(flags.get("--cookie")));
        OptionalInt exitWith = flags.containsKey("--exit-with")
                ? OptionalInt.of(Integer.parseInt(flags.get("--exit-with"))) : OptionalInt.empty();

        TestBackend backend = start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            backend.close();
            stopped.countDown();
        }, "test-backend-shutdown"));
        PrintStream out = System.out;
        out.println("READY " + name + " " + backend.port());
        out.flush();
        if (exitWith.isPresent()) {
            long parent = exitWith.getAsInt();
            while (!stopped.await(500, TimeUnit.MILLISECONDS)) {
                if (ProcessHandle.of(parent).filter(ProcessHandle::isAlive).isEmpty()) {
                    out.println("parent " + parent + " is gone; exiting");
                    System.exit(0);
                }
            }
        } else {
            stopped.await();
        }
    }

    private static Map<String, String> parseFlags(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (!List.of("--name", "--bind", "--port", "--cookie", "--exit-with").contains(flag) || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: TestBackend --name NAME [--bind ADDRESS] [--port PORT]"
                        + " [--cookie COOKIE] [--exit-with PID]; bad argument: " + flag.toLowerCase(Locale.ROOT));
            }
            flags.put(flag, args[++i]);
        }
        return flags;
    }

    private static String required(Map<String, String> flags, String flag) {
        String value = flags.get(flag);
        if (value == null) {
            throw new IllegalArgumentException("missing " + flag);
        }
        return value;
    }
}
