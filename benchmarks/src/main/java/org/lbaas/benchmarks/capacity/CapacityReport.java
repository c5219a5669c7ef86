package org.lbaas.benchmarks.capacity;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.lbaas.benchmarks.capacity.CapacityResult.Instance;
import org.lbaas.benchmarks.capacity.CapacityResult.Snapshot;

/**
 * Turns a {@link CapacityResult} into tables (per decile of N: median and p95 of each per-instance
 * figure, plus the node snapshot at the end of the decile), a summary against the targets of
 * issue 8 (with an active/standby section when the load balancers were pairs, issue 14), CSV and
 * markdown files ({@code ha.csv} for pairs), and a PNG plot drawn with {@code java.awt} (headless).
 */
public final class CapacityReport {

    private CapacityReport() {
    }

    /** Median and p95 of one figure over one decile. */
    record Decile(int from, int to, double latencyMedian, double latencyP95, double deployMedian, double deployP95,
                  double rssMedian, double rssP95, double pssMedian, double pssP95, double fdsMedian, Snapshot snapshot,
                  double lbHaproxyPssMedian, double lbKeepalivedPssMedian) {
    }

    static List<Decile> deciles(CapacityResult r) {
        List<Decile> out = new ArrayList<>();
        int n = r.instances().size();
        if (n == 0) {
            return out;
        }
        for (int d = 0; d < 10; d++) {
            int from = (int) ((long) n * d / 10);
            int to = (int) ((long) n * (d + 1) / 10);
            if (to <= from) {
                continue;
            }
            List<Instance> part = r.instances().subList(from, to);
            Snapshot snap = null;
            for (Snapshot s : r.snapshots()) {
                if (s.count() >= to) {
                    snap = s;
                    break;
                }
            }
            out.add(new Decile(from + 1, to, pct(part, Instance::createToServingMs, 50), pct(part, Instance::createToServingMs, 95),
                    pct(part, Instance::deployMs, 50), pct(part, Instance::deployMs, 95),
                    pct(part, Instance::rssKib, 50), pct(part, Instance::rssKib, 95),
                    pct(part, Instance::pssKib, 50), pct(part, Instance::pssKib, 95), pct(part, Instance::fds, 50), snap,
                    pct(part, Instance::haproxyPssKib, 50), pct(part, Instance::keepalivedPssKib, 50)));
        }
        return out;
    }

