package org.lbaas.driver.haproxy.internal.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HaAddressingTest {

    private static final UUID POOL = KeepalivedCases.POOL;

    @Test
    void preferredSlotIsTheXorOfTheIdsFourWordsModulo2048() {
        // 0x5f6b2c1e ^ 0x8d3a4b7e ^ 0x9c0f1a2b ^ 0x3c4d5e6f = 0x72132324; 0x72132324 mod 2048 = 804
        assertEquals(804, HaAddressing.preferredSlot(POOL));
        assertEquals(804, HaAddressing.allocate(POOL, Set.of()).slot());
        assertEquals(HaAddressing.allocate(POOL, Set.of(1, 2)), HaAddressing.allocate(POOL, Set.of(2, 1)));
    }

    @Test
    void slotLaysOutNetworkTwoInstancesAndTheLinkVipInAnEightAddressBlock() {
        HaPair pair = new HaPair(804);
        // 169.254.192.0 + 8 * 804 = 169.254.192.0 + 6432 = 169.254.217.32
        assertEquals(InetAddresses.forString("169.254.217.33"), pair.address(0));
        assertEquals(InetAddresses.forString("169.254.217.34"), pair.address(1));
        assertEquals(pair.address(1), pair.peerAddress(0));
        assertEquals(pair.address(0), pair.peerAddress(1));
        assertEquals(InetAddresses.forString("169.254.217.35"), pair.linkVip());
        assertEquals(29, HaPair.PREFIX_LENGTH);
        assertEquals(InetAddresses.forString("169.254.192.1"), new HaPair(0).address(0));
        assertEquals(InetAddresses.forString("169.254.255.251"), new HaPair(2047).linkVip());
    }

    @Test
    void everySlotStaysInsideTheHaRangeAndNoAddressIsShared() {
        Set<Inet4Address> seen = new HashSet<>();
        for (int slot = 0; slot < HaAddressing.SLOTS; slot++) {
            HaPair pair = new HaPair(slot);
            for (Inet4Address a : new Inet4Address[] {pair.address(0), pair.address(1), pair.linkVip()}) {
                byte[] b = a.getAddress();
                assertEquals((byte) 169, b[0], a.toString());
                assertEquals((byte) 254, b[1], a.toString());
                assertTrue((b[2] & 0xff) >= 192, a + " below 169.254.192.0/18");
                assertTrue(seen.add(a), a + " used twice");
            }
            assertTrue(pair.virtualRouterId() >= 1 && pair.virtualRouterId() <= 255);
        }
    }

    @Test
    void vridIsSlotModulo255PlusOne() {
        assertEquals(1, new HaPair(0).virtualRouterId());
        assertEquals(255, new HaPair(254).virtualRouterId());
        assertEquals(1, new HaPair(255).virtualRouterId());
        assertEquals(804 % 255 + 1, new HaPair(804).virtualRouterId());
    }

    @Test
    void collisionProbesTheNextFreeSlot() {
        int preferred = HaAddressing.preferredSlot(POOL);
        assertEquals(preferred + 2, HaAddressing.allocate(POOL, Set.of(preferred, preferred + 1)).slot());
        assertEquals(preferred, HaAddressing.allocate(POOL, Set.of(preferred + 1, -5, 99_999)).slot());
    }

    @Test
    void collisionWrapsAroundTheEndOfTheRange() {
        int preferred = HaAddressing.preferredSlot(POOL);
        int before = Math.floorMod(preferred - 1, HaAddressing.SLOTS);
        Set<Integer> allButOne = IntStream.range(0, HaAddressing.SLOTS).filter(s -> s != before).boxed()
                .collect(Collectors.toSet());
        assertEquals(before, HaAddressing.allocate(POOL, allButOne).slot());
    }

    @Test
    void fullRangeIsRefused() {
        Set<Integer> all = IntStream.range(0, HaAddressing.SLOTS).boxed().collect(Collectors.toSet());
        KeepalivedConfigException e = assertThrows(KeepalivedConfigException.class, () -> HaAddressing.allocate(POOL, all));
        assertEquals("taken", e.field());
        assertTrue(e.getMessage().contains("2048 slots") && e.getMessage().contains("169.254.192.0/18"), e.getMessage());
    }

    @Test
    void prioritiesAndOrdinals() {
        assertEquals(200, HaPair.priority(0));
        assertEquals(100, HaPair.priority(1));
        assertNotEquals(HaPair.priority(0), HaPair.priority(1));
        for (int bad : new int[] {-1, 2, 9}) {
            KeepalivedConfigException e = assertThrows(KeepalivedConfigException.class, () -> HaPair.priority(bad));
            assertEquals("ordinal", e.field());
            assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("must be 0 or 1"), e.getMessage());
            assertThrows(KeepalivedConfigException.class, () -> new HaPair(0).address(bad));
        }
    }

    @Test
    void slotOutsideTheRangeIsRefused() {
        for (int bad : new int[] {-1, HaAddressing.SLOTS}) {
            KeepalivedConfigException e = assertThrows(KeepalivedConfigException.class, () -> new HaPair(bad));
            assertEquals("slot", e.field());
            assertTrue(e.getMessage().contains("must be between 0 and 2047"), e.getMessage());
        }
    }
}
