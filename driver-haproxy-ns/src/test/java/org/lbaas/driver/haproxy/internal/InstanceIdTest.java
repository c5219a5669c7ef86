package org.lbaas.driver.haproxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class InstanceIdTest {

    @Property
    void keysParseBack(@ForAll long hi, @ForAll long lo, @ForAll @IntRange(max = 9) int ordinal) {
        InstanceId id = new InstanceId(new UUID(hi, lo), ordinal);
        assertEquals(Optional.of(id), InstanceId.parse(id.key()));
    }

    @Test
    void thePrimaryKeyIsThePoolId() {
        UUID pool = UUID.randomUUID();
        assertEquals(pool.toString(), InstanceId.primary(pool).key());
        assertEquals(pool + "-3", new InstanceId(pool, 3).key());
    }

    @Test
    void foreignNamesDoNotParse() {
        String u = "6f1b3d0e-3c1a-4c55-9a8e-0d7e2b1f4a01";
        for (String s : new String[] {"", "abc", u.toUpperCase(), u + "-0", u + "-10", u + "x", u + "-", "not-a-uuid-at-all-000000000000000000"}) {
            assertEquals(Optional.empty(), InstanceId.parse(s), s);
        }
    }
}
