package org.lbaas.api.json;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.api.json.internal.JsonText;

/** Parser errors in the user's terms: no library internals, a real position, a path of bounded length. */
class ParserErrorTermsTest {

    static final NeutronJson JSON = NeutronJson.standard();

    private static void userTerms(InvalidJsonException e) {
        String m = e.getMessage();
        assertFalse(m.contains("`"), m);
        assertFalse(m.contains("StreamRead"), m);
        assertFalse(m.contains("REDACTED"), m);
        assertFalse(m.contains("line 0") || m.contains("column 0"), m);
        assertTrue(e.line() >= 1 && e.column() >= 1, m);
        assertTrue(e.path().length() <= JsonText.MAX_PATH + 1, e.path());
        assertTrue(m.length() < 400, m);
    }

    @Test
    @DisplayName("deep nesting: a clear limit, a position, an abbreviated path")
    void deepArrays() {
        InvalidJsonException e = assertThrows(InvalidJsonException.class, () -> JSON.readDocument("[".repeat(3000)));
        userTerms(e);
        assertTrue(e.detail().contains("nested more than 20 levels deep"), e.getMessage());
        InvalidJsonException objects = assertThrows(InvalidJsonException.class,
                () -> JSON.readDocument("{\"members\": ".repeat(3000)));
        userTerms(objects);
        assertTrue(objects.path().contains(" ... "), objects.path());
    }

    @Test
    @DisplayName("a number too long and a control character: no internals")
    void tooLongNumberAndControlCharacter() {
        userTerms(assertThrows(InvalidJsonException.class,
                () -> JSON.readDocument("{\"pool\": {\"id\": 1" + "0".repeat(2000) + "}}")));
        userTerms(assertThrows(InvalidJsonException.class, () -> JSON.readDocument("{\"a\": \"x\u0001\"}")));
        userTerms(assertThrows(InvalidJsonException.class, () -> JSON.readDocument("{\"a\": 1")));
    }

    @Test
    @DisplayName("a document above the size limit is refused before parsing, naming the limit")
    void sizeLimit() {
        String big = "{\"members\": [" + "{},".repeat(NeutronJson.MAX_DOCUMENT_CHARS / 3) + "{}]}";
        InvalidJsonException e = assertThrows(InvalidJsonException.class, () -> JSON.readDocument(big));
        assertTrue(e.detail().contains("at most " + NeutronJson.MAX_DOCUMENT_CHARS), e.getMessage());
    }
}
