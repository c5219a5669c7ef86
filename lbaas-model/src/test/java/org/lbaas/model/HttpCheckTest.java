package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.lbaas.model.Fixtures.assertOnlyViolation;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpCheckTest {

    private static HttpCheck check(String path) {
        return new HttpCheck(HttpMethod.GET, path, ExpectedCodes.defaultCodes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/health", "/a/b/c/", "//double", "/status?full=1&format=json",
            "/-._~!$&'()*+,;=:@/?", "/p%20q", "/%2F%2f%aB%00", "/x?y=/z?"})
    void rfc3986PathAndQueryCharactersAreAccepted(String path) {
        assertEquals(path, check(path).urlPath());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "health", "?x=1", "*", "http://example.com/", "%2F", " /"})
    void aPathThatDoesNotStartWithSlashIsRejected(String path) {
        assertOnlyViolation(() -> check(path), "url_path", "must start with '/'");
    }

    /** Every printable ASCII character that RFC 3986 does not allow in a path or query, and some others. */
    static Stream<String> forbiddenCharacters() {
        Stream<String> ascii = "\" #<>[\\]^`{|}".chars().mapToObj(c -> String.valueOf((char) c));
        Stream<String> controls = IntStream.concat(IntStream.rangeClosed(0, 0x1f), IntStream.of(0x7f))
                .mapToObj(c -> String.valueOf((char) c));
        Stream<String> others = Stream.of("\u0085", "\u00a0", "\u00e9", "\u2028", "\u2029", "\u202e", "\ufeff",
                "\ud83d\ude00");
        return Stream.of(ascii, controls, others).flatMap(s -> s);
    }

    @ParameterizedTest
    @MethodSource("forbiddenCharacters")
    void everyForbiddenCharacterClassIsRejected(String c) {
        assertOnlyViolation(() -> check("/health" + c + "x"), "url_path", "RFC 3986");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%", "/%2", "/a%", "/%G0", "/%0g", "/%%20", "/% 20", "/%-1"})
    void percentWithoutTwoHexDigitsIsRejected(String path) {
        assertOnlyViolation(() -> check(path), "url_path", "%XX");
    }

    @Test
    void lengthUpTo1024IsAcceptedAnd1025Rejected() {
        String max = "/" + "a".repeat(1023);
        assertEquals(1024, check(max).urlPath().length());
        String escapes = "/" + "%20".repeat(341);
        assertEquals(1024, check(escapes).urlPath().length());
        assertOnlyViolation(() -> check(max + "b"), "url_path", "at most 1024");
    }

    @Test
    void aVeryLongPathIsRejectedQuickly() {
        assertOnlyViolation(() -> check("/" + "a".repeat(1_000_000)), "url_path", "1024");
    }

    @Test
    void allThreeFieldsAreRequiredAndReportedTogether() {
        ValidationException e = assertThrows(ValidationException.class, () -> new HttpCheck(null, null, null));
        assertEquals(List.of("http_method", "url_path", "expected_codes"), Fixtures.paths(e));
    }

    @Test
    void defaultsAreGetSlash200() {
        assertEquals(new HttpCheck(HttpMethod.GET, "/", ExpectedCodes.parse("200")), HttpCheck.defaults());
    }

    @Test
    void httpMethodParsesStrictly() {
        Violations v = new Violations();
        assertEquals(Optional.of(HttpMethod.PATCH), v.enumValue(HttpMethod.class, "PATCH", "http_method"));
        assertEquals(Optional.empty(), v.enumValue(HttpMethod.class, "TRACE", "http_method"));
        assertEquals(Optional.empty(), v.enumValue(HttpMethod.class, "GET /admin HTTP/1.0\r\n", "http_method"));
        assertEquals(List.of("http_method", "http_method"), v.list().stream().map(Violation::path).toList());
        v.list().forEach(x -> Fixtures.assertRuleMentions(x, "must be one of [GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH]"));
    }
}
