package org.lbaas.driver.haproxy.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenTest {

    /** Values that must never reach a config as given: each is refused by every text-like kind. */
    static Stream<String> controlCharacterValues() {
        return Stream.of("a\nb", "a\rb", "a\r\nserver evil 1.2.3.4:80", "a\u0000b", "\u0000", "tab\there", "\u000b", "\f",
                "del\u007f", "c1\u0085", "\u009f", "ls\u2028", "ps\u2029", "bidi\u202e", "zw\u200b", "bom\ufeff",
                "lone\ud800", "lone\udc00x", "tag\udb40\udc01");
    }

    private static void assertRejected(TokenKind kind, Function<String, Token> factory, String value) {
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> factory.apply(value),
                () -> kind + " accepted " + InvalidTokenException.preview(value));
        assertEquals(kind, e.kind());
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r") || e.getMessage().contains("\u0000"),
                "the message must be safe to log: " + e.getMessage());
    }

    /** The words the line {@code k <token>} is cut into by the model of HAProxy's parser. */
    private static List<String> parsed(Token token) {
        return Haproxy26LineModel.words("k " + token.text());
    }

    @Nested
    @DisplayName("KEYWORD")
    class Keywords {
        @ParameterizedTest
        @ValueSource(strings = {"server", "http-check", "HTTP/1.1", "set-var(txn.v1)", "-m", "local0", "GET", "req.cook", "a"})
        void vocabularyWordsAreWrittenBare(String word) {
            assertEquals(word, Token.keyword(word).text());
            assertEquals(TokenKind.KEYWORD, Token.keyword(word).kind());
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "a b", "a#b", "#", ".if", ".diag", "1abc", "_x", "a\"b", "a'b", "a$b", "a\\b", "a,b",
                "a{b", "é", "a@b", "a;b", "a\nb", "a\tb"})
        void anythingWithAParserCharacterIsRefused(String word) {
            assertRejected(TokenKind.KEYWORD, Token::keyword, word);
        }

        @Test
        void lengthIsCappedAt64() {
            assertEquals(64, Token.keyword("k".repeat(64)).text().length());
            assertRejected(TokenKind.KEYWORD, Token::keyword, "k".repeat(65));
        }

        @Test
        void nullIsRefusedAsAnInvalidToken() {
            assertRejected(TokenKind.KEYWORD, Token::keyword, null);
        }
    }

    @Nested
    @DisplayName("IDENT")
    class Idents {
        @ParameterizedTest
        @ValueSource(strings = {"4f1b8a3e-5c1d-4e2b-9a7f-0123456789ab", "a.b:c_d-e", "SRV", "0", "backend1"})
        void namesHaproxyAcceptsAreWrittenBare(String name) {
            assertEquals(name, Token.ident(name).text());
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "-x", ".x", ":x", "_x", "a/b", "a b", "a@b", "a%b", "a+b", "é", "a#b", "a\"b", "a$b", "a\nb"})
        void charactersHaproxyRefusesInNamesAreRefused(String name) {
            assertRejected(TokenKind.IDENT, Token::ident, name);
        }

        @Test
        void lengthIsCappedAt128() {
            assertEquals(128, Token.ident("i".repeat(128)).text().length());
            assertRejected(TokenKind.IDENT, Token::ident, "i".repeat(129));
        }
    }

    @Nested
    @DisplayName("NUMBER")
    class Numbers {
        @Test
        void decimalFromZeroToIntMax() {
            assertEquals("0", Token.number(0).text());
            assertEquals("256", Token.number(256).text());
            assertEquals("2147483647", Token.number(Integer.MAX_VALUE).text());
        }

        @ParameterizedTest
        @ValueSource(longs = {-1, Long.MIN_VALUE, 2_147_483_648L, Long.MAX_VALUE})
        void outOfRangeIsRefused(long value) {
            InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> Token.number(value));
            assertEquals(TokenKind.NUMBER, e.kind());
        }
    }

    @Nested
    @DisplayName("DURATION")
    class Durations {
        static Stream<Arguments> written() {
            return Stream.of(
                    arguments(Duration.ZERO, "0s"),
                    arguments(Duration.ofMillis(1), "1ms"),
                    arguments(Duration.ofMillis(1500), "1500ms"),
                    arguments(Duration.ofSeconds(5), "5s"),
                    arguments(Duration.ofMinutes(30), "1800s"),
                    arguments(Duration.ofDays(24), "2073600s"),
                    arguments(Duration.ofMillis(Integer.MAX_VALUE), "2147483647ms"));
        }

        @ParameterizedTest
        @MethodSource("written")
        void wholeSecondsInSecondsOtherwiseMilliseconds(Duration duration, String text) {
            assertEquals(text, Token.duration(duration).text());
        }

        @Test
        void negativeFractionalAndOverflowingAreRefused() {
            for (Duration d : List.of(Duration.ofMillis(-1), Duration.ofNanos(1_500_000), Duration.ofNanos(1),
                    Duration.ofMillis(Integer.MAX_VALUE + 1L), Duration.ofDays(25))) {
                InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> Token.duration(d), d::toString);
                assertEquals(TokenKind.DURATION, e.kind());
            }
            assertThrows(InvalidTokenException.class, () -> Token.duration(null));
        }
    }

    @Nested
    @DisplayName("ADDRESS")
    class Addresses {
        static Stream<Arguments> written() {
            return Stream.of(
                    arguments("10.0.0.1", 80, "10.0.0.1:80"),
                    arguments("0.0.0.0", 1, "0.0.0.0:1"),
                    arguments("2001:DB8:0:0:0:0:0:5", 443, "[2001:db8::5]:443"),
                    arguments("2001:db8::5", 80, "[2001:db8::5]:80"),
                    arguments("::", 65535, "[::]:65535"),
                    arguments("::1", 8080, "[::1]:8080"),
                    arguments("::ffff:10.0.0.1", 80, "10.0.0.1:80"));
        }

        @ParameterizedTest
        @MethodSource("written")
        void canonicalIpv4OrBracketedIpv6(String ip, int port, String text) {
            Token token = Token.address(ip, port);
            assertEquals(text, token.text());
            assertEquals(List.of(text), Haproxy26LineModel.words(text));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "example.com", "localhost", "10.0.0.1:80", "10.0.0.1 80", "[::1]", "fe80::1%eth0",
                "fe80::1%1", "10.0.0.256", "1.2.3.4\n", "1.2.3.4#", "::1 #", "01.2.3.4", "1.2.3", "1.2.3.4.", ".1.2.3.4", "1..2.3",
                "1.2.3.4.5", "1.2.3.0004", "+1.2.3.4", "1.2.3.-4", "١.٢.٣.٤"})
        void anythingButAPlainLiteralIsRefused(String ip) {
            assertRejected(TokenKind.ADDRESS, v -> Token.address(v, 80), ip);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1, 65_536, Integer.MAX_VALUE})
        void portsOutsideTheRangeAreRefused(int port) {
            InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> Token.address("10.0.0.1", port));
            assertEquals(TokenKind.ADDRESS, e.kind());
        }

        @Test
        void addressObjectsWithAScopeAreRefused() throws UnknownHostException {
            InetAddress scoped = InetAddress.getByName("fe80::1%1");
            assertThrows(InvalidTokenException.class, () -> Token.address(scoped, 80));
            assertEquals("[fe80::1]:80", Token.address(InetAddress.getByName("fe80::1"), 80).text());
        }
    }

    @Nested
    @DisplayName("PATH")
    class Paths {
        static Stream<Arguments> written() {
            return Stream.of(
                    arguments("/var/lib/lbaas/4f1b/haproxy.sock", "/var/lib/lbaas/4f1b/haproxy.sock"),
                    arguments("/dev/log", "/dev/log"),
                    arguments("/opt/a+b/c-d_e.f", "/opt/a+b/c-d_e.f"),
                    arguments("/tmp/with space", "\"/tmp/with space\""),
                    arguments("/tmp/$HOME", "\"/tmp/\\$HOME\""),
                    arguments("/tmp/a#b", "\"/tmp/a#b\""),
                    arguments("/tmp/q\"uote", "\"/tmp/q\\\"uote\""),
                    arguments("/tmp/back\\slash", "\"/tmp/back\\\\slash\""),
                    arguments("/tmp/é", "\"/tmp/é\""));
        }

        @ParameterizedTest
        @MethodSource("written")
        void safePathsBareOthersQuoted(String path, String text) {
            Token token = Token.path(path);
            assertEquals(text, token.text());
            assertEquals(List.of("k", path), parsed(token));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "relative/path", "./x", "~/x", " /x"})
        void relativePathsAreRefused(String path) {
            assertRejected(TokenKind.PATH, Token::path, path);
        }

        @ParameterizedTest
        @MethodSource("org.lbaas.driver.haproxy.internal.config.TokenTest#controlCharacterValues")
        void controlCharactersAreRefused(String hostile) {
            assertRejected(TokenKind.PATH, Token::path, "/" + hostile);
        }

        @Test
        void lengthLimitsAreInUtf8Bytes() {
            assertEquals(4095, Token.path("/" + "p".repeat(4094)).text().length());
            assertRejected(TokenKind.PATH, Token::path, "/" + "p".repeat(4095));
            assertRejected(TokenKind.PATH, Token::path, "/" + "é".repeat(2048));
            assertEquals(97, Token.socketPath("/" + "s".repeat(96)).text().length());
            assertEquals(TokenKind.PATH, Token.socketPath("/run/x.sock").kind());
            assertRejected(TokenKind.PATH, Token::socketPath, "/" + "s".repeat(97));
            assertRejected(TokenKind.PATH, Token::socketPath, "/" + "é".repeat(49));
        }
    }

    @Nested
    @DisplayName("QUOTED_STRING")
    class QuotedStrings {
        static Stream<Arguments> written() {
            return Stream.of(
                    arguments("plain", "\"plain\""),
                    arguments("a b", "\"a b\""),
                    arguments("a#b", "\"a#b\""),
                    arguments("#", "\"#\""),
                    arguments("a\"b", "\"a\\\"b\""),
                    arguments("a'b", "\"a'b\""),
                    arguments("$HOME", "\"\\$HOME\""),
                    arguments("${X-y}", "\"\\${X-y}\""),
                    arguments("a\\b", "\"a\\\\b\""),
                    arguments("\\n", "\"\\\\n\""),
                    arguments("\\x41", "\"\\\\x41\""),
                    arguments("trailing\\", "\"trailing\\\\\""),
                    arguments("\\\"", "\"\\\\\\\"\""),
                    arguments("%[src]", "\"%[src]\""),
                    arguments(" ", "\" \""),
                    arguments("server evil 1.2.3.4:80", "\"server evil 1.2.3.4:80\""),
                    arguments(".if 1", "\".if 1\""),
                    arguments("日本語 é", "\"日本語 é\""),
                    arguments("emoji \ud83d\ude00", "\"emoji \ud83d\ude00\""));
        }

        @ParameterizedTest
        @MethodSource("written")
        void doubleQuotedWithBackslashQuoteAndDollarEscaped(String value, String text) {
            Token token = Token.quoted(value);
            assertEquals(text, token.text());
            assertEquals(TokenKind.QUOTED_STRING, token.kind());
            assertEquals(List.of("k", value), parsed(token));
        }

        @ParameterizedTest
        @MethodSource("org.lbaas.driver.haproxy.internal.config.TokenTest#controlCharacterValues")
        void controlFormatSeparatorAndLoneSurrogatesAreRefused(String hostile) {
            assertRejected(TokenKind.QUOTED_STRING, Token::quoted, hostile);
        }

        @Test
        void emptyIsRefusedBecauseHaproxyDropsATrailingEmptyWord() {
            assertRejected(TokenKind.QUOTED_STRING, Token::quoted, "");
            assertRejected(TokenKind.QUOTED_STRING, Token::quoted, null);
        }

        @Test
        void veryLongValuesAreExactUpTo8192CharsThenRefused() {
            String longest = "#$\"' \\".repeat(8192 / 6) + "xx";
            assertEquals(8192, longest.length());
            assertEquals(List.of("k", longest), parsed(Token.quoted(longest)));
            assertRejected(TokenKind.QUOTED_STRING, Token::quoted, longest + "x");
        }
    }

    @Nested
    @DisplayName("LOG_FORMAT_STRING")
    class LogFormatStrings {
        @Test
        void percentSignsAreDoubledOnTopOfQuoting() {
            assertEquals("\"lbaas-health-check\"", Token.logFormatLiteral("lbaas-health-check").text());
            assertEquals("\"a%%b\"", Token.logFormatLiteral("a%b").text());
            assertEquals("\"%%[src] \\$x\"", Token.logFormatLiteral("%[src] $x").text());
            assertEquals(List.of("k", "%%{+Q}o"), parsed(Token.logFormatLiteral("%{+Q}o")));
        }

        @ParameterizedTest
        @MethodSource("org.lbaas.driver.haproxy.internal.config.TokenTest#controlCharacterValues")
        void controlCharactersAreRefused(String hostile) {
            assertRejected(TokenKind.LOG_FORMAT_STRING, Token::logFormatLiteral, hostile);
        }
    }

    @Nested
    @DisplayName("HTTP_URI")
    class HttpUris {
        static Stream<Arguments> written() {
            return Stream.of(
                    arguments("/", "\"/\""),
                    arguments("/health", "\"/health\""),
                    arguments("/p?a=$b&c='d'", "\"/p?a=\\$b&c='d'\""),
                    arguments("/a#frag", "\"/a#frag\""),
                    arguments("/%41(x),y;z=@:!*+~", "\"/%41(x),y;z=@:!*+~\""),
                    arguments("/q\"uote\\", "\"/q\\\"uote\\\\\""));
        }

        @ParameterizedTest
        @MethodSource("written")
        void visibleAsciiQuoted(String uri, String text) {
            Token token = Token.httpUri(uri);
            assertEquals(text, token.text());
            assertEquals(List.of("k", uri), parsed(token));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "health", "http://x/", " /", "/a b", "/a\r\nX-Evil: 1", "/a\tb", "/é", "/a\u0000"})
        void relativeSpacesControlsAndNonAsciiAreRefused(String uri) {
            assertRejected(TokenKind.HTTP_URI, Token::httpUri, uri);
        }

        @Test
        void lengthIsCappedAt8192() {
            assertEquals(8194, Token.httpUri("/" + "u".repeat(8191)).text().length());
            assertRejected(TokenKind.HTTP_URI, Token::httpUri, "/" + "u".repeat(8192));
        }
    }

    @Nested
    @DisplayName("SAMPLE_FETCH")
    class SampleFetches {
        static Stream<Arguments> written() {
            return Stream.of(
                    arguments("req.cook", new String[] {"APPSESS"}, "\"req.cook(\\\"APPSESS\\\")\""),
                    arguments("res.cook", new String[] {"x!#$%&'*+^`|~y"}, "\"res.cook(\\\"x!#\\$%&'*+^`|~y\\\")\""),
                    arguments("str", new String[] {"a,b)c"}, "\"str(\\\"a,b)c\\\")\""),
                    arguments("str", new String[] {"a\"b"}, "\"str(\\\"a\\\\\\\"b\\\")\""),
                    arguments("str", new String[] {"a\\b"}, "\"str(\\\"a\\\\\\\\b\\\")\""),
                    arguments("str", new String[] {"x", "y"}, "\"str(\\\"x\\\",\\\"y\\\")\""),
                    arguments("src", new String[] {}, "src"));
        }

        @ParameterizedTest
        @MethodSource("written")
        void argumentsQuotedForTheArgumentParserThenTheWholeWordForTheLineParser(String fetch, String[] args, String text) {
            Token token = Token.sampleFetch(fetch, args);
            assertEquals(text, token.text());
            List<String> words = parsed(token);
            assertEquals(2, words.size());
            List<String> expected = new java.util.ArrayList<>(List.of(fetch));
            expected.addAll(List.of(args));
            assertEquals(expected, Haproxy26LineModel.fetch(words.get(1)));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "Req.cook", "req cook", "req.cook(", "req-cook", "1req", ".cook", "req.cook#", "req$"})
        void fetchNamesOutsideTheVocabularyAreRefused(String fetch) {
            assertRejected(TokenKind.SAMPLE_FETCH, f -> Token.sampleFetch(f, "x"), fetch);
        }

        @ParameterizedTest
        @MethodSource("org.lbaas.driver.haproxy.internal.config.TokenTest#controlCharacterValues")
        void controlCharactersInArgumentsAreRefused(String hostile) {
            assertRejected(TokenKind.SAMPLE_FETCH, a -> Token.sampleFetch("req.cook", a), hostile);
        }

        @Test
        void emptyTooLongAndTooManyArgumentsAreRefused() {
            assertRejected(TokenKind.SAMPLE_FETCH, a -> Token.sampleFetch("req.cook", a), "");
            assertRejected(TokenKind.SAMPLE_FETCH, a -> Token.sampleFetch("req.cook", a), "c".repeat(1025));
            assertEquals(TokenKind.SAMPLE_FETCH, Token.sampleFetch("req.cook", "c".repeat(1024)).kind());
            assertThrows(InvalidTokenException.class, () -> Token.sampleFetch("str", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
            assertThrows(InvalidTokenException.class, () -> Token.sampleFetch("str", (String[]) null));
            assertThrows(InvalidTokenException.class, () -> Token.sampleFetch("str", "a", null));
        }
    }

    @Nested
    @DisplayName("REGEX")
    class Regexes {
        @Test
        void quotedSoBackslashesAndDollarsReachTheEngine() {
            assertEquals("\"^(200|202)\\$\"", Token.regex("^(200|202)$").text());
            assertEquals("\"\\\\d+\"", Token.regex("\\d+").text());
            assertEquals(List.of("k", "^/a'b #\\s$"), parsed(Token.regex("^/a'b #\\s$")));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "(", "[a-", "*x", "a{2,1}"})
        void emptyAndInvalidPatternsAreRefused(String regex) {
            assertRejected(TokenKind.REGEX, Token::regex, regex);
        }

        @ParameterizedTest
        @MethodSource("org.lbaas.driver.haproxy.internal.config.TokenTest#controlCharacterValues")
        void controlCharactersAreRefused(String hostile) {
            assertRejected(TokenKind.REGEX, Token::regex, hostile);
        }
    }

    @Nested
    @DisplayName("STATUS_CODES")
    class StatusCodes {
        @ParameterizedTest
        @ValueSource(strings = {"200", "200,202", "200-204", "200-204,301", "100", "599", "200-200"})
        void listsAndRangesAreWrittenBare(String spec) {
            assertEquals(spec, Token.statusCodes(spec).text());
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "99", "600", "2000", "204-200", "200,", ",200", "200 ,201", "200-", "abc", "200;201",
                "200\n", "200#"})
        void malformedReversedAndOutOfRangeAreRefused(String spec) {
            assertRejected(TokenKind.STATUS_CODES, Token::statusCodes, spec);
        }

        @Test
        void atMost64Items() {
            String sixtyFour = String.join(",", java.util.Collections.nCopies(64, "200"));
            assertEquals(sixtyFour, Token.statusCodes(sixtyFour).text());
            assertRejected(TokenKind.STATUS_CODES, Token::statusCodes, sixtyFour + ",200");
        }
    }

    @Test
    void tokensAreValuesOfKindAndText() {
        assertEquals(Token.quoted("x"), Token.quoted("x"));
        assertEquals(Token.quoted("x").hashCode(), Token.quoted("x").hashCode());
        assertNotEquals(Token.quoted("x"), Token.httpUri("/x"));
        assertNotEquals(Token.keyword("x"), Token.ident("x"));
        assertTrue(Token.quoted("x").toString().startsWith("QUOTED_STRING"));
    }
}
