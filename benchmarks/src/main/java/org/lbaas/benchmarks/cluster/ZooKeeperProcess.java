package org.lbaas.benchmarks.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.lbaas.cluster.EmbeddedZooKeeper;

/**
 * An {@link EmbeddedZooKeeper} alone in a JVM of its own, so that its heap and resident memory are
 * the server's and nothing else's. The child prints {@code ready CONNECT}, then answers
 * {@code heap} on its standard input with {@code heap USED COMMITTED} (bytes, after a full GC) and
 * stops on {@code quit} or end of input. The parent reads the child's RSS from {@code /proc} and
 * ZooKeeper's own figures through the {@code mntr} four-letter word.
 */
final class ZooKeeperProcess implements AutoCloseable {

    private final Process process;
    private final BufferedReader in;
    private final PrintWriter out;
    final String connect;

    private ZooKeeperProcess(Process process, BufferedReader in, PrintWriter out, String connect) {
        this.process = process;
        this.in = in;
        this.out = out;
        this.connect = connect;
    }

    /**
     * The child's entry point.
     *
     * @param args the data directory, the tick in milliseconds
     * @throws IOException when standard input fails
     */
    public static void main(String[] args) throws IOException {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(Path.of(args[0]), 0, Duration.ofMillis(Long.parseLong(args[1])))) {
            System.out.println("ready " + zk.connectString());
            System.out.flush();
            BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null && !line.equals("quit"); line = r.readLine()) {
                if (line.equals("heap")) {
                    System.gc();
                    System.gc();
                    MemoryUsage h = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                    System.out.println("heap " + h.getUsed() + " " + h.getCommitted());
                } else {
                    System.out.println("error unknown command " + line);
                }
                System.out.flush();
            }
        }
    }

    /** The smallest tick that allows the session timeout (at most 20 ticks), at least the embedded default. */
    static Duration tickFor(Duration session) {
        return Duration.ofMillis(Math.max(EmbeddedZooKeeper.DEFAULT_TICK.toMillis(), (session.toMillis() + 19) / 20));
    }

    /**
     * Starts the child on this JVM's class path and waits until it serves.
     *
     * @param dataDir the server's data directory
     * @param tick the server's tick (sessions of 2 to 20 ticks)
     * @param log where the child's standard error goes
     * @return the running child
     */
    static ZooKeeperProcess start(Path dataDir, Duration tick, Path log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), ZooKeeperProcess.class.getName(), dataDir.toString(),
                Long.toString(tick.toMillis()))
                .redirectError(log.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the ZooKeeper JVM: " + e.getMessage(), e);
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
        try {
            String line = in.readLine();
            if (line == null || !line.startsWith("ready ")) {
                p.destroyForcibly();
                throw new IllegalStateException("the ZooKeeper JVM did not start (it said " + line + "); its log: "
                        + tail(log));
            }
            return new ZooKeeperProcess(p, in, out, line.substring("ready ".length()).strip());
        } catch (IOException e) {
            p.destroyForcibly();
            throw new UncheckedIOException("the ZooKeeper JVM: " + e.getMessage(), e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    long pid() {
        return process.pid();
    }

    /** The child's heap after a full GC, used and committed, in bytes. */
    synchronized long[] heap() {
        out.println("heap");
        try {
            String[] f = String.valueOf(in.readLine()).split(" ");
            if (f.length != 3 || !f[0].equals("heap")) {
                throw new IllegalStateException("the ZooKeeper JVM answered " + String.join(" ", f));
            }
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The child's resident set, in bytes ({@code VmRSS} of {@code /proc/PID/status}). */
    long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/" + pid() + "/status");
    }

    /** ZooKeeper's {@code mntr} figures ({@code zk_znode_count}, {@code zk_approximate_data_size}, ...). */
    Map<String, String> mntr() {
        String[] hp = connect.split(":");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("mntr".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            Map<String, String> m = new LinkedHashMap<>();
            for (String line : new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String[] kv = line.split("\t", 2);
                if (kv.length == 2) {
                    m.put(kv[0], kv[1].strip());
                }
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("mntr on " + connect + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        out.println("quit");
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
