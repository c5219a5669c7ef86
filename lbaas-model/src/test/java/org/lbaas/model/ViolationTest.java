package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ViolationTest {

    static Stream<Arguments> escapes() {
        return Stream.of(
                arguments("a\nb", "\"a\\nb\""),
                arguments("a\rb", "\"a\\rb\""),
                arguments("a\tb", "\"a\\tb\""),
                arguments("a\u0000b", "\"a\\u0000b\""),
                arguments("say \"hi\"", "\"say \\\"hi\\\"\""),
                arguments("back\\slash", "\"back\\\\slash\""),
                arguments("a\u001bb", "\"a\\u001bb\""),
                arguments("a\u0085b", "\"a\\u0085b\""),
                arguments("a\u007fb", "\"a\\u007fb\""),
                arguments("a\u202eb", "\"a\\u202eb\""),
                arguments("a\u2028b", "\"a\\u2028b\""),
                arguments("a\u2029b", "\"a\\u2029b\""));
    }

    @ParameterizedTest
    @MethodSource("escapes")
    void controlFormatAndSeparatorCharactersAreEscaped(String raw, String shown) {
        assertEquals(shown, Violation.of("name", raw, "bad").rejectedValue());
    }

    @Test
    void displayIsAlwaysOneLineOfPrintableText() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            all.append(c);
        }
        for (int start = 0; start < all.length(); start += 60) {
            String shown = Violation.of("x", all.substring(start, Math.min(all.length(), start + 60)), "r").rejectedValue();
            assertTrue(shown.chars().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR), shown);
        }
    }

    @Test
    void valuesOtherThanTextAreNotQuoted() {
        assertEquals("0", Violation.of("protocol_port", 0, "r").rejectedValue());
        assertEquals("HTTPS", Violation.of("protocol", Protocol.HTTPS, "r").rejectedValue());
        assertEquals("null", Violation.of("name", null, "is required").rejectedValue());
        assertEquals("\"\"", Violation.of("name", "", "r").rejectedValue());
    }

    @Test
    void longValuesAreCutAfter80CharactersAndTheLengthIsShown() {
        assertEquals("\"" + "a".repeat(80) + "\"", Violation.of("name", "a".repeat(80), "r").rejectedValue());
        assertEquals("\"" + "a".repeat(80) + "...\" (81 chars)", Violation.of("name", "a".repeat(81), "r").rejectedValue());
        String shown = Violation.of("name", "\n".repeat(100_000), "r").rejectedValue();
        assertEquals("\"" + "\\n".repeat(80) + "...\" (100000 chars)", shown);
    }

    @Test
    void messageNamesPathRuleAndValue() {
        Violation v = Violation.of("members[2].protocol_port", 0, "must be between 1 and 65535");
        assertEquals("members[2].protocol_port: must be between 1 and 65535 (rejected: 0)", v.message());
        assertEquals(v.message(), v.toString());
    }

    @Test
    void componentsAreRequiredAndThePathIsNotEmpty() {
        assertThrows(NullPointerException.class, () -> new Violation(null, "v", "r"));
        assertThrows(NullPointerException.class, () -> new Violation("p", null, "r"));
        assertThrows(NullPointerException.class, () -> new Violation("p", "v", null));
        assertThrows(IllegalArgumentException.class, () -> new Violation("", "v", "r"));
    }

    @Test
    void exceptionMessageListsOneViolationPerLine() {
        ValidationException one = ValidationException.of("weight", 300, "must be between 0 and 256");
        assertEquals("weight: must be between 0 and 256 (rejected: 300)", one.getMessage());
        ValidationException two = new ValidationException(List.of(Violation.of("a", "x\ny", "r1"), Violation.of("b", 1, "r2")));
        assertEquals("2 violations:\na: r1 (rejected: \"x\\ny\")\nb: r2 (rejected: 1)", two.getMessage());
        assertFalse(two.getMessage().contains("x\ny"));
        assertThrows(IllegalArgumentException.class, () -> new ValidationException(List.of()));
        assertThrows(NullPointerException.class, () -> new ValidationException(null));
    }

    @Test
    void violationsListIsImmutable() {
        ValidationException e = ValidationException.of("a", 1, "r");
        assertThrows(UnsupportedOperationException.class, () -> e.violations().add(Violation.of("b", 2, "r")));
    }
}
