package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.model.Fixtures.assertOnlyViolation;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpectedCodesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "200|200", "100|100", "599|599", "200,202|200,202", "202,200|202,200", "200-204|200-204",
            "200-200|200-200", "100-599|100-599", "' 200 '|200", "'200, 202 ,204'|200,202,204"})
    void validFormsAreAcceptedAndCanonical(String spec, String canonical) {
        assertEquals(canonical, new ExpectedCodes(spec).spec());
    }

    @Test
    void codesListsEveryAcceptedCodeAscending() {
        assertEquals(List.of(200, 201, 202), ExpectedCodes.parse("200-202").codes());
        assertEquals(List.of(200, 202, 301), ExpectedCodes.parse("301,200,202").codes());
        assertTrue(ExpectedCodes.parse("200-202").isRange());
        assertFalse(ExpectedCodes.parse("200,202").isRange());
        assertEquals("200", ExpectedCodes.defaultCodes().spec());
    }

    @ParameterizedTest
    @ValueSource(strings = {"099", "600", "000", "999", "20", "2000", "0200", "abc", "", "   ", "200,", ",200", "200,,202",
            "-200", "200-", "200-204-208", "2OO", "200;202", "200 202", "200 - 204", "\u0662\u0660\u0660", "200\n,202x"})
    void malformedSpecsAreRejected(String spec) {
        assertOnlyViolation(() -> new ExpectedCodes(spec), "expected_codes", "3-digit codes from 100 to 599");
    }

    @ParameterizedTest
    @ValueSource(strings = {"099-200", "200-600"})
    void rangeEndsOutside100To599AreRejected(String spec) {
        assertOnlyViolation(() -> new ExpectedCodes(spec), "expected_codes", "from 100 to 599");
    }

    @Test
    void aReversedRangeIsRejectedWithTheFix() {
        Violation v = assertOnlyViolation(() -> new ExpectedCodes("204-200"), "expected_codes", "upward");
        Fixtures.assertRuleMentions(v, "200-204");
        assertEquals("\"204-200\"", v.rejectedValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"200,202-204", "200-204,300"})
    void aListAndARangeCannotBeMixed(String spec) {
        assertOnlyViolation(() -> new ExpectedCodes(spec), "expected_codes", "cannot be mixed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"200,200", "200,201,200", "200, 200"})
    void repeatedCodesAreRejected(String spec) {
        assertOnlyViolation(() -> new ExpectedCodes(spec), "expected_codes", "must not repeat code 200");
    }

    @Test
    void anAbsurdlyLongSpecIsRejected() {
        String spec = String.join(",", java.util.Collections.nCopies(300, "200"));
        assertOnlyViolation(() -> new ExpectedCodes(spec), "expected_codes", "3-digit");
    }

    @Test
    void parseReportsNullAsRequiredWhileTheConstructorRefusesNull() {
        assertOnlyViolation(() -> ExpectedCodes.parse(null), "expected_codes", "is required");
        assertThrows(NullPointerException.class, () -> new ExpectedCodes(null));
    }
}
