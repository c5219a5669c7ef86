package org.lbaas.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link Samples}: the median and nearest-rank percentiles every harness reports. */
class SamplesTest {

    @Test
    @DisplayName("the median is the middle sample, or the mean of the two middle ones, whatever the order")
    void median() {
        assertEquals(3.0, Samples.median(List.of(5.0, 1.0, 3.0)));
        assertEquals(2.5, Samples.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertEquals(7.0, Samples.median(List.of(7.0)));
        assertTrue(Double.isNaN(Samples.median(List.of())));
    }

    @Test
    @DisplayName("p95 by nearest rank: the 19th of 20 samples, the largest of 10, the only one of 1")
    void p95() {
        List<Double> twenty = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            twenty.add((double) i * 10);
        }
        Collections.shuffle(twenty, new java.util.Random(7));
        assertEquals(190.0, Samples.percentile(twenty, 95));
        assertEquals(100.0, Samples.percentile(twenty, 50));
        assertEquals(200.0, Samples.percentile(twenty, 100));
        assertEquals(10.0, Samples.percentile(twenty, 1));
        List<Double> ten = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
        assertEquals(10.0, Samples.percentile(ten, 95));
        assertEquals(42.0, Samples.percentile(List.of(42.0), 95));
        assertTrue(Double.isNaN(Samples.percentile(List.of(), 95)));
    }

    @Test
    @DisplayName("an infinite sample (a run that never recovered) sorts last and can be the percentile")
    void infinite() {
        List<Double> s = List.of(300.0, Double.POSITIVE_INFINITY, 200.0);
        assertEquals(300.0, Samples.median(s));
        assertEquals(Double.POSITIVE_INFINITY, Samples.percentile(s, 95));
    }

    @Test
    @DisplayName("a percentile outside 1 to 100 is refused with the value in the message")
    void badPercentile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Samples.percentile(List.of(1.0), 0));
        assertTrue(e.getMessage().contains("1 to 100, not 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Samples.percentile(List.of(1.0), 101));
    }
}
