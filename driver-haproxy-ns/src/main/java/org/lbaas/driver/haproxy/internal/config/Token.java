package org.lbaas.driver.haproxy.internal.config;

import com.google.common.net.InetAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One argument of a HAProxy 2.6 configuration line, already validated and written in the exact form
 * HAProxy's parser reads back as the intended value. Tokens exist only through the factory methods
 * below, one per {@link TokenKind}; each is the single validation and escaping routine of its kind,
 * and it either returns a token whose {@link #text()} is safe to place between spaces on a line, or
 * throws {@link InvalidTokenException}. No token text ever contains a line break, a carriage
 * return, a NUL, an unescaped {@code #}, an unescaped space or an unescaped {@code $} inside
 * double quotes, so no value can end a line, start a comment, split into more arguments or expand
 * an environment variable.
 *
 * <p>The parser rules these routines rely on were measured on HAProxy 2.6.12 and are listed in
 * {@code docs/haproxy-2.6-notes.md}, section 7. In short: double quotes protect spaces, {@code #}
 * and {@code '}; inside them {@code \\}, {@code \"} and {@code \$} are the escapes for backslash,
 * double quote and dollar; a line ends at LF, CR or NUL even inside quotes, so those characters are
 * refused rather than escaped.
 *
 * <p>Tokens are immutable values; two tokens are equal when kind and text are equal.
 */
public final class Token {

    /** Longest quoted string, log-format literal, URI or regex accepted, in chars. */
    static final int MAX_TEXT = 8192;
    /** Longest file path accepted, in UTF-8 bytes (Linux PATH_MAX). */
    static final int MAX_PATH_BYTES = 4095;
    /** Longest stats socket path HAProxy 2.6 accepts, in bytes (measured: 98 is refused). */
    static final int MAX_SOCKET_PATH_BYTES = 97;
    /** Longest keyword or sample-fetch name accepted. */
    static final int MAX_KEYWORD = 64;
    /** Longest identifier accepted. */
    static final int MAX_IDENT = 128;
    /** Longest sample-fetch string argument accepted. */
    static final int MAX_FETCH_ARG = 1024;
    /** Most string arguments a sample fetch may get. */
    static final int MAX_FETCH_ARGS = 8;
    /** Largest duration HAProxy's timers hold: 2^31-1 milliseconds (about 24.8 days). */
    static final long MAX_DURATION_MS = Integer.MAX_VALUE;

    private static final Pattern STATUS_CODES =
            Pattern.compile("[1-5][0-9][0-9](-[1-5][0-9][0-9])?(,[1-5][0-9][0-9](-[1-5][0-9][0-9])?){0,63}");

    private final TokenKind kind;
    private final String text;

    private Token(TokenKind kind, String text) {
        this.kind = kind;
        this.text = text;
    }

    /**
     * Returns the kind of this token.
     *
     * @return the kind
     */
    public TokenKind kind() {
        return kind;
    }

    /**
     * Returns the token as it appears in the configuration file.
     *
     * @return the escaped text, never empty
     */
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Token that && kind == that.kind && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + text.hashCode();
    }

    @Override
    public String toString() {
        return kind + "[" + text + "]";
    }

    // ---------------------------------------------------------------- KEYWORD

    /**
     * A word of HAProxy's vocabulary, for our code's constants only ({@code server}, {@code check},
     * {@code roundrobin}, {@code HTTP/1.1}, {@code set-var(txn.x)}, {@code -m}). Accepted: 1 to 64
     * characters from letters, digits and {@code _ . / ( ) -}, starting with a letter or {@code -}.
     * None of these characters means anything to the line parser, so the word is written bare.
     *
     * @param word the keyword
     * @return the token
     * @throws InvalidTokenException if the word breaks the rule
     */
    public static Token keyword(String word) {
        check(TokenKind.KEYWORD, word);
        int n = word.length();
        if (n == 0 || n > MAX_KEYWORD) {
            throw new InvalidTokenException(TokenKind.KEYWORD, word, "must be 1 to " + MAX_KEYWORD + " characters");
        }
        char first = word.charAt(0);
        if (!(isAsciiLetter(first) || first == '-')) {
            throw new InvalidTokenException(TokenKind.KEYWORD, word, "must start with a letter or '-'");
        }
        for (int i = 0; i < n; i++) {
            char c = word.charAt(i);
            if (!(isAsciiLetter(c) || isDigit(c) || c == '_' || c == '.' || c == '/' || c == '(' || c == ')' || c == '-')) {
                throw new InvalidTokenException(TokenKind.KEYWORD, word,
                        "may hold only letters, digits and _ . / ( ) -");
            }
        }
        return new Token(TokenKind.KEYWORD, word);
    }

    // ---------------------------------------------------------------- IDENT

    /**
     * A name of a proxy, server or stick table, or a server's cookie value (lbaas uses UUIDs).
     * Accepted: 1 to 128 characters from letters, digits and {@code _ . : -} (the set HAProxy allows
     * in proxy and server names), starting with a letter or digit. Written bare.
     *
     * @param name the identifier
     * @return the token
     * @throws InvalidTokenException if the name breaks the rule
     */
    public static Token ident(String name) {
        check(TokenKind.IDENT, name);
        int n = name.length();
        if (n == 0 || n > MAX_IDENT) {
            throw new InvalidTokenException(TokenKind.IDENT, name, "must be 1 to " + MAX_IDENT + " characters");
        }
        if (!(isAsciiLetter(name.charAt(0)) || isDigit(name.charAt(0)))) {
            throw new InvalidTokenException(TokenKind.IDENT, name, "must start with a letter or digit");
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (!(isAsciiLetter(c) || isDigit(c) || c == '_' || c == '.' || c == ':' || c == '-')) {
                throw new InvalidTokenException(TokenKind.IDENT, name, "may hold only letters, digits and _ . : -");
            }
        }
        return new Token(TokenKind.IDENT, name);
    }

    // ---------------------------------------------------------------- NUMBER

    /**
     * A non-negative integer up to 2^31-1, written in decimal.
     *
     * @param value the number
     * @return the token
     * @throws InvalidTokenException if the value is negative or too large
     */
    public static Token number(long value) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new InvalidTokenException(TokenKind.NUMBER, value, "must be between 0 and " + Integer.MAX_VALUE);
        }
        return new Token(TokenKind.NUMBER, Long.toString(value));
    }

    // ---------------------------------------------------------------- DURATION

    /**
     * A time for timeouts and check intervals. Accepted: whole milliseconds from 0 to 2^31-1 ms
     * (HAProxy refuses more with "timer overflow" and has no fractional syntax). Written as
     * {@code <n>s} when it is a whole number of seconds, else {@code <n>ms}.
     *
     * @param duration the time
     * @return the token
     * @throws InvalidTokenException if the duration is negative, too long or not whole milliseconds
     */
    public static Token duration(Duration duration) {
        check(TokenKind.DURATION, duration);
        if (duration.isNegative()) {
            throw new InvalidTokenException(TokenKind.DURATION, duration, "must not be negative");
        }
        if (duration.getNano() % 1_000_000 != 0) {
            throw new InvalidTokenException(TokenKind.DURATION, duration, "must be whole milliseconds");
        }
        if (duration.compareTo(Duration.ofMillis(MAX_DURATION_MS)) > 0) {
            throw new InvalidTokenException(TokenKind.DURATION, duration, "must be at most " + MAX_DURATION_MS + " ms");
        }
        long ms = duration.toMillis();
        return new Token(TokenKind.DURATION, ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms");
    }

    // ---------------------------------------------------------------- ADDRESS

    /**
     * An IP literal with a port, for {@code bind}, {@code server} and {@code log}. The literal is
     * parsed (never resolved through DNS) and written canonically: IPv4 as {@code a.b.c.d:port},
     * IPv6 as {@code [addr]:port} (HAProxy also reads the bare form, but splits it at the last
     * colon, which a reader can misread). Only ASCII hex digits, dots and colons are accepted, so
     * IPv6 zone ids ({@code %eth0}) and non-ASCII digits are refused. An IPv4-mapped IPv6 literal is
     * written as the IPv4 address it maps to.
     *
     * @param ipLiteral an IPv4 or IPv6 address literal
     * @param port 1 to 65535
     * @return the token
     * @throws InvalidTokenException if the literal is not an IP address or the port is out of range
     */
    public static Token address(String ipLiteral, int port) {
        check(TokenKind.ADDRESS, ipLiteral);
        if (isCanonicalIpv4(ipLiteral)) {
            requirePort(port);
            return new Token(TokenKind.ADDRESS, ipLiteral + ":" + port);
        }
        // ASCII hex digits, dots and colons only: Guava would also accept non-ASCII digits and zones
        for (int i = 0; i < ipLiteral.length(); i++) {
            char c = ipLiteral.charAt(i);
            if (!(isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':')) {
                throw new InvalidTokenException(TokenKind.ADDRESS, ipLiteral, "must be an IPv4 or IPv6 literal without zone");
            }
        }
        if (!InetAddresses.isInetAddress(ipLiteral)) {
            throw new InvalidTokenException(TokenKind.ADDRESS, ipLiteral, "must be an IPv4 or IPv6 literal without zone");
        }
        return address(InetAddresses.forString(ipLiteral), port);
    }

    /**
     * Same as {@link #address(String, int)} for an address object.
     *
     * @param address an IPv4 or IPv6 address without scope
     * @param port 1 to 65535
     * @return the token
     * @throws InvalidTokenException if the address has a scope or the port is out of range
     */
    public static Token address(InetAddress address, int port) {
        check(TokenKind.ADDRESS, address);
        requirePort(port);
        if (address instanceof Inet6Address v6 && (v6.getScopeId() != 0 || v6.getScopedInterface() != null)) {
            throw new InvalidTokenException(TokenKind.ADDRESS, address, "must not carry an IPv6 zone");
        }
        String host = InetAddresses.toAddrString(address);
        String text = address instanceof Inet6Address ? "[" + host + "]:" + port : host + ":" + port;
        return new Token(TokenKind.ADDRESS, text);
    }

    private static void requirePort(int port) {
        if (port < 1 || port > 65_535) {
            throw new InvalidTokenException(TokenKind.ADDRESS, port, "port must be between 1 and 65535");
        }
    }

    /**
     * Fast path for the common case: four decimal octets 0..255 without leading zeros, which is
     * exactly the canonical text Guava would produce for the same address.
     */
    private static boolean isCanonicalIpv4(String s) {
        int n = s.length();
        if (n < 7 || n > 15) {
            return false;
        }
        int octets = 0;
        int i = 0;
        while (i < n) {
            int start = i;
            int value = 0;
            while (i < n && isDigit(s.charAt(i))) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return false;
            }
            octets++;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != '.' || octets == 4) {
                return false;
            }
            i++;
            if (i == n) {
                return false;
            }
        }
        return octets == 4;
    }

    // ---------------------------------------------------------------- PATH

    /**
     * An absolute file path (state files, check scripts, a syslog socket). Accepted: starts with
     * {@code /}, at most 4095 UTF-8 bytes, no control, format or separator character, no lone
     * surrogate. Written bare when it holds only letters, digits and {@code _ . / + -}, otherwise
     * as a {@linkplain #quoted(String) quoted string}.
     *
     * @param path the absolute path
     * @return the token
     * @throws InvalidTokenException if the path breaks the rule
     */
    public static Token path(String path) {
        return pathOfAtMost(path, MAX_PATH_BYTES);
    }

    /**
     * A path for {@code stats socket}: the rules of {@link #path(String)} and at most 97 UTF-8 bytes,
     * the longest socket path HAProxy 2.6 accepts (it keeps room for a temporary suffix).
     *
     * @param path the absolute socket path
     * @return the token, of kind {@link TokenKind#PATH}
     * @throws InvalidTokenException if the path breaks the rule
     */
    public static Token socketPath(String path) {
        return pathOfAtMost(path, MAX_SOCKET_PATH_BYTES);
    }

    private static Token pathOfAtMost(String path, int maxBytes) {
        check(TokenKind.PATH, path);
        if (path.isEmpty() || path.charAt(0) != '/') {
            throw new InvalidTokenException(TokenKind.PATH, path, "must be absolute (start with '/')");
        }
        requirePrintable(TokenKind.PATH, path);
        if (path.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new InvalidTokenException(TokenKind.PATH, path, "must be at most " + maxBytes + " bytes in UTF-8");
        }
        boolean bare = true;
        for (int i = 0; i < path.length() && bare; i++) {
            char c = path.charAt(i);
            bare = isAsciiLetter(c) || isDigit(c) || c == '_' || c == '.' || c == '/' || c == '+' || c == '-';
        }
        return new Token(TokenKind.PATH, bare ? path : doubleQuoted(path));
    }

    // ---------------------------------------------------------------- QUOTED_STRING

    /**
     * Free text. Accepted: 1 to 8192 chars with no control character (C0, DEL, C1), no Unicode
     * format, line or paragraph separator (they cannot break the parser but would hide text from a
     * human reader) and no lone surrogate. Written in double quotes with {@code \} as {@code \\},
     * {@code "} as {@code \"} and {@code $} as {@code \$}; everything else, including {@code #},
     * {@code '}, spaces and non-ASCII text, is written as is.
     *
     * @param text the text
     * @return the token
     * @throws InvalidTokenException if the text breaks the rule
     */
    public static Token quoted(String text) {
        requireText(TokenKind.QUOTED_STRING, text);
        return new Token(TokenKind.QUOTED_STRING, doubleQuoted(text));
    }

    // ---------------------------------------------------------------- LOG_FORMAT_STRING

    /**
     * Literal text for an argument HAProxy reads as a log-format string (an {@code http-check send}
     * header value, {@code lf-string}): the rules of {@link #quoted(String)} with every {@code %}
     * doubled first, so that no {@code %[...]} expression is evaluated.
     *
     * @param text the literal text
     * @return the token
     * @throws InvalidTokenException if the text breaks the rule
     */
    public static Token logFormatLiteral(String text) {
        requireText(TokenKind.LOG_FORMAT_STRING, text);
        return new Token(TokenKind.LOG_FORMAT_STRING, doubleQuoted(text.replace("%", "%%")));
    }

    // ---------------------------------------------------------------- HTTP_URI

    /**
     * The request target of an HTTP health check. Accepted: starts with {@code /}, 1 to 8192
     * characters, each a visible ASCII character (0x21 to 0x7E): a space or a control character
     * would corrupt the check request even though the config parser would carry it (measured: an
     * escaped CR LF in {@code uri} added headers to the request). Written as a
     * {@linkplain #quoted(String) quoted string}, because a path may hold {@code $ ' #}.
     *
     * @param uri the request target
     * @return the token
     * @throws InvalidTokenException if the URI breaks the rule
     */
    public static Token httpUri(String uri) {
        check(TokenKind.HTTP_URI, uri);
        if (uri.isEmpty() || uri.length() > MAX_TEXT || uri.charAt(0) != '/') {
            throw new InvalidTokenException(TokenKind.HTTP_URI, uri, "must start with '/' and be at most " + MAX_TEXT + " characters");
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new InvalidTokenException(TokenKind.HTTP_URI, uri, "may hold only visible ASCII characters (no space)");
            }
        }
        return new Token(TokenKind.HTTP_URI, doubleQuoted(uri));
    }

    // ---------------------------------------------------------------- SAMPLE_FETCH

    /**
     * A sample fetch (or converter-free expression) with string arguments, such as
     * {@code req.cook(NAME)}. The fetch name must be 1 to 64 characters from lower-case letters,
     * digits, {@code _} and {@code .}, starting with a letter. Each argument follows the rules of
     * {@link #quoted(String)} with at most 1024 chars; at most 8 arguments.
     *
     * <p>Written on two levels, as measured: each argument goes in double quotes with {@code \} and
     * {@code "} backslash-escaped (the argument parser's own quoting, which protects {@code ,} and
     * {@code )}), then the whole expression {@code name("a1","a2")} is written as a quoted string
     * (which protects it from the line parser). Without arguments the bare name is written.
     *
     * @param fetch the fetch name, from our code
     * @param stringArgs the string arguments, possibly user data
     * @return the token
     * @throws InvalidTokenException if the name or an argument breaks the rule
     */
    public static Token sampleFetch(String fetch, String... stringArgs) {
        check(TokenKind.SAMPLE_FETCH, fetch);
        check(TokenKind.SAMPLE_FETCH, stringArgs);
        int n = fetch.length();
        if (n == 0 || n > MAX_KEYWORD || !isLowerLetter(fetch.charAt(0))) {
            throw new InvalidTokenException(TokenKind.SAMPLE_FETCH, fetch,
                    "fetch name must be 1 to " + MAX_KEYWORD + " characters starting with a lower-case letter");
        }
        for (int i = 0; i < n; i++) {
            char c = fetch.charAt(i);
            if (!(isLowerLetter(c) || isDigit(c) || c == '_' || c == '.')) {
                throw new InvalidTokenException(TokenKind.SAMPLE_FETCH, fetch,
                        "fetch name may hold only lower-case letters, digits, '_' and '.'");
            }
        }
        if (stringArgs.length == 0) {
            return new Token(TokenKind.SAMPLE_FETCH, fetch);
        }
        if (stringArgs.length > MAX_FETCH_ARGS) {
            throw new InvalidTokenException(TokenKind.SAMPLE_FETCH, stringArgs.length,
                    "arguments: at most " + MAX_FETCH_ARGS);
        }
        StringBuilder expression = new StringBuilder(fetch).append('(');
        for (int i = 0; i < stringArgs.length; i++) {
            String arg = stringArgs[i];
            requireText(TokenKind.SAMPLE_FETCH, arg);
            if (arg.length() > MAX_FETCH_ARG) {
                throw new InvalidTokenException(TokenKind.SAMPLE_FETCH, arg,
                        "argument must be at most " + MAX_FETCH_ARG + " characters");
            }
            if (i > 0) {
                expression.append(',');
            }
            expression.append('"');
            for (int j = 0; j < arg.length(); j++) {
                char c = arg.charAt(j);
                if (c == '\\' || c == '"') {
                    expression.append('\\');
                }
                expression.append(c);
            }
            expression.append('"');
        }
        expression.append(')');
        return new Token(TokenKind.SAMPLE_FETCH, doubleQuoted(expression.toString()));
    }

    // ---------------------------------------------------------------- REGEX

    /**
     * A regular expression (for {@code rstatus}, {@code -m reg}). Accepted: the rules of
     * {@link #quoted(String)}, at most 8192 chars, and the pattern must compile as a Java regex (a
     * sanity check; HAProxy uses PCRE2, whose syntax is a superset for the patterns we write).
     * Written as a quoted string, so {@code \d} becomes {@code \\d} and {@code $} becomes {@code \$}
     * on the line and reaches the regex engine unchanged.
     *
     * @param regex the pattern
     * @return the token
     * @throws InvalidTokenException if the pattern breaks the rule
     */
    public static Token regex(String regex) {
        requireText(TokenKind.REGEX, regex);
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new InvalidTokenException(TokenKind.REGEX, regex, "is not a valid regular expression: " + e.getDescription());
        }
        return new Token(TokenKind.REGEX, doubleQuoted(regex));
    }

    // ---------------------------------------------------------------- STATUS_CODES

    /**
     * HTTP status codes for {@code http-check expect status}: a comma-separated list of codes and
     * ranges such as {@code 200}, {@code 200,202} or {@code 200-204,301}; each code 100 to 599, each
     * range upward, at most 64 items. Written bare.
     *
     * @param spec the codes
     * @return the token
     * @throws InvalidTokenException if the spec breaks the rule
     */
    public static Token statusCodes(String spec) {
        check(TokenKind.STATUS_CODES, spec);
        if (!STATUS_CODES.matcher(spec).matches()) {
            throw new InvalidTokenException(TokenKind.STATUS_CODES, spec,
                    "must be codes (100-599) or ranges (200-204) separated by commas, at most 64");
        }
        for (String item : spec.split(",", -1)) {
            int dash = item.indexOf('-');
            if (dash > 0 && Integer.parseInt(item.substring(0, dash)) > Integer.parseInt(item.substring(dash + 1))) {
                throw new InvalidTokenException(TokenKind.STATUS_CODES, spec, "ranges must run upward");
            }
        }
        return new Token(TokenKind.STATUS_CODES, spec);
    }

    // ---------------------------------------------------------------- helpers

    private static void check(TokenKind kind, Object value) {
        if (value == null) {
            throw new InvalidTokenException(kind, null, "must not be null");
        }
    }

    private static void requireText(TokenKind kind, String text) {
        check(kind, text);
        if (text.isEmpty() || text.length() > MAX_TEXT) {
            throw new InvalidTokenException(kind, text, "must be 1 to " + MAX_TEXT + " characters");
        }
        requirePrintable(kind, text);
    }

    /** Refuses control, format and separator characters and lone surrogates. */
    private static void requirePrintable(TokenKind kind, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                throw new InvalidTokenException(kind, text,
                        "must not contain control characters (newline, carriage return, NUL, tab, ...)");
            }
            if (c < 0x80) {
                continue;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    throw new InvalidTokenException(kind, text, "must not contain a lone surrogate");
                }
                int cp = Character.toCodePoint(c, text.charAt(++i));
                if (Character.getType(cp) == Character.FORMAT) {
                    throw new InvalidTokenException(kind, text, "must not contain Unicode format characters");
                }
                continue;
            }
            if (Character.isLowSurrogate(c)) {
                throw new InvalidTokenException(kind, text, "must not contain a lone surrogate");
            }
            int type = Character.getType(c);
            if (type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                throw new InvalidTokenException(kind, text,
                        "must not contain Unicode format, line or paragraph separator characters");
            }
        }
    }

    /** The line parser's weak quoting: backslash, double quote and dollar escaped. */
    private static String doubleQuoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == '"' || c == '$') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isLowerLetter(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static void requireKind(Token token, TokenKind kind, String what) {
        Objects.requireNonNull(token, what);
        if (token.kind != kind) {
            throw new MalformedConfigException(what + " must be a " + kind + " token, got " + token);
        }
    }
}
