package org.lbaas.cli;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.lbaas.api.ConflictException;
import org.lbaas.api.InvalidRequestException;
import org.lbaas.api.InvalidStateException;
import org.lbaas.api.NotFoundException;
import org.lbaas.api.StorageException;
import org.lbaas.api.UnsupportedByDriverException;
import org.lbaas.api.json.InvalidJsonException;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.DriverNotFoundException;
import org.lbaas.driver.spi.DuplicateDriverException;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Violation;

/**
 * Turns whatever a step threw into the failure the command reports: invalid input (exit 2, one
 * line per violation as {@code path: message}) or a failed step (exit 1, {@code step: message}).
 */
final class Failures {

    private Failures() {
    }

    /**
     * Classifies a failure.
     *
     * @param step what was being done, such as {@code deploy: create VIP}
     * @param failure what was thrown
     * @return the failure to report
     */
    static CliException of(String step, Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof CliException c) {
            return c;
        }
        if (e instanceof ValidationException v) {
            return new InvalidInputException(lines(v.violations()));
        }
        if (e instanceof InvalidJsonException j) {
            return new InvalidInputException(line(j));
        }
        if (e instanceof InvalidRequestException r) {
            return new InvalidInputException(lines(r.violations()));
        }
        if (e instanceof UnsupportedByDriverException u) {
            return new InvalidInputException(lines(u.unsupported()));
        }
        if (e instanceof NotFoundException || e instanceof ConflictException) {
            return new InvalidInputException(step + ": " + e.getMessage());
        }
        if (e instanceof InvalidStateException) {
            return new StepFailedException(step, e.getMessage(), e);
        }
        if (e instanceof DriverException d) {
            return new StepFailedException(step, d.operatorMessage() + (d.retryable() ? " (a retry may succeed)" : ""), d);
        }
        if (e instanceof DriverNotFoundException) {
            return new InvalidInputException(step + ": " + e.getMessage());
        }
        if (e instanceof DuplicateDriverException) {
            return new StepFailedException(step, e.getMessage(), e);
        }
        if (e instanceof StorageException) {
            return new StepFailedException(step, "state store: " + e.getMessage(), e);
        }
        return new StepFailedException(step, e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    /** The most error lines printed; the rest are counted in one last line. */
    static final int MAX_LINES = 20;

    /**
     * The lines to print for a failure: all when there are at most {@link #MAX_LINES}, else the
     * first {@code MAX_LINES} and {@code ... and 229 990 more}.
     */
    static List<String> capped(List<String> lines) {
        if (lines.size() <= MAX_LINES) {
            return lines;
        }
        List<String> out = new java.util.ArrayList<>(lines.subList(0, MAX_LINES));
        out.add("... and " + grouped(lines.size() - MAX_LINES) + " more");
        return out;
    }

    /** {@code 229990} as {@code 229 990}. */
    static String grouped(long n) {
        String digits = Long.toString(n);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                sb.append(' ');
            }
            sb.append(digits.charAt(i));
        }
        return sb.toString();
    }

    /** One line per violation: {@code path: rule (rejected: value)}. */
    static List<String> lines(List<Violation> violations) {
        return violations.stream().map(Violation::message).toList();
    }

    /** {@code path: malformed JSON at line L, column C: detail}, {@code $} for the top level. */
    static String line(InvalidJsonException e) {
        return (e.path().isEmpty() ? "$" : e.path()) + ": malformed JSON at line " + e.line() + ", column " + e.column()
                + ": " + e.detail();
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
