package org.lbaas.driver.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.lbaas.driver.spi.shell.ShellExecutor;

/**
 * What a driver is created from: named settings (each driver documents the keys it reads and their
 * defaults) and the seams through which it touches the world, so that a test can replace every one.
 *
 * @param settings driver-specific settings by key, such as {@code state_dir}; unknown keys are the
 *     driver's to reject
 * @param shell how the driver runs external commands
 * @param clock the driver's time source
 */
public record DriverConfig(Map<String, String> settings, ShellExecutor shell, Clock clock) {

    public DriverConfig {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(shell, "shell");
        Objects.requireNonNull(clock, "clock");
        settings = Map.copyOf(new TreeMap<>(settings));
    }

    /**
     * Returns a configuration with no settings, the system shell and the system clock.
     */
    public static DriverConfig defaults() {
        return new DriverConfig(Map.of(), ShellExecutor.system(), Clock.systemUTC());
    }

    /**
     * Returns a setting.
     *
     * @param key the key
     * @return its value, if set
     */
    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    /**
     * Names the settings a driver does not read, for the driver to report with its other problems.
     *
     * @param settings the settings, by key
     * @param known the keys the driver reads
     * @return {@code "unknown setting k (known: a, b)"}, or {@code "unknown settings j, k (known: a, b)"}
     *     with the keys sorted; empty when every key is known
     */
    public static Optional<String> unknownSettings(Map<String, String> settings, Set<String> known) {
        Objects.requireNonNull(known, "known");
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(known);
        if (unknown.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("unknown setting" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                + " (known: " + String.join(", ", new TreeSet<>(known)) + ")");
    }

    /**
     * Names this configuration's settings that a driver does not read.
     *
     * @param known the keys the driver reads
     * @return the problem as {@link #unknownSettings(Map, Set)} words it; empty when every key is known
     */
    public Optional<String> unknownSettings(Set<String> known) {
        return unknownSettings(settings, known);
    }

    /**
     * Refuses settings a driver does not read, the way drivers refuse a bad configuration.
     *
     * @param driver the driver's name, which starts the operator's message
     * @param known the keys the driver reads
     * @throws DriverException (not retryable) when a key is not known: the tenant is told that
     *     the load-balancer driver is misconfigured, the operator
     *     {@code "<driver>: unknown setting k (known: a, b)"}
     */
    public void refuseUnknownSettings(String driver, Set<String> known) {
        Objects.requireNonNull(driver, "driver");
        unknownSettings(known).ifPresent(problem -> {
            throw new DriverException("the load-balancer driver is misconfigured", driver + ": " + problem, false);
        });
    }

    /**
     * Returns a path setting.
     *
     * @param key the key
     * @param fallback the value when the key is not set
     * @return the path
     */
    public Path path(String key, Path fallback) {
        return setting(key).map(Path::of).orElse(fallback);
    }

    /**
     * Returns a copy with one more setting.
     *
     * @param key the key
     * @param value the value
     * @return the copy
     */
    public DriverConfig with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(settings);
        copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new DriverConfig(copy, shell, clock);
    }

    /**
     * Returns a copy with another shell executor.
     *
     * @param executor the executor
     * @return the copy
     */
    public DriverConfig withShell(ShellExecutor executor) {
        return new DriverConfig(settings, executor, clock);
    }

    /**
     * Returns a copy with another clock.
     *
     * @param newClock the clock
     * @return the copy
     */
    public DriverConfig withClock(Clock newClock) {
        return new DriverConfig(settings, shell, newClock);
    }
}
