package org.lbaas.benchmarks.failover;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.lbaas.benchmarks.Samples;

/**
 * The figures of one {@link FailoverHarness} run: every failover measured, summarised per
 * {@link FailureKind} against the targets of issue 14 (for {@code haproxy-kill} and
 * {@code link-cut}: failure to first served request median ≤ 0.5 s and p95 ≤ 1 s; for every kind:
 * session persistence kept by 100 % of the sticky clients).
 *
 * @param advertIntervalMs the pairs' VRRP advert interval in milliseconds
 * @param loadClients load client loops per run
 * @param stickyClients sticky clients per load balancer
 * @param kinds the failures run, in order
 * @param runs every run, in the order run
 * @param notes errors of the harness itself (a run that could not be completed, a cleanup problem);
 *     empty when the run was clean
 * @param leftovers what the run left behind (empty when clean)
 */
public record FailoverResult(int advertIntervalMs, int loadClients, int stickyClients, List<FailureKind> kinds, List<Run> runs,
                             List<String> notes, List<String> leftovers) {

    /** Median target of failure to first success, in milliseconds (kinds with time targets). */
    public static final double MEDIAN_TARGET_MS = 500;
    /** 95th percentile target of failure to first success, in milliseconds (kinds with time targets). */
    public static final double P95_TARGET_MS = 1000;

    /**
     * Copies the lists.
     *
     * @param advertIntervalMs advert interval
     * @param loadClients load loops
     * @param stickyClients sticky clients per load balancer
     * @param kinds failures run
     * @param runs runs
     * @param notes harness errors
     * @param leftovers what was left
     */
    public FailoverResult {
        kinds = List.copyOf(kinds);
        runs = List.copyOf(runs);
        notes = List.copyOf(notes);
        leftovers = List.copyOf(leftovers);
    }

    /**
     * One failure injected and healed.
     *
     * @param kind the failure
     * @param index the run's number within its kind, from 1
     * @param persistence the target load balancer's session persistence ({@code SOURCE_IP}, ...)
     * @param firstSuccessMs milliseconds from the failure to the first request through the VIP that was
     *     sent after it and answered 200; {@link Double#POSITIVE_INFINITY} when none was within the bound
     * @param answered load-client requests answered 200 during the run (from before the failure until the
     *     pair was healthy again after the repair)
     * @param failed load-client requests that failed during the run
     * @param stickyKept sticky clients answered by the same member after the failover as just before
     * @param stickyChecked sticky clients that had an answer before the failure
     * @param vipMoved whether the driver reported the other instance ACTIVE within five advert intervals and 0.5 s after
     *     the first success (before the repair)
     * @param probeReported whether the driver's {@code probe} reported the failed load balancer before repair
     * @param problem what went wrong in the harness or the repair during this run, if anything
     */
    public record Run(FailureKind kind, int index, String persistence, double firstSuccessMs, long answered, long failed,
                      int stickyKept, int stickyChecked, boolean vipMoved, boolean probeReported, Optional<String> problem) {
        /**
         * Checks the fields.
         *
         * @param kind failure
         * @param index number
         * @param persistence persistence type
         * @param firstSuccessMs failure to first success
         * @param answered answered requests
         * @param failed failed requests
         * @param stickyKept kept sticky clients
         * @param stickyChecked checked sticky clients
         * @param vipMoved VIP moved
         * @param probeReported probe reported
         * @param problem problem
         */
        public Run {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(persistence, "persistence");
            Objects.requireNonNull(problem, "problem");
            if (stickyKept < 0 || stickyKept > stickyChecked || answered < 0 || failed < 0) {
                throw new IllegalArgumentException("counts out of range: kept " + stickyKept + " of " + stickyChecked
                        + ", answered " + answered + ", failed " + failed);
            }
        }

        /** @return whether the VIP served again within the bound */
        public boolean served() {
            return Double.isFinite(firstSuccessMs);
        }
    }

    /**
     * The figures of one failure kind.
     *
     * @param kind the failure
     * @param runs how many runs
     * @param medianMs median failure to first success (NaN without runs; infinite when more than half never served)
     * @param p95Ms 95th percentile (nearest rank) of the same
     * @param maxMs the slowest run (infinite when one never served)
     * @param notServed runs in which the VIP did not serve within the bound
     * @param failedTotal failed load-client requests over all runs
     * @param failedMax the most failed requests in one run
     * @param stickyKept sticky clients kept over all runs
     * @param stickyChecked sticky clients checked over all runs
     * @param stickyByPersistence kept and checked by persistence type ({@code [kept, checked]})
     * @param vipMoved runs in which the driver reported the other instance ACTIVE
     * @param probeReported runs in which {@code probe} reported the failure
     * @param problems runs with a problem
     */
    public record Summary(FailureKind kind, int runs, double medianMs, double p95Ms, double maxMs, int notServed, long failedTotal, long failedMax,
                          int stickyKept, int stickyChecked, Map<String, int[]> stickyByPersistence, int vipMoved, int probeReported,
                          int problems) {
        /**
         * Copies the map.
         *
         * @param kind failure
         * @param runs runs
         * @param medianMs median
         * @param p95Ms p95
         * @param maxMs max
         * @param notServed not served
         * @param failedTotal failed total
         * @param failedMax failed max
         * @param stickyKept kept
         * @param stickyChecked checked
         * @param stickyByPersistence by persistence
         * @param vipMoved VIP moved
         * @param probeReported probe reported
         * @param problems problems
         */
        public Summary {
            stickyByPersistence = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stickyByPersistence));
        }

        /** @return the share of sticky clients kept, in percent (NaN when none was checked) */
        public double stickyPercent() {
            return stickyChecked == 0 ? Double.NaN : 100.0 * stickyKept / stickyChecked;
        }

        /** @return PASS or MISS for the median target, or empty when the kind has none */
        public Optional<Boolean> medianPass() {
            return kind.hasTimeTargets() ? Optional.of(medianMs <= MEDIAN_TARGET_MS) : Optional.empty();
        }

        /** @return PASS or MISS for the p95 target, or empty when the kind has none */
        public Optional<Boolean> p95Pass() {
            return kind.hasTimeTargets() ? Optional.of(p95Ms <= P95_TARGET_MS) : Optional.empty();
        }

        /** @return whether every sticky client checked was kept (a kind with none checked misses) */
        public boolean persistencePass() {
            return stickyChecked > 0 && stickyKept == stickyChecked;
        }
    }

    /**
     * The figures of one kind.
     *
     * @param kind the failure
     * @return its summary (zero runs when it was not run)
     */
    public Summary summary(FailureKind kind) {
        List<Run> of = runs.stream().filter(r -> r.kind() == kind).toList();
        List<Double> times = of.stream().map(Run::firstSuccessMs).toList();
        Map<String, int[]> byPersistence = new LinkedHashMap<>();
        for (Run r : of) {
            int[] kc = byPersistence.computeIfAbsent(r.persistence(), k -> new int[2]);
            kc[0] += r.stickyKept();
            kc[1] += r.stickyChecked();
        }
        return new Summary(kind, of.size(), Samples.median(times), Samples.percentile(times, 95), Samples.percentile(times, 100),
                (int) of.stream().filter(r -> !r.served()).count(), of.stream().mapToLong(Run::failed).sum(),
                of.stream().mapToLong(Run::failed).max().orElse(0), of.stream().mapToInt(Run::stickyKept).sum(),
                of.stream().mapToInt(Run::stickyChecked).sum(), byPersistence, (int) of.stream().filter(Run::vipMoved).count(),
                (int) of.stream().filter(Run::probeReported).count(), (int) of.stream().filter(r -> r.problem().isPresent()).count());
    }

    /** @return one summary per kind run, in order */
    public List<Summary> summaries() {
        return kinds.stream().map(this::summary).toList();
    }

    /** @return the report as Markdown: the figures, the targets, the problems, what was left behind */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Failover of the ACTIVE instance under load (advert interval %d ms; %d load client loops;"
                + " %d sticky clients per load balancer; runs rotate over the SOURCE_IP, APP_COOKIE and HTTP_COOKIE load balancers)%n%n",
                advertIntervalMs, loadClients, stickyClients));
        sb.append("| failure | runs | failure → first success median ms | p95 ms | max ms | failed requests total | max per run"
                + " | sticky clients kept | VIP moved | probe reported |\n");
        sb.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        List<Summary> all = summaries();
        for (Summary s : all) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %d | %d | %d/%d (%s) | %d/%d | %d/%d |%n", s.kind().label(),
                    s.runs(), ms(s.medianMs()), ms(s.p95Ms()), ms(s.maxMs()), s.failedTotal(), s.failedMax(), s.stickyKept(), s.stickyChecked(),
                    percent(s.stickyPercent()), s.vipMoved(), s.runs(), s.probeReported(), s.runs()));
        }
        sb.append("\n| failure | median ≤ 500 ms | p95 ≤ 1000 ms | persistence 100 % |\n| --- | --- | --- | --- |\n");
        for (Summary s : all) {
            sb.append("| ").append(s.kind().label()).append(" | ").append(verdict(s.medianPass(), ms(s.medianMs()))).append(" | ")
                    .append(verdict(s.p95Pass(), ms(s.p95Ms()))).append(" | ")
                    .append(verdict(Optional.of(s.persistencePass()), percent(s.stickyPercent()))).append(" |\n");
        }
        sb.append("\nSticky clients kept by persistence type:\n");
        for (Summary s : all) {
            List<String> parts = new ArrayList<>();
            s.stickyByPersistence().forEach((p, kc) -> parts.add(p + " " + kc[0] + "/" + kc[1]));
            sb.append("- ").append(s.kind().label()).append(": ").append(parts.isEmpty() ? "none" : String.join(", ", parts));
            if (s.notServed() > 0) {
                sb.append("; the VIP did not serve within the bound in ").append(s.notServed()).append(" run(s)");
            }
            sb.append('\n');
        }
        List<String> problems = runs.stream().filter(r -> r.problem().isPresent())
                .map(r -> r.kind().label() + " #" + r.index() + " (" + r.persistence() + "): " + r.problem().get()).toList();
        if (!problems.isEmpty()) {
            sb.append("\nProblems during runs:\n");
            problems.forEach(p -> sb.append("- ").append(p).append('\n'));
        }
        if (!notes.isEmpty()) {
            sb.append("\nHarness errors:\n");
            notes.forEach(n -> sb.append("- ").append(n).append('\n'));
        }
        sb.append("\nLeft behind: ").append(leftovers.isEmpty() ? "nothing" : String.join(", ", leftovers)).append('\n');
        return sb.toString();
    }

    static String ms(double ms) {
        if (Double.isNaN(ms)) {
            return "—";
        }
        return Double.isInfinite(ms) ? "never" : String.format(Locale.ROOT, "%.0f", ms);
    }

    static String percent(double p) {
        return Double.isNaN(p) ? "—" : String.format(Locale.ROOT, "%.1f %%", p);
    }

    private static String verdict(Optional<Boolean> pass, String figure) {
        return pass.map(p -> (p ? "PASS" : "MISS") + " (" + figure + ")").orElse("— (no target)");
    }
}
