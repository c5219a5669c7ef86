package org.lbaas.driver.haproxy.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties over arbitrary and hostile strings: every value a token factory accepts is read back
 * by the model of HAProxy 2.6's parser as exactly one word equal to the value; every value it
 * refuses is refused with {@link InvalidTokenException}; no token text can end a line.
 */
class TokenPropertiesTest {

    /** Strings built mostly from the characters the config parser treats specially. */
    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<Character> special = Arbitraries.of('\n', '\r', '\u0000', '\t', '\u000b', '\f', ' ', '#', '"', '\'', '\\',
                '$', '{', '}', '(', ')', ',', '%', '[', ']', 'x', 'n', 'r', '0', '.', '-', '/', 'é', '\u2028', '\u202e',
                '\ud800', '\udc00', '\u0085', '\u007f');
        Arbitrary<String> specials = special.list().ofMaxSize(40)
                .map(cs -> {
                    StringBuilder b = new StringBuilder();
                    cs.forEach(b::append);
                    return b.toString();
                });
        return Arbitraries.oneOf(specials, Arbitraries.strings().ofMaxLength(60), Arbitraries.strings().ascii().ofMaxLength(60));
    }

    private static boolean mayEndALine(String text) {
        return text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 || text.indexOf('\u0000') >= 0;
    }

    /** Applies the factory; returns the single word the model reads back, or null if refused. */
    private static String roundTrip(Function<String, Token> factory, String value) {
        Token token;
        try {
            token = factory.apply(value);
        } catch (InvalidTokenException refused) {
            return null;
        }
        assertFalse(mayEndALine(token.text()), token.text());
        List<String> words = Haproxy26LineModel.words("k " + token.text() + " tail");
        assertEquals(3, words.size(), () -> "not one word: " + token.text());
        assertEquals("k", words.get(0));
        assertEquals("tail", words.get(2));
        return words.get(1);
    }

    @Property(tries = 3000)
    void quotedStringsAreReadBackExactlyOrRefused(@ForAll("hostile") String value) {
        String back = roundTrip(Token::quoted, value);
        if (back != null) {
            assertEquals(value, back);
        } else {
            assertTrue(value.isEmpty() || value.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f)
                    || Character.getType(c) == Character.FORMAT || Character.isSurrogate((char) c)
                    || c == 0x2028 || c == 0x2029), () -> "refused without reason: " + InvalidTokenException.preview(value));
        }
    }

    @Property(tries = 2000)
    void logFormatLiteralsAreReadBackWithPercentDoubled(@ForAll("hostile") String value) {
        String back = roundTrip(Token::logFormatLiteral, value);
        if (back != null) {
            assertEquals(value.replace("%", "%%"), back);
        }
    }

    @Property(tries = 2000)
    void pathsAreReadBackExactlyOrRefused(@ForAll("hostile") String value) {
        String back = roundTrip(Token::path, "/" + value);
        if (back != null) {
            assertEquals("/" + value, back);
        }
    }

    @Property(tries = 2000)
    void urisAreReadBackExactlyAndNeverHoldSpacesOrControls(@ForAll("hostile") String value) {
        String back = roundTrip(Token::httpUri, "/" + value);
        if (back != null) {
            assertEquals("/" + value, back);
            assertTrue(back.chars().allMatch(c -> c > 0x20 && c < 0x7f), back);
        }
    }

    @Property(tries = 2000)
    void regexesAreReadBackExactlyOrRefused(@ForAll("hostile") String value) {
        String back = roundTrip(Token::regex, value);
        if (back != null) {
            assertEquals(value, back);
        }
    }

    @Property(tries = 3000)
    void sampleFetchArgumentsSurviveBothParserLevels(@ForAll("hostile") String first, @ForAll("hostile") String second) {
        String word = roundTrip(v -> Token.sampleFetch("req.cook", first, second), first);
        if (word != null) {
            assertEquals(List.of("req.cook", first, second), Haproxy26LineModel.fetch(word));
        }
    }

    @Property(tries = 2000)
    void keywordsAndIdentsAreOneBareWordOrRefused(@ForAll("hostile") String value) {
        String keyword = roundTrip(Token::keyword, value);
        if (keyword != null) {
            assertEquals(value, keyword);
            assertEquals(value, Token.keyword(value).text());
        }
        String ident = roundTrip(Token::ident, value);
        if (ident != null) {
            assertEquals(value, ident);
        }
    }

    @Provide
    Arbitrary<String> ipLike() {
        Arbitrary<String> octet = Arbitraries.oneOf(Arbitraries.integers().between(0, 300).map(String::valueOf),
                Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(4));
        Arbitrary<String> dotted = octet.list().ofMinSize(1).ofMaxSize(6).map(parts -> String.join(".", parts));
        Arbitrary<String> noise = Arbitraries.strings().withChars("0123456789.:abcdefABCDEF%١٢").ofMaxLength(20);
        return Arbitraries.oneOf(dotted, noise);
    }

    @Property(tries = 3000)
    void addressesAgreeWithGuavasParserAndPrintCanonically(@ForAll("ipLike") String literal) {
        boolean guava = literal.chars().allMatch(c -> c < 0x80 && c != '%') && com.google.common.net.InetAddresses.isInetAddress(literal);
        try {
            Token token = Token.address(literal, 80);
            assertTrue(guava, literal);
            java.net.InetAddress parsed = com.google.common.net.InetAddresses.forString(literal);
            String host = com.google.common.net.InetAddresses.toAddrString(parsed);
            String expected = parsed instanceof java.net.Inet6Address ? "[" + host + "]:80" : host + ":80";
            assertEquals(expected, token.text());
        } catch (InvalidTokenException refused) {
            assertFalse(guava, literal);
        }
    }

    @Property(tries = 500)
    void aDirectiveOfHostileArgumentsRendersAsExactlyItsWords(@ForAll @Size(max = 20) List<@From("hostile") String> values) {
        List<Token> args = new ArrayList<>();
        List<String> expected = new ArrayList<>(List.of("http-request"));
        for (String v : values) {
            try {
                args.add(Token.quoted(v));
                expected.add(v);
            } catch (InvalidTokenException refused) {
                // refused values are simply not added
            }
        }
        HaproxyConfig.Builder b = HaproxyConfig.builder();
        b.frontend(Token.ident("fe")).add("http-request", args);
        b.backend(Token.ident("be")).add("balance", Token.keyword("roundrobin"));
        String text = b.build().render();
        String[] lines = text.split("\n", -1);
        assertEquals(List.of("frontend", "fe"), Haproxy26LineModel.words(lines[0]));
        assertEquals(expected, Haproxy26LineModel.words(lines[1]));
        assertEquals("", lines[2]);
        assertEquals(List.of("backend", "be"), Haproxy26LineModel.words(lines[3]));
        assertEquals(List.of("balance", "roundrobin"), Haproxy26LineModel.words(lines[4]));
        assertEquals(6, lines.length, text);
        assertEquals("", lines[5]);
    }
}