    static double pct(List<Instance> part, ToDoubleFunction<Instance> f, int p) {
        double[] v = part.stream().mapToDouble(f).filter(x -> x >= 0 && Double.isFinite(x)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p / 100.0 * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, idx))];
    }

    /**
     * The per-decile table as markdown; for pairs with two more columns: the median per load
     * balancer of the PSS of both its HAProxy and of all its keepalived processes.
     */
    static String decileMarkdown(CapacityResult r) {
        boolean pairs = r.ha().isPresent();
        StringBuilder sb = new StringBuilder();
        sb.append("| LBs | create→serving median / p95 (ms) | deploy median / p95 (ms) | HAProxy RSS median / p95 (KiB)"
                + " | HAProxy PSS median / p95 (KiB) | fds per HAProxy | mean PSS of all at end (KiB) | JVM heap (MiB) | JVM fds |"
                + (pairs ? " PSS per LB: 2 HAProxy median (KiB) | PSS per LB: 4 keepalived median (KiB) |" : "") + "\n");
        sb.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |" + (pairs ? " --- | --- |" : "") + "\n");
        for (Decile d : deciles(r)) {
            Snapshot s = d.snapshot();
            sb.append(String.format(Locale.ROOT, "| %d–%d | %.0f / %.0f | %.0f / %.0f | %.0f / %.0f | %.0f / %.0f | %.0f | %s | %s | %s |",
                    d.from(), d.to(), d.latencyMedian(), d.latencyP95(), d.deployMedian(), d.deployP95(), d.rssMedian(), d.rssP95(),
                    d.pssMedian(), d.pssP95(), d.fdsMedian(),
                    s == null ? "" : String.format(Locale.ROOT, "%.0f", s.meanPssKib()),
                    s == null ? "" : String.format(Locale.ROOT, "%.1f", s.heapUsedKib() / 1024.0),
                    s == null ? "" : Integer.toString(s.jvmFds())));
            if (pairs) {
                sb.append(f(" %.0f | %.0f |", d.lbHaproxyPssMedian(), d.lbKeepalivedPssMedian()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The summary against the targets as markdown. */
    static String summaryMarkdown(CapacityResult r) {
        List<Decile> ds = deciles(r);
        double first = ds.isEmpty() ? Double.NaN : ds.get(0).latencyMedian();
        double last = ds.isEmpty() ? Double.NaN : ds.get(ds.size() - 1).latencyMedian();
        Snapshot end = r.snapshots().isEmpty() ? null : r.snapshots().get(r.snapshots().size() - 1);
        double pssMiB = end == null ? Double.NaN : end.meanPssKib() / 1024;
        double rssMiB = end == null ? Double.NaN : end.meanRssKib() / 1024;
        StringBuilder sb = new StringBuilder();
        sb.append("| figure | measured | target |\n| --- | --- | --- |\n");
        row(sb, "load balancers deployed / answering through their VIP", r.created() + " / " + r.answeredAfterCreate()
                + " (of " + r.requested() + " requested)", "≥ 1000, all", r.answeredAfterCreate() >= 1000 && r.answeredAfterCreate() == r.requested());
        row(sb, "create→serving, median of last decile / first decile", f("%.0f ms / %.0f ms = %.2f×", last, first, last / first),
                "≤ 1.2×", last / first <= 1.2);
        row(sb, "JVM heap retained per load balancer", f("%.1f KiB", r.heapPerLbKib()), "< 50 KiB", r.heapPerLbKib() < 50);
        row(sb, "HAProxy memory per idle instance (mean over all, at N)", f("PSS %.2f MiB, RSS %.2f MiB", pssMiB, rssMiB),
                "PSS < 4.8 MiB", pssMiB < 4.8);
        row(sb, "total HAProxy PSS at N", end == null ? "" : f("%.0f MiB", end.totalPssKib() / 1024.0), "—", null);
        row(sb, "one statistics sweep over all instances", f("%.0f ms wall, %.0f ms JVM CPU, %.0f ms HAProxy CPU, %d observed",
                r.sweepWallMs(), r.sweepJvmCpuMs(), r.sweepHaproxyCpuMs(), r.sweepObserved()), "< 1 s", r.sweepWallMs() < 1000);
        row(sb, "health-check CPU, all instances idle", f("%.1f %% of one core (%.3f ms/s per instance) over %d s",
                r.healthCheckCpuCoreFraction() * 100, r.healthCheckCpuCoreFraction() * 1000 / Math.max(1, r.created()),
                r.idleWindowMs() / 1000), "—", null);
        row(sb, "reconcile after a JVM restart (new driver + service build)", f("%.0f ms, %d HAProxy restarts, %d of %d answer after",
                r.reconcileMs(), r.restarts(), r.answeredAfterReconcile(), r.created()), "< 10 s, 0 restarts",
                r.reconcileMs() < 10_000 && r.restarts() == 0);
        row(sb, "file descriptors", f("JVM %d before, %d with all deployed; per HAProxy median %.0f", r.jvmFdsBefore(), r.jvmFdsAfter(),
                pct(r.instances(), Instance::fds, 50)), "—", null);
        row(sb, "teardown of all (through the service)", f("%.0f ms (%.1f ms per LB)", r.teardownMs(), r.teardownMs() / Math.max(1, r.created())),
                "—", null);
        row(sb, "left behind after cleanup", r.leftovers().isEmpty() ? "nothing" : String.join(", ", r.leftovers()), "nothing",
                r.leftovers().isEmpty());
        r.ha().ifPresent(ha -> sb.append('\n').append(haMarkdown(r, ha)));
        if (!r.notes().isEmpty()) {
            sb.append("\nNotes: ").append(String.join("; ", r.notes())).append('\n');
        }
        return sb.toString();
    }

    /** The active/standby figures as a CSV header and one row. */
    static String haCsv(CapacityResult.HaFigures ha) {
        return "ha_bridge,advert_interval_ms,pairs,pairs_with_one_master,packets,window_ms,packets_per_s,expected_adverts_per_s,"
                + "keepalived_cpu_core_fraction,jvm_cpu_core_fraction\n"
                + f("%s,%d,%d,%d,%d,%d,%.2f,%.2f,%.5f,%.5f%n", ha.haBridge(), ha.advertIntervalMs(), ha.pairs(), ha.masters(), ha.packets(),
                ha.windowMs(), ha.packetsPerSecond(), ha.expectedPerSecond(), ha.keepalivedCpuCoreFraction(), ha.jvmCpuCoreFraction());
    }

    /** The active/standby section of the summary: what a pair costs on top of what a single instance does. */
    static String haMarkdown(CapacityResult r, CapacityResult.HaFigures ha) {
        List<Instance> all = r.instances();
        Snapshot end = r.snapshots().isEmpty() ? null : r.snapshots().get(r.snapshots().size() - 1);
        double h = pct(all, Instance::haproxyPssKib, 50);
        double k = pct(all, Instance::keepalivedPssKib, 50);
        StringBuilder sb = new StringBuilder();
        sb.append("Active/standby (HA): every load balancer is a pair, each instance with HAProxy and keepalived (parent and VRRP"
                + " child); HA bridge ").append(ha.haBridge()).append(", adverts every ").append(ha.advertIntervalMs()).append(" ms\n\n");
        sb.append("| HA figure | measured | expected |\n| --- | --- | --- |\n");
        row(sb, "processes per load balancer (median): HAProxy / keepalived",
                f("%.0f / %.0f", pct(all, Instance::haproxyProcesses, 50), pct(all, Instance::keepalivedProcesses, 50)), "2 / 4", null);
        row(sb, "PSS per load balancer, both HAProxy: median / p95", f("%.0f / %.0f KiB (%.2f MiB)", h,
                pct(all, Instance::haproxyPssKib, 95), h / 1024), "—", null);
        row(sb, "PSS per load balancer, all keepalived: median / p95", f("%.0f / %.0f KiB (%.2f MiB)", k,
                pct(all, Instance::keepalivedPssKib, 95), k / 1024), "—", null);
        row(sb, "PSS per load balancer, HAProxy + keepalived (median of each, summed)", f("%.2f MiB", (h + k) / 1024), "—", null);
        row(sb, "all at N: HAProxy processes, PSS / keepalived processes, PSS", end == null ? ""
                : f("%d, %.0f MiB / %d, %.0f MiB", end.haproxyProcesses(), end.totalPssKib() / 1024.0, end.keepalivedProcesses(),
                end.totalKeepalivedPssKib() / 1024.0), f("%d / %d processes", 2 * r.created(), 4 * r.created()), null);
        row(sb, "pairs with exactly one MASTER", ha.masters() + " of " + ha.pairs(), Integer.toString(ha.pairs()), ha.masters() == ha.pairs());
        row(sb, "packets on the HA links per second (sum of rx_packets of the HA bridge's ports)",
                f("%.1f/s (%d in %d ms), %.2f× expected", ha.packetsPerSecond(), ha.packets(), ha.windowMs(), ha.ratio()),
                f("%.1f adverts/s (%d pairs × 1/%d ms)", ha.expectedPerSecond(), ha.pairs(), ha.advertIntervalMs()), null);
        row(sb, "idle CPU: all keepalived / this JVM",
                f("%.1f %% / %.1f %% of one core", ha.keepalivedCpuCoreFraction() * 100, ha.jvmCpuCoreFraction() * 100), "—", null);
        return sb.toString();
    }

    private static void row(StringBuilder sb, String what, String measured, String target, Boolean met) {
        sb.append("| ").append(what).append(" | ").append(measured).append(" | ").append(target)
                .append(met == null ? "" : met ? " ✔" : " ✘").append(" |\n");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /**
     * Writes {@code instances.csv}, {@code deciles.md}, {@code deciles.csv}, {@code summary.md} under
     * {@code dir} and the plot to {@code png}, and prints the tables.
     *
     * @param r the result
     * @param options what was run
     * @param dir the output directory
     * @param png the plot file
     * @param out where the tables are printed
     * @throws IOException when a file cannot be written
     */
    public static void write(CapacityResult r, CapacityHarness.Options options, Path dir, Path png, PrintStream out) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("index,pool_id,vip,create_to_serving_ms,deploy_ms,answered,pid,rss_kib,pss_kib,fds,"
                + "haproxy_processes,haproxy_pss_kib,keepalived_processes,keepalived_pss_kib\n");
        for (Instance i : r.instances()) {
            csv.append(f("%d,%s,%s,%.1f,%.1f,%b,%d,%d,%d,%d,%d,%d,%d,%d%n", i.index(), i.poolId(), i.vip(), i.createToServingMs(),
                    i.deployMs(), i.answered(), i.pid(), i.rssKib(), i.pssKib(), i.fds(), i.haproxyProcesses(), i.haproxyPssKib(),
                    i.keepalivedProcesses(), i.keepalivedPssKib()));
        }
        Files.writeString(dir.resolve("instances.csv"), csv);
        StringBuilder dcsv = new StringBuilder("from,to,latency_median_ms,latency_p95_ms,deploy_median_ms,deploy_p95_ms,rss_median_kib,"
                + "rss_p95_kib,pss_median_kib,pss_p95_kib,fds_median,mean_pss_all_kib,heap_used_kib,jvm_fds,lb_haproxy_pss_median_kib,"
                + "lb_keepalived_pss_median_kib\n");
        for (Decile d : deciles(r)) {
            Snapshot s = d.snapshot();
            dcsv.append(f("%d,%d,%.1f,%.1f,%.1f,%.1f,%.0f,%.0f,%.0f,%.0f,%.0f,%s,%s,%s,%.0f,%.0f%n", d.from(), d.to(), d.latencyMedian(),
                    d.latencyP95(), d.deployMedian(), d.deployP95(), d.rssMedian(), d.rssP95(), d.pssMedian(), d.pssP95(), d.fdsMedian(),
                    s == null ? "" : f("%.0f", s.meanPssKib()), s == null ? "" : Long.toString(s.heapUsedKib()),
                    s == null ? "" : Integer.toString(s.jvmFds()), d.lbHaproxyPssMedian(), d.lbKeepalivedPssMedian()));
        }
        Files.writeString(dir.resolve("deciles.csv"), dcsv);
        if (r.ha().isPresent()) {
            Files.writeString(dir.resolve("ha.csv"), haCsv(r.ha().get()));
        }
        String deciles = decileMarkdown(r);
        String summary = summaryMarkdown(r);
        Files.writeString(dir.resolve("deciles.md"), deciles);
        Files.writeString(dir.resolve("summary.md"), "Run: " + options + "\n\n" + summary);
        out.println();
        out.println(deciles);
        out.println(summary);
        plot(r, png);
        out.println("plot: " + png.toAbsolutePath());
    }

    /** Draws latency and memory against the number of load balancers deployed. */
    static void plot(CapacityResult r, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int w = 1000;
        int h = 900;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString("lbaas haproxy-ns capacity: " + r.created() + " load balancers on one node", 70, 28);
        int n = Math.max(1, r.created());
        double[] xs = r.instances().stream().mapToDouble(i -> i.index() + 1).toArray();
        // panel 1: latency
        double[] lat = r.instances().stream().mapToDouble(Instance::createToServingMs).toArray();
        double[] dep = r.instances().stream().mapToDouble(Instance::deployMs).toArray();
        Panel p1 = new Panel(g, 70, 50, w - 110, 230, n, max(lat) * 1.1, "create→serving latency (ms)");
        p1.points(xs, lat, new Color(30, 100, 200, 90));
        p1.points(xs, dep, new Color(230, 120, 20, 90));
        List<Decile> ds = deciles(r);
        p1.line(ds.stream().mapToDouble(d -> d.to()).toArray(), ds.stream().mapToDouble(Decile::latencyMedian).toArray(),
                new Color(10, 40, 140));
        p1.legend(new String[] {"per instance: pool create → first HTTP 200", "per instance: VIP create → ACTIVE (driver deploy)",
                "decile median (create → serving)"}, new Color[] {new Color(30, 100, 200), new Color(230, 120, 20), new Color(10, 40, 140)});
        // panel 2: HAProxy memory
        double[] pss = r.instances().stream().mapToDouble(i -> i.pssKib() / 1024.0).toArray();
        double[] rss = r.instances().stream().mapToDouble(i -> i.rssKib() / 1024.0).toArray();
        double[] sx = r.snapshots().stream().mapToDouble(Snapshot::count).toArray();
        double[] meanPss = r.snapshots().stream().mapToDouble(s -> s.meanPssKib() / 1024.0).toArray();
        Panel p2 = new Panel(g, 70, 340, w - 110, 230, n, Math.max(5.5, max(rss) * 1.1), "HAProxy memory per instance (MiB)");
        p2.points(xs, rss, new Color(120, 120, 120, 90));
        p2.points(xs, pss, new Color(30, 150, 60, 110));
        p2.line(sx, meanPss, new Color(0, 90, 20));
        p2.hline(4.8, new Color(200, 0, 0));
        p2.legend(new String[] {"RSS right after first serving", "PSS right after first serving", "mean PSS of all running (snapshot)",
                "target: 4.8 MiB PSS (default haproxy, 2 threads)"},
                new Color[] {new Color(120, 120, 120), new Color(30, 150, 60), new Color(0, 90, 20), new Color(200, 0, 0)});
        // panel 3: JVM heap and total PSS
        double[] heapMiB = r.snapshots().stream().mapToDouble(s -> s.heapUsedKib() / 1024.0).toArray();
        double[] totalPss = r.snapshots().stream().mapToDouble(s -> s.totalPssKib() / 1024.0).toArray();
        Panel p3 = new Panel(g, 70, 630, w - 110, 230, n, Math.max(max(heapMiB), max(totalPss)) * 1.1 + 1,
                "node totals (MiB) against load balancers deployed");
        p3.line(sx, heapMiB, new Color(150, 40, 160));
        p3.line(sx, totalPss, new Color(0, 90, 20));
        p3.legend(new String[] {f("JVM heap used after GC (%.1f KiB per LB)", r.heapPerLbKib()), "sum of HAProxy PSS"},
                new Color[] {new Color(150, 40, 160), new Color(0, 90, 20)});
        g.dispose();
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(img, "png", png.toFile());
    }

    private static double max(double[] v) {
        double m = Arrays.stream(v).filter(Double::isFinite).max().orElse(1);
        return m <= 0 ? 1 : m;
    }

    /** One chart: x = load balancers deployed (1..n), y from 0 to yMax. */
    private static final class Panel {
        final Graphics2D g;
        final int x0;
        final int y0;
        final int pw;
        final int ph;
        final double xMax;
        final double yMax;
        int legendRow;

        Panel(Graphics2D g, int x0, int y0, int pw, int ph, double xMax, double yMax, String title) {
            this.g = g;
            this.x0 = x0;
            this.y0 = y0;
            this.pw = pw;
            this.ph = ph;
            this.xMax = xMax;
            this.yMax = yMax;
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(title, x0, y0 - 6);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.setStroke(new BasicStroke(1));
            for (int i = 0; i <= 5; i++) {
                double yv = yMax * i / 5;
                int y = py(yv);
                g.setColor(new Color(230, 230, 230));
                g.drawLine(x0, y, x0 + pw, y);
                g.setColor(Color.DARK_GRAY);
                g.drawString(yv >= 100 ? f("%.0f", yv) : f("%.1f", yv), x0 - 42, y + 4);
            }
            for (int i = 0; i <= 10; i++) {
                double xv = xMax * i / 10;
                int x = px(xv);
                g.setColor(Color.DARK_GRAY);
                g.drawLine(x, y0 + ph, x, y0 + ph + 4);
                g.drawString(f("%.0f", xv), x - 10, y0 + ph + 17);
            }
            g.setColor(Color.BLACK);
            g.drawRect(x0, y0, pw, ph);
        }

        int px(double x) {
            return x0 + (int) Math.round(x / xMax * pw);
        }

        int py(double y) {
            return y0 + ph - (int) Math.round(Math.min(y, yMax) / yMax * ph);
        }

        void points(double[] xs, double[] ys, Color c) {
            g.setColor(c);
            for (int i = 0; i < xs.length; i++) {
                if (Double.isFinite(ys[i]) && ys[i] >= 0) {
                    g.fillOval(px(xs[i]) - 2, py(ys[i]) - 2, 4, 4);
                }
            }
        }

        void line(double[] xs, double[] ys, Color c) {
            g.setColor(c);
            g.setStroke(new BasicStroke(2.2f));
            for (int i = 0; i < xs.length; i++) {
                if (Double.isFinite(ys[i])) {
                    g.fillOval(px(xs[i]) - 3, py(ys[i]) - 3, 6, 6);
                    if (i > 0 && Double.isFinite(ys[i - 1])) {
                        g.drawLine(px(xs[i - 1]), py(ys[i - 1]), px(xs[i]), py(ys[i]));
                    }
                }
            }
            g.setStroke(new BasicStroke(1));
        }

        void hline(double y, Color c) {
            g.setColor(c);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            g.drawLine(x0, py(y), x0 + pw, py(y));
            g.setStroke(new BasicStroke(1));
        }

        void legend(String[] labels, Color[] colors) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int i = 0; i < labels.length; i++) {
                int y = y0 + 14 + 14 * legendRow++;
                g.setColor(colors[i]);
                g.fillRect(x0 + 10, y - 8, 10, 8);
                g.setColor(Color.BLACK);
                g.drawString(labels[i], x0 + 26, y);
            }
        }
    }
}
