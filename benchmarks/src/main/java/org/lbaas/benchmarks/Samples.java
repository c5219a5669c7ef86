package org.lbaas.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** Order statistics of measured samples, as every harness reports them. */
public final class Samples {

    private Samples() {
    }

    /**
     * The median: the middle sample, or the mean of the two middle ones for an even count.
     *
     * @param samples the samples, in any order
     * @return the median, NaN without samples
     */
    public static double median(List<Double> samples) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = sorted(samples);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * A percentile by nearest rank: the smallest sample with at least {@code p} % of the samples
     * at or below it (so the 95th of 20 samples is the 19th smallest, of 10 the largest).
     *
     * @param samples the samples, in any order
     * @param p the percentile, 1 to 100
     * @return the percentile, NaN without samples
     * @throws IllegalArgumentException when {@code p} is not 1 to 100
     */
    public static double percentile(List<Double> samples, int p) {
        if (p < 1 || p > 100) {
            throw new IllegalArgumentException("percentile must be 1 to 100, not " + p);
        }
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = sorted(samples);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static List<Double> sorted(List<Double> samples) {
        List<Double> sorted = new ArrayList<>(samples);
        sorted.sort(null);
        return sorted;
    }
}
