package org.lbaas.driver.haproxy.internal.runtime;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.lbaas.driver.haproxy.internal.AtomicFiles;
import org.lbaas.model.PoolStats;

/**
 * The counters of an instance's replaced processes, kept in its state directory so statistics
 * stay cumulative across reloads and restarts: what the running process reports is added to
 * them. Active connections are never carried (a replaced process's connections are not active in
 * its successor).
 */
public final class Counters {

    private Counters() {
    }

    /**
     * Reads the carried counters.
     *
     * @param file the counters file
     * @return the counters, {@link PoolStats#ZERO} when there are none
     */
    public static PoolStats read(Path file) {
        try {
            Optional<String> text = AtomicFiles.read(file);
            if (text.isEmpty()) {
                return PoolStats.ZERO;
            }
            Properties p = new Properties();
            p.load(new StringReader(text.get()));
            return new PoolStats(number(p, "bytes_in"), number(p, "bytes_out"), 0, number(p, "total_connections"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            return PoolStats.ZERO;
        }
    }

    /**
     * Adds the final counters of a replaced process to the carried ones.
     *
     * @param file the counters file
     * @param replaced what the replaced process had counted
     * @return the new carried counters
     */
    public static PoolStats carry(Path file, PoolStats replaced) {
        PoolStats sum = read(file).plus(new PoolStats(replaced.bytesIn(), replaced.bytesOut(), 0, replaced.totalConnections()));
        String text = "# counters of replaced HAProxy processes, added to the running one's\n"
                + "bytes_in=" + sum.bytesIn() + "\nbytes_out=" + sum.bytesOut() + "\ntotal_connections=" + sum.totalConnections() + "\n";
        try {
            AtomicFiles.write(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return sum;
    }

    private static long number(Properties p, String key) {
        String v = p.getProperty(key, "0").trim();
        long n = Long.parseLong(v);
        return Math.max(0, n);
    }
}
