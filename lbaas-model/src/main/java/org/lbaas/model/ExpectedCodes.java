package org.lbaas.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The HTTP status codes that make an HTTP health check pass, as Neutron writes them: one code
 * ({@code 200}), a comma-separated list ({@code 200,202}) or an inclusive range ({@code 200-204}).
 *
 * <p>Rules: every code has three digits, from 100 to 599; a range runs upward (a reversed range
 * such as {@code 204-200} is rejected, where v1 produced an empty pattern); a list has no repeated
 * code; the two forms cannot be mixed. Spaces around commas are accepted and dropped, so
 * {@link #spec()} is always canonical.
 *
 * @param spec the canonical text form
 */
public record ExpectedCodes(String spec) {

    private static final String RULE =
            "must be one code (200), a list of codes (200,202) or a range (200-204) of 3-digit codes from 100 to 599";

    public ExpectedCodes {
        Objects.requireNonNull(spec, "spec");
        spec = canonical(spec);
    }

    /** The default of v1: {@code 200}. */
    public static ExpectedCodes defaultCodes() {
        return new ExpectedCodes("200");
    }

    /**
     * Parses a spec; same as the constructor.
     *
     * @param spec the text
     * @return the codes
     * @throws ValidationException with path {@code expected_codes} when the text breaks a rule
     */
    public static ExpectedCodes parse(String spec) {
        if (spec == null) {
            throw ValidationException.of("expected_codes", null, "is required");
        }
        return new ExpectedCodes(spec);
    }

    /** Returns whether the spec is a range {@code low-high}. */
    public boolean isRange() {
        return spec.indexOf('-') > 0;
    }

    /** Returns every accepted code, ascending. */
    public List<Integer> codes() {
        List<Integer> out = new ArrayList<>();
        if (isRange()) {
            int dash = spec.indexOf('-');
            int low = Integer.parseInt(spec.substring(0, dash));
            int high = Integer.parseInt(spec.substring(dash + 1));
            for (int c = low; c <= high; c++) {
                out.add(c);
            }
        } else {
            for (String part : spec.split(",")) {
                out.add(Integer.parseInt(part));
            }
            out.sort(null);
        }
        return List.copyOf(out);
    }

    private static String canonical(String raw) {
        String text = raw.strip();
        if (text.isEmpty() || text.length() > 1_000) {
            throw ValidationException.of("expected_codes", raw, RULE);
        }
        int dash = text.indexOf('-');
        if (dash >= 0) {
            if (text.indexOf(',') >= 0) {
                throw ValidationException.of("expected_codes", raw, RULE + "; a list and a range cannot be mixed");
            }
            int low = code(text.substring(0, dash), raw);
            int high = code(text.substring(dash + 1), raw);
            if (low > high) {
                throw ValidationException.of("expected_codes", raw, "range must run upward (write " + high + "-" + low + ")");
            }
            return low + "-" + high;
        }
        TreeSet<Integer> seen = new TreeSet<>();
        List<String> parts = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            int code = code(part.strip(), raw);
            if (!seen.add(code)) {
                throw ValidationException.of("expected_codes", raw, "must not repeat code " + code);
            }
            parts.add(Integer.toString(code));
        }
        return String.join(",", parts);
    }

    private static int code(String part, String raw) {
        if (part.length() != 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ValidationException.of("expected_codes", raw, RULE);
        }
        int code = Integer.parseInt(part);
        if (code < 100 || code > 599) {
            throw ValidationException.of("expected_codes", raw, RULE);
        }
        return code;
    }
}
