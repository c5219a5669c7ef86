package org.lbaas.driver.haproxy.internal.config;

/**
 * The kinds of argument a HAProxy 2.6 configuration line is made of. Each kind has exactly one
 * validation and escaping routine, a factory method of {@link Token}; the measured parser rules
 * behind them are in {@code docs/haproxy-2.6-notes.md}, section 7.
 */
public enum TokenKind {
    /** A word of HAProxy's own vocabulary, written by our code: {@code server}, {@code check}, {@code -m}. */
    KEYWORD,
    /** A proxy, server or table name, or a server cookie value: letters, digits, {@code _ . : -}. */
    IDENT,
    /** A non-negative decimal integer that fits HAProxy's signed 32-bit settings. */
    NUMBER,
    /** A time in HAProxy's integer-plus-unit syntax, whole milliseconds up to about 24.8 days. */
    DURATION,
    /** An IP literal and a port; IPv6 in brackets. */
    ADDRESS,
    /** An absolute file path (optionally limited to what a stats socket accepts). */
    PATH,
    /** Free text, double-quoted and escaped so that it reaches HAProxy byte for byte. */
    QUOTED_STRING,
    /** Literal text in a log-format argument: quoted, and {@code %} doubled. */
    LOG_FORMAT_STRING,
    /** An HTTP request target for health checks: visible ASCII starting with {@code /}. */
    HTTP_URI,
    /** A sample fetch with string arguments, such as {@code req.cook("NAME")}, escaped on both levels. */
    SAMPLE_FETCH,
    /** A regular expression (PCRE2 on the HAProxy side), quoted and escaped. */
    REGEX,
    /** A list of HTTP status codes and ranges, as {@code http-check expect status} takes it. */
    STATUS_CODES
}
