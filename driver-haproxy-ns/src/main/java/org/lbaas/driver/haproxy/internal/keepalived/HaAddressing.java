package org.lbaas.driver.haproxy.internal.keepalived;

import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Chooses the HA link of an active/standby pair, as a pure function of the pool id and the slots
 * already in use. The range is {@value #RANGE}, the one Neutron's L3 HA uses for its HA networks,
 * cut into {@value #SLOTS} blocks of 8 addresses ({@link HaPair}).
 *
 * <p>Preferred slot: {@code floorMod(poolId.hashCode(), 2048)}, where {@link UUID#hashCode()} is the
 * XOR of the id's four 32-bit words (defined by the JDK, so stable across runs and hosts).
 * Collision rule: linear probing; the first slot of {@code preferred, preferred+1, ...} (mod 2048)
 * not in {@code taken} is chosen, so a pair keeps its slot as long as the set of taken slots does
 * not change, and two hosts with the same view choose the same slot. When all slots are taken the
 * allocation is refused.
 *
 * <p>The VRID is derived from the slot (see {@link HaPair#virtualRouterId()}), so two pairs may
 * share a VRID (2048 slots, 255 ids); that is harmless because adverts are unicast over each
 * pair's own link and keepalived checks their source ({@code check_unicast_src}).
 */
public final class HaAddressing {

    /** The HA range, link-local. */
    public static final String RANGE = "169.254.192.0/18";
    /** Number of pair blocks in the range: 2^(32-18) / 8. */
    public static final int SLOTS = 2048;
    /** 169.254.192.0 as an int. */
    static final int RANGE_BASE = (169 << 24) | (254 << 16) | (192 << 8);

    private HaAddressing() {
    }

    /**
     * Returns the slot a pool prefers when nothing collides.
     *
     * @param poolId the pool id
     * @return 0 to {@value #SLOTS} - 1
     */
    public static int preferredSlot(UUID poolId) {
        Objects.requireNonNull(poolId, "poolId");
        return Math.floorMod(poolId.hashCode(), SLOTS);
    }

    /**
     * Allocates the HA link of a pool's pair.
     *
     * @param poolId the pool id
     * @param taken slots held by other pairs sharing the HA address space (values outside the range are ignored)
     * @return the pair's link
     * @throws KeepalivedConfigException if every slot is taken
     */
    public static HaPair allocate(UUID poolId, Set<Integer> taken) {
        Objects.requireNonNull(taken, "taken");
        int preferred = preferredSlot(poolId);
        for (int i = 0; i < SLOTS; i++) {
            int slot = (preferred + i) % SLOTS;
            if (!taken.contains(slot)) {
                return new HaPair(slot);
            }
        }
        throw new KeepalivedConfigException("taken", taken.size() + " slots", "leave no free slot in " + RANGE);
    }
}
