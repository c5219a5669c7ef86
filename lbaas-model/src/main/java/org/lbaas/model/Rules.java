package org.lbaas.model;

import java.util.regex.Pattern;

/** The character-level rules shared by the model's records. */
final class Rules {

    /** Longest name or description, as in Neutron. */
    static final int MAX_TEXT = 255;
    /** Longest status description. */
    static final int MAX_STATUS_DESCRIPTION = 1024;
    /** Longest cookie name. */
    static final int MAX_COOKIE_NAME = 64;
    /** Longest health-check URL path. */
    static final int MAX_URL_PATH = 1024;
    /** Largest health-check delay or timeout, in seconds (one day). */
    static final int MAX_DELAY_SECONDS = 86_400;

    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");
    private static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    /**
     * RFC 6265 cookie-name = token (RFC 2616): visible ASCII except separators; not starting with
     * {@code $}, which RFC 2109 reserves for cookie attributes (HAProxy skips such cookies, so
     * persistence on them would silently never match).
     */
    private static final Pattern COOKIE_NAME = Pattern.compile("[!#%&'*+.^_`|~0-9A-Za-z-][!#$%&'*+.^_`|~0-9A-Za-z-]{0,"
            + (MAX_COOKIE_NAME - 1) + "}");
    /**
     * RFC 3986 path-absolute with an optional query: pchar = unreserved / pct-encoded / sub-delims
     * / ":" / "@", plus "/" and "?".
     */
    private static final Pattern URL_PATH = Pattern.compile(
            "/(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*");

    private Rules() {
    }

    static void text(Violations v, String value, String path, int max) {
        if (v.required(value, path)) {
            v.check(value.length() <= max, path, value, "must be at most " + max + " characters");
            v.check(value.codePoints().noneMatch(Rules::isControlOrFormat), path, value,
                    "must not contain control characters such as newline, carriage return or NUL");
        }
    }

    static void tenant(Violations v, String value, String path) {
        if (v.required(value, path)) {
            v.check(TENANT.matcher(value).matches(), path, value,
                    "must be 1 to 255 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
    }

    static void provider(Violations v, String value, String path) {
        if (v.required(value, path)) {
            v.check(value.isEmpty() || PROVIDER.matcher(value).matches(), path, value,
                    "must be empty or 1 to 64 lower-case letters, digits, '_', '.' or '-'");
        }
    }

    static boolean cookieName(String value) {
        return COOKIE_NAME.matcher(value).matches();
    }

    static boolean urlPath(String value) {
        return value.length() <= MAX_URL_PATH && URL_PATH.matcher(value).matches();
    }

    static void port(Violations v, int port, String path) {
        v.range(port, 1, 65_535, path);
    }

    private static boolean isControlOrFormat(int c) {
        return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR;
    }
}
