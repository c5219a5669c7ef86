package org.lbaas.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.lbaas.benchmarks.capacity.CapacityHarness;
import org.lbaas.benchmarks.capacity.CapacityReport;
import org.lbaas.benchmarks.capacity.CapacityResult;

/**
 * {@code lbaas bench capacity --count N [--out DIR]}: runs {@link CapacityHarness} on this machine
 * and writes its tables and plot, as the harness's own {@code main} does. Progress goes to standard
 * error, the tables of figures to standard output.
 */
final class BenchCommand {

    /** The benchmarks {@code lbaas bench} knows. */
    static final List<String> BENCHMARKS = List.of("capacity");

    private BenchCommand() {
    }

    static int run(Invocation inv) {
        String where = "lbaas " + inv.command().name();
        String which = inv.operand("BENCHMARK");
        if (!BENCHMARKS.contains(which)) {
            throw new UsageException(where + ": unknown benchmark '" + which + "'; benchmarks: " + String.join(", ", BENCHMARKS));
        }
        String countText = inv.option("count").orElseThrow(() -> new UsageException(
                where + " " + which + ": --count N is required (how many load balancers to create)"));
        int count;
        try {
            count = Integer.parseInt(countText);
        } catch (NumberFormatException e) {
            throw new UsageException(where + " " + which + ": --count must be a whole number, not '" + countText + "'");
        }
        CapacityHarness.Options options;
        try {
            options = new CapacityHarness.Options(count, 5, Duration.ofSeconds(10), Map.of(), true);
        } catch (IllegalArgumentException e) {
            throw new UsageException(where + " " + which + ": --" + e.getMessage());
        }
        Path out = Path.of(inv.option("out").orElse("capacity-" + count));
        Prerequisites.requireRoot(inv, "it creates network namespaces, bridges and HAProxy processes");
        Prerequisites.require(inv.host(), inv.err(), where + " " + which + ": prerequisites",
                List.of(Prerequisites.HAPROXY, Prerequisites.IP, Prerequisites.CURL), false);
        CapacityResult result = CapacityHarness.run(options, inv.err());
        try {
            CapacityReport.write(result, options, out, out.resolve("capacity.png"), inv.out());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + out + ": " + e.getMessage(), e);
        }
        inv.err().println("tables and plot written to " + out.toAbsolutePath());
        if (!result.leftovers().isEmpty()) {
            throw new StepFailedException(where + " " + which, "left behind after the cleanup: " + String.join(", ", result.leftovers()));
        }
        if (result.answeredAfterCreate() != result.created() || result.created() != count) {
            throw new StepFailedException(where + " " + which, result.created() + " of " + count + " load balancers created, "
                    + result.answeredAfterCreate() + " answered through their VIP" + (result.notes().isEmpty() ? ""
                    : "; " + String.join("; ", result.notes())));
        }
        return 0;
    }
}
