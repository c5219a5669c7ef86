package org.lbaas.driver.haproxy.internal.keepalived;

import com.google.common.net.InetAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The one validation routine per kind of word a keepalived 2.2 configuration line is made of. Each
 * returns the exact text to place on a line or throws {@link KeepalivedConfigException} naming the
 * field. keepalived's parser splits at white space, starts comments at {@code #} and {@code !},
 * reads {@code "} as quoting, {@code { }} as blocks, {@code $} as a parameter reference, {@code @}
 * as a conditional prefix and {@code ~} as a sequence; no routine lets any of these characters (nor
 * a control character) through, so every word is written bare and no value can add a line, a
 * block or a substitution. There is deliberately no free-text kind.
 */
final class KeepalivedTokens {

    /** Longest instance or track-file name accepted. */
    static final int MAX_NAME = 64;
    /** Longest Linux interface name (IFNAMSIZ - 1). */
    static final int MAX_INTERFACE = 15;
    /** Longest path accepted, in bytes (Linux PATH_MAX - 1). */
    static final int MAX_PATH_BYTES = 4095;
    /** Smallest VRRPv3 advertisement interval: one centisecond. */
    static final Duration MIN_ADVERT = Duration.ofMillis(10);
    /** Largest VRRPv3 advertisement interval: the field holds 12 bits of centiseconds (40.95 s). */
    static final Duration MAX_ADVERT = Duration.ofMillis(40_950);

    private KeepalivedTokens() {
    }

    /** A keyword of keepalived's vocabulary, for our constants: lower-case letters and {@code _}. */
    static String keyword(String word) {
        if (word == null || word.isEmpty() || !word.chars().allMatch(c -> (c >= 'a' && c <= 'z') || c == '_')) {
            throw new KeepalivedConfigException("keyword", word, "must be lower-case letters and '_'");
        }
        return word;
    }

    /** An instance, router or track-file name: 1 to 64 chars from letters, digits, {@code _ -}, starting with a letter. */
    static String name(String field, String value) {
        requireNonNull(field, value);
        if (value.isEmpty() || value.length() > MAX_NAME) {
            throw new KeepalivedConfigException(field, value, "must be 1 to " + MAX_NAME + " characters");
        }
        if (!isLetter(value.charAt(0))) {
            throw new KeepalivedConfigException(field, value, "must start with a letter");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(isLetter(c) || isDigit(c) || c == '_' || c == '-')) {
                throw new KeepalivedConfigException(field, value, "may hold only letters, digits, '_' and '-'");
            }
        }
        return value;
    }

    /**
     * A Linux interface name: 1 to 15 chars from letters, digits, {@code _ . -}, starting with a
     * letter or digit, not {@code .} or {@code ..} (the kernel refuses those, and {@code /}, {@code :}
     * and white space).
     */
    static String interfaceName(String field, String value) {
        requireNonNull(field, value);
        if (value.isEmpty() || value.length() > MAX_INTERFACE) {
            throw new KeepalivedConfigException(field, value, "must be 1 to " + MAX_INTERFACE + " characters (IFNAMSIZ)");
        }
        if (!(isLetter(value.charAt(0)) || isDigit(value.charAt(0)))) {
            throw new KeepalivedConfigException(field, value, "must start with a letter or digit");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(isLetter(c) || isDigit(c) || c == '_' || c == '.' || c == '-')) {
                throw new KeepalivedConfigException(field, value, "may hold only letters, digits, '_', '.' and '-'");
            }
        }
        return value;
    }

    /** An integer within {@code [min, max]}, in decimal. */
    static String integer(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new KeepalivedConfigException(field, value, "must be between " + min + " and " + max);
        }
        return Long.toString(value);
    }

    /**
     * A VRRPv3 advertisement interval: whole centiseconds from 0.01 s to 40.95 s (keepalived rounds
     * anything else with a warning), written in seconds with at most two decimals ({@code 0.1},
     * {@code 0.25}, {@code 1}).
     */
    static String interval(String field, Duration value) {
        requireNonNull(field, value);
        if (value.compareTo(MIN_ADVERT) < 0 || value.compareTo(MAX_ADVERT) > 0) {
            throw new KeepalivedConfigException(field, value, "must be between 0.01 s and 40.95 s");
        }
        if (value.toNanos() % 10_000_000L != 0) {
            throw new KeepalivedConfigException(field, value, "must be whole centiseconds (VRRPv3 units of 10 ms)");
        }
        long cs = value.toNanos() / 10_000_000L;
        long whole = cs / 100;
        long frac = cs % 100;
        if (frac == 0) {
            return Long.toString(whole);
        }
        return frac % 10 == 0 ? whole + "." + (frac / 10) : whole + "." + (frac < 10 ? "0" : "") + frac;
    }

    /** An IP address without zone, in canonical text (IPv6 compressed, lower case). */
    static String address(String field, InetAddress value) {
        requireNonNull(field, value);
        if (value instanceof Inet6Address v6 && (v6.getScopeId() != 0 || v6.getScopedInterface() != null)) {
            throw new KeepalivedConfigException(field, value, "must not carry an IPv6 zone");
        }
        return InetAddresses.toAddrString(value);
    }

    /** An address with its prefix length, {@code a.b.c.d/len} or {@code addr/len}. */
    static String prefix(String field, InetAddress value, int length) {
        String text = address(field, value);
        int max = value instanceof Inet6Address ? 128 : 32;
        if (length < 1 || length > max) {
            throw new KeepalivedConfigException(field + ".prefixLength", length, "must be between 1 and " + max);
        }
        return text + "/" + length;
    }

    /**
     * An absolute path from letters, digits and {@code _ . / + -} only, at most 4095 bytes, without
     * a {@code .} or {@code ..} component. keepalived's quoting is too weak to carry anything else
     * safely, and the driver chooses these paths itself.
     */
    static String path(String field, Path value) {
        requireNonNull(field, value);
        String text = value.toString();
        if (!value.isAbsolute() || text.isEmpty() || text.charAt(0) != '/') {
            throw new KeepalivedConfigException(field, text, "must be an absolute path");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new KeepalivedConfigException(field, text, "must be at most " + MAX_PATH_BYTES + " bytes");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(isLetter(c) || isDigit(c) || c == '_' || c == '.' || c == '/' || c == '+' || c == '-')) {
                throw new KeepalivedConfigException(field, text, "may hold only letters, digits and _ . / + -");
            }
        }
        for (Path part : value) {
            if (part.toString().equals(".") || part.toString().equals("..")) {
                throw new KeepalivedConfigException(field, text, "must not have a '.' or '..' component");
            }
        }
        return text;
    }

    static void requireNonNull(String field, Object value) {
        if (value == null) {
            throw new KeepalivedConfigException(field, null, "must not be null");
        }
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
