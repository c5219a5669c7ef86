package org.lbaas.conformance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it. Thread-safe; copies made by
 * {@link #withZone(ZoneId)} share the same time.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.at(Instant.parse("2025-01-01T00:00:00Z"));
 * clock.advance(Duration.ofSeconds(10));
 * }</pre>
 */
public final class ManualClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /**
     * Returns a clock showing {@code start} in UTC.
     *
     * @param start the first instant
     * @return the clock
     */
    public static ManualClock at(Instant start) {
        return new ManualClock(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    /**
     * Moves the clock forward.
     *
     * @param step how far; not negative
     * @return the new instant
     * @throws IllegalArgumentException when the step is negative
     */
    public Instant advance(Duration step) {
        Objects.requireNonNull(step, "step");
        if (step.isNegative()) {
            throw new IllegalArgumentException("a manual clock only moves forward with advance(): " + step);
        }
        return now.updateAndGet(i -> i.plus(step));
    }

    /**
     * Sets the clock to any instant, also an earlier one (to test how a driver copes with time
     * going backwards).
     *
     * @param instant the new instant
     */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new ManualClock(now, Objects.requireNonNull(newZone, "zone"));
    }

    @Override
    public String toString() {
        return "ManualClock[" + now.get() + ", " + zone + "]";
    }
}
