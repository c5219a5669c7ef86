package org.lbaas.benchmarks.dataplane;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.lbaas.benchmarks.Samples;

/**
 * The figures of one {@link DataPlaneHarness} run.
 *
 * @param rounds measured rounds per figure (after the warm-up)
 * @param figures every timed measurement, in the order of the report
 * @param load the update-under-load phase
 * @param notes anything that went wrong or looked odd (empty when the run was clean)
 * @param leftovers names of namespaces, devices, processes or files the run left behind (empty when clean)
 */
public record DataPlaneResult(int rounds, List<Figure> figures, Load load, List<String> notes, List<String> leftovers) {

    /** The naive shell sequence until the VIP answers HTTP. */
    public static final String NAIVE = "naive.create-to-serving";
    /** The driver's apply of a new load balancer until the VIP answers HTTP. */
    public static final String CREATE = "driver.create-to-serving";
    /** {@code haproxy -dW -c -f} of the driver's configuration. */
    public static final String CHECK = "haproxy.check";
    /** A driver apply that forces a reload (until the new process answers on its socket). */
    public static final String RELOAD = "driver.reload";
    /** A driver apply adding one member (runtime API). */
    public static final String MEMBER_ADD = "driver.member-add";
    /** A driver apply removing one member (runtime API). */
    public static final String MEMBER_REMOVE = "driver.member-remove";
    /** A driver apply changing one member's weight (runtime API). */
    public static final String WEIGHT = "driver.weight-change";

    /**
     * Copies the lists.
     *
     * @param rounds measured rounds
     * @param figures the figures
     * @param load the load phase
     * @param notes problems
     * @param leftovers what was left behind
     */
    public DataPlaneResult {
        figures = List.copyOf(figures);
        Objects.requireNonNull(load, "load");
        notes = List.copyOf(notes);
        leftovers = List.copyOf(leftovers);
    }

    /**
     * One timed measurement.
     *
     * @param key a stable name ({@link #NAIVE}, {@link #CREATE}, ...)
     * @param label what was timed, for the report
     * @param samplesMs every sample in milliseconds, in the order taken
     */
    public record Figure(String key, String label, List<Double> samplesMs) {
        /**
         * Copies the samples.
         *
         * @param key the key
         * @param label the label
         * @param samplesMs the samples
         */
        public Figure {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(label, "label");
            samplesMs = List.copyOf(samplesMs);
        }

        /** @return the median in milliseconds (NaN without samples) */
        public double medianMs() {
            return Samples.median(samplesMs);
        }

        /** @return the 95th percentile (nearest rank) in milliseconds (NaN without samples) */
        public double p95Ms() {
            return Samples.percentile(samplesMs, 95);
        }
    }

    /**
     * Requests sent while member changes and reloads were applied.
     *
     * @param memberChanges member changes applied under load
     * @param reloads reloads applied under load
     * @param actions how the driver applied each change (action name to count)
     * @param keepAliveClients client loops reusing connections
     * @param closeClients client loops opening a connection per request
     * @param durationMs how long the load ran
     * @param succeeded requests answered 200
     * @param failed requests that failed (no retry)
     * @param reasons failure reason to count
     */
    public record Load(int memberChanges, int reloads, Map<String, Integer> actions, int keepAliveClients, int closeClients,
                       double durationMs, long succeeded, long failed, Map<String, Long> reasons) {
        /**
         * Copies the maps.
         *
         * @param memberChanges member changes
         * @param reloads reloads
         * @param actions actions
         * @param keepAliveClients keep-alive loops
         * @param closeClients closing loops
         * @param durationMs duration
         * @param succeeded answered requests
         * @param failed failed requests
         * @param reasons failure reasons
         */
        public Load {
            actions = Map.copyOf(actions);
            reasons = Map.copyOf(reasons);
        }

        /** @return a load phase that did not run */
        public static Load none() {
            return new Load(0, 0, Map.of(), 0, 0, 0, 0, 0, Map.of());
        }
    }

    /**
     * A figure by key.
     *
     * @param key the key
     * @return the figure, if measured
     */
    public Optional<Figure> figure(String key) {
        return figures.stream().filter(f -> f.key().equals(key)).findFirst();
    }

    private double median(String key) {
        return figure(key).map(Figure::medianMs).orElse(Double.NaN);
    }

    /** @return median driver create-to-serving over median naive sequence (target: at most 1) */
    public double createRatio() {
        return median(CREATE) / median(NAIVE);
    }

    /**
     * A runtime change's median over the reload's median (target: below 0.1).
     *
     * @param key {@link #MEMBER_ADD}, {@link #MEMBER_REMOVE} or {@link #WEIGHT}
     * @return the ratio
     */
    public double ratioToReload(String key) {
        return median(key) / median(RELOAD);
    }

    /** @return the report as a Markdown section body (tables, no heading) */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| measurement | n | median ms | p95 ms | ratio | target |\n");
        sb.append("| --- | --- | --- | --- | --- | --- |\n");
        for (Figure f : figures) {
            String ratio = "";
            String target = "";
            switch (f.key()) {
                case CREATE -> {
                    ratio = String.format(Locale.ROOT, "%.2f × naive", createRatio());
                    target = "≤ 1 " + (createRatio() <= 1 ? "✔" : "✘");
                }
                case MEMBER_ADD, MEMBER_REMOVE, WEIGHT -> {
                    double r = ratioToReload(f.key());
                    ratio = String.format(Locale.ROOT, "%.3f × reload", r);
                    target = "< 0.1 " + (r < 0.1 ? "✔" : "✘");
                }
                default -> {
                    // no target
                }
            }
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %s | %s |%n", f.label(), f.samplesMs().size(),
                    f.medianMs(), f.p95Ms(), ratio, target));
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "Under load (%d keep-alive + %d connection-per-request client loops, %.1f s): "
                        + "%d member changes and %d reloads applied (%s); %d requests answered, **%d failed**%s (target 0 %s).%n",
                load.keepAliveClients(), load.closeClients(), load.durationMs() / 1000, load.memberChanges(), load.reloads(),
                load.actions().isEmpty() ? "none" : new java.util.TreeMap<>(load.actions()).toString(), load.succeeded(),
                load.failed(), load.reasons().isEmpty() ? "" : " " + new java.util.TreeMap<>(load.reasons()),
                load.failed() == 0 ? "✔" : "✘"));
        if (!notes.isEmpty()) {
            sb.append("\nNotes:\n");
            notes.forEach(n -> sb.append("- ").append(n).append('\n'));
        }
        sb.append("\nLeft behind: ").append(leftovers.isEmpty() ? "nothing" : String.join(", ", leftovers)).append('\n');
        return sb.toString();
    }
}
