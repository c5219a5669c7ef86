package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TextTest {

    static Stream<Arguments> samples() {
        return Stream.of(
                arguments("plain", "plain"),
                arguments("a\nb", "a b"),
                arguments("a\r\n\tb", "a b"),
                arguments("  lead and trail  ", "lead and trail"),
                arguments("x\u0000y", "x y"),
                arguments("x\u2028\u2029y", "x y"),
                arguments("x\u202ey", "x y"),
                arguments("x\u0085y", "x y"),
                arguments("", ""),
                arguments("\n\n\n", ""),
                arguments("x\udb40\udc01y", "x y"),
                arguments("keep \"quotes\" and #", "keep \"quotes\" and #"));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void controlFormatAndSeparatorCharactersBecomeSingleSpaces(String raw, String clean) {
        assertEquals(clean, Text.statusDescription(raw));
    }

    @Test
    void nullBecomesEmpty() {
        assertEquals("", Text.statusDescription(null));
    }

    @Test
    void theResultIsCutTo1024Characters() {
        assertEquals(1024, Text.statusDescription("e".repeat(5000)).length());
        assertEquals("e".repeat(1024), Text.statusDescription("e".repeat(1024)));
    }

    @Test
    void aSurrogatePairIsNeverSplitAtTheCut() {
        String clean = Text.statusDescription("e".repeat(1023) + "\ud83d\ude00");
        assertTrue(clean.length() <= 1024);
        assertTrue(Character.isHighSurrogate(clean.charAt(clean.length() - 1)) == false, clean.substring(1000));
    }

    @Test
    void theResultIsAlwaysAValidStatusDescription() {
        StringBuilder nasty = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            nasty.append(c).append("\ud800").append("\udb40\udc7f");
        }
        String clean = Text.statusDescription(nasty.toString());
        Pool pool = Fixtures.pool().statusDescription(clean).build();
        assertEquals(clean, pool.statusDescription());
        Member member = Fixtures.member(1).build().withStatus(Status.ERROR, Text.statusDescription("driver said:\r\nboom\u0000"));
        assertEquals("driver said: boom", member.statusDescription());
    }
}
