package org.lbaas.benchmarks.client;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The harness's HTTP client, run inside the client namespace ({@code ip netns exec NS java -cp ...
 * ClientAgent}) so that probing a VIP costs no process start. JDK only. It reads one command per
 * line on standard input and answers with one line on standard output:
 * <ul>
 *   <li>{@code probe HOST PORT TIMEOUT_MS}: repeats {@code GET /} on a new connection (200 ms
 *       connect timeout, 2 ms between attempts) until one answers {@code 200};
 *       answers {@code ok ATTEMPTS} or {@code fail ATTEMPTS LAST_ERROR}.</li>
 *   <li>{@code load HOST PORT KEEPALIVE CLOSE MAX_MS MAX_REQUESTS [READ_TIMEOUT_MS PAUSE_MS]}: starts
 *       {@code KEEPALIVE} loops that send requests back to back over keep-alive connections and
 *       {@code CLOSE} loops that open a new connection per request; stops by itself after
 *       {@code MAX_MS} or {@code MAX_REQUESTS} requests; answers {@code started}. A response must
 *       come within {@code READ_TIMEOUT_MS} (default 5000); a loop waits {@code PAUSE_MS} (default 0)
 *       after a failed request before the next.</li>
 *   <li>{@code get SOURCE HOST PORT TIMEOUT_MS PATH [COOKIE]}: one {@code GET PATH} on a new
 *       connection bound to the local address {@code SOURCE} ({@code -}: any), with the header
 *       {@code Cookie: COOKIE} when given, connect and read timeout {@code TIMEOUT_MS}; answers
 *       {@code ok STATUS BACKEND SET_COOKIE} (the {@code X-Backend} header and the first
 *       {@code name=value} of {@code Set-Cookie}, {@code -} when absent) or {@code fail REASON}.</li>
 *   <li>{@code await SOURCE HOST PORT TIMEOUT_MS MAX_MS}: repeats {@code GET /} on new connections
 *       (connect and read timeout {@code TIMEOUT_MS}, 2 ms between attempts) until one answers
 *       {@code 200} or {@code MAX_MS} passed; answers {@code ok END_NANOS ATTEMPTS}, where
 *       {@code END_NANOS} is {@link System#nanoTime()} when the answer was read (on Linux
 *       {@code CLOCK_MONOTONIC}, the same clock in every process), or {@code fail ATTEMPTS LAST_ERROR}.</li>
 *   <li>{@code clock}: answers {@code clock NANOS}, this process's {@link System#nanoTime()}, so that
 *       a caller can check that its clock is the same.</li>
 *   <li>{@code stop}: stops the load and answers
 *       {@code done OK FAILED reason=count,reason=count...}. A request fails when the connection
 *       cannot be opened, is closed or reset before a complete response, times out (5 s) or the
 *       status is not 200. A keep-alive loop reconnects only after a response that said
 *       {@code Connection: close}, or after a failure (which is counted): there is no retry.</li>
 *   <li>{@code quit} or end of input: exits.</li>
 * </ul>
 */
public final class ClientAgent {

    private static final int CONNECT_TIMEOUT_MS = 200;
    private static final int READ_TIMEOUT_MS = 5000;

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong budget = new AtomicLong();
    private final Map<String, AtomicLong> reasons = new ConcurrentHashMap<>();
    private final List<Thread> loops = new ArrayList<>();
    private volatile long stopAt;
    private volatile long loopSlack;

    private ClientAgent() {
    }

    /**
     * Runs the command loop on standard input and output.
     *
     * @param args none
     * @throws IOException if standard input or output fails
     * @throws InterruptedException if interrupted while stopping the load
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        ClientAgent agent = new ClientAgent();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)), true);
        out.println("ready");
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.trim().split("\\s+");
            try {
                switch (f[0]) {
                    case "probe" -> out.println(probe(f[1], Integer.parseInt(f[2]), Long.parseLong(f[3])));
                    case "load" -> out.println(agent.startLoad(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                            Integer.parseInt(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]),
                            f.length > 7 ? Integer.parseInt(f[7]) : READ_TIMEOUT_MS, f.length > 8 ? Long.parseLong(f[8]) : 0));
                    case "get" -> out.println(get(f[1], f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]), f[5],
                            f.length > 6 ? f[6] : null));
                    case "await" -> out.println(await(f[1], f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[4]),
                            Long.parseLong(f[5])));
                    case "clock" -> out.println("clock " + System.nanoTime());
                    case "stop" -> out.println(agent.stopLoad());
                    case "quit" -> {
                        agent.stopLoad();
                        return;
                    }
                    default -> out.println("error unknown command " + f[0]);
                }
            } catch (RuntimeException | InterruptedException e) {
                out.println("error " + e.toString().replace('\n', ' '));
            }
        }
        agent.stopLoad();
    }

    private static String probe(String host, int port, long timeoutMs) throws InterruptedException {
        String r = await("-", host, port, CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, timeoutMs);
        // ok END_NANOS ATTEMPTS -> ok ATTEMPTS
        return r.startsWith("ok ") ? "ok " + r.substring(r.lastIndexOf(' ') + 1) : r;
    }

    private static String get(String source, String host, int port, int timeoutMs, String path, String cookie) {
        try (Conn c = connect(source, host, port, timeoutMs, timeoutMs)) {
            Response r = exchange(c, host, path, true, cookie);
            return "ok " + r.status + " " + r.backend + " " + r.setCookie;
        } catch (IOException e) {
            return "fail " + reason(e);
        }
    }

    /** Repeats {@code GET /} on new connections until a 200: {@code ok END_NANOS ATTEMPTS} or {@code fail ATTEMPTS LAST}. */
    private static String await(String source, String host, int port, int connectMs, int readMs, long maxMs) throws InterruptedException {
        long deadline = System.nanoTime() + maxMs * 1_000_000L;
        int attempts = 0;
        String last = "none";
        while (true) {
            attempts++;
            try (Conn c = connect(source, host, port, connectMs, readMs)) {
                int status = exchange(c, host, "/", true, null).status;
                if (status == 200) {
                    return "ok " + System.nanoTime() + " " + attempts;
                }
                last = "status-" + status;
            } catch (IOException e) {
                last = reason(e);
            }
            if (System.nanoTime() > deadline) {
                return "fail " + attempts + " " + last;
            }
            Thread.sleep(2);
        }
    }

