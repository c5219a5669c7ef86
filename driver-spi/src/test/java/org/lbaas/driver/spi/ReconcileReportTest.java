package org.lbaas.driver.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReconcileReportTest {

    @Test
    void theFourArgumentFormReportsNothingForeign() {
        ReconcileReport r = new ReconcileReport(Set.of(), Set.of(UUID.randomUUID()), Set.of(), Map.of());
        assertEquals(Set.of(), r.foreign());
        assertTrue(r.succeeded());
    }

    @Test
    void foreignFindsAreCopiedAndDoNotCountAsFailures() {
        Set<String> found = new HashSet<>(Set.of("namespace qlbaas-x: not recorded"));
        ReconcileReport r = new ReconcileReport(Set.of(), Set.of(), Set.of(), Map.of(), found);
        found.clear();
        assertEquals(Set.of("namespace qlbaas-x: not recorded"), r.foreign());
        assertTrue(r.succeeded());
        assertThrows(UnsupportedOperationException.class, () -> r.foreign().add("x"));
        assertThrows(NullPointerException.class, () -> new ReconcileReport(Set.of(), Set.of(), Set.of(), Map.of(), null));
    }
}