    private String startLoad(String host, int port, int keepAlive, int close, long maxMs, long maxRequests, int readTimeoutMs,
                             long pauseMs) {
        if (!running.compareAndSet(false, true)) {
            return "error load already running";
        }
        ok.set(0);
        failed.set(0);
        reasons.clear();
        budget.set(maxRequests);
        stopAt = System.nanoTime() + maxMs * 1_000_000L;
        loopSlack = Math.max(0, readTimeoutMs - READ_TIMEOUT_MS) + pauseMs;
        loops.clear();
        for (int i = 0; i < keepAlive + close; i++) {
            boolean ka = i < keepAlive;
            Thread t = new Thread(() -> loop(host, port, ka, readTimeoutMs, pauseMs), "load-" + i);
            t.setDaemon(true);
            loops.add(t);
            t.start();
        }
        return "started";
    }

    private String stopLoad() throws InterruptedException {
        running.set(false);
        for (Thread t : loops) {
            t.join(READ_TIMEOUT_MS + 2000L + loopSlack);
        }
        loops.clear();
        StringBuilder sb = new StringBuilder("done ").append(ok.get()).append(' ').append(failed.get()).append(' ');
        Map<String, Long> sorted = new TreeMap<>();
        reasons.forEach((k, v) -> sorted.put(k, v.get()));
        sb.append(sorted.isEmpty() ? "-" : String.join(",", sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        return sb.toString();
    }

    private boolean mayContinue() {
        return running.get() && System.nanoTime() < stopAt && budget.getAndDecrement() > 0;
    }

    private void loop(String host, int port, boolean keepAlive, int readTimeoutMs, long pauseMs) {
        Conn s = null;
        try {
            while (mayContinue()) {
                try {
                    if (s == null) {
                        s = connect(null, host, port, CONNECT_TIMEOUT_MS, readTimeoutMs);
                    }
                    Response r = exchange(s, host, "/load", !keepAlive, null);
                    if (r.status == 200) {
                        ok.incrementAndGet();
                    } else {
                        fail("status-" + r.status);
                        pause(pauseMs);
                    }
                    if (!keepAlive || r.close) {
                        closeQuietly(s);
                        s = null;
                    }
                } catch (IOException e) {
                    fail(reason(e));
                    closeQuietly(s);
                    s = null;
                    pause(pauseMs);
                }
            }
        } finally {
            closeQuietly(s);
        }
    }

    private static void pause(long ms) {
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void fail(String reason) {
        failed.incrementAndGet();
        reasons.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
    }

    /** A connection with its buffered input, kept across keep-alive requests. */
    private record Conn(Socket socket, InputStream in, OutputStream out) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static Conn connect(String source, String host, int port, int connectTimeoutMs, int readTimeoutMs) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(readTimeoutMs);
            if (source != null && !source.equals("-")) {
                s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            }
            s.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            return new Conn(s, new BufferedInputStream(s.getInputStream(), 8192), s.getOutputStream());
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** A response's status, whether the connection closes, its {@code X-Backend} and first {@code Set-Cookie} pair ({@code -} when absent). */
    private record Response(int status, boolean close, String backend, String setCookie) {
    }

    /** One request and its complete response (Content-Length bodies; HAProxy and the backends send them). */
    private static Response exchange(Conn c, String host, String path, boolean close, String cookie) throws IOException {
        OutputStream out = c.out();
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: lbaas-bench\r\n"
                + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + (close ? "Connection: close\r\n" : "") + "\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = c.in();
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new IOException("eof-before-response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("bad-status-line");
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean connectionClose = statusLine.startsWith("HTTP/1.0");
        String backend = "-";
        String setCookie = "-";
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("connection")) {
                connectionClose = value.equalsIgnoreCase("close");
            } else if (name.equals("x-backend") && !value.isEmpty()) {
                backend = value.replaceAll("\\s+", "_");
            } else if (name.equals("set-cookie") && setCookie.equals("-") && !value.isEmpty()) {
                setCookie = value.split(";", 2)[0].trim().replaceAll("\\s+", "_");
            }
        }
        if (line == null) {
            throw new IOException("eof-in-headers");
        }
        if (length < 0) {
            // no length: the body ends with the connection
            while (in.read() >= 0) {
                // drain
            }
            return new Response(status, true, backend, setCookie);
        }
        for (long i = 0; i < length; i++) {
            if (in.read() < 0) {
                throw new IOException("eof-in-body");
            }
        }
        return new Response(status, connectionClose || close, backend, setCookie);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static String reason(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.equals("eof-before-response") || m.equals("eof-in-headers") || m.equals("eof-in-body") || m.equals("bad-status-line")) {
            return m;
        }
        String cls = e.getClass().getSimpleName();
        String text = (cls + "-" + m).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return text.length() > 60 ? text.substring(0, 60) : text;
    }

    private static void closeQuietly(Conn c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
