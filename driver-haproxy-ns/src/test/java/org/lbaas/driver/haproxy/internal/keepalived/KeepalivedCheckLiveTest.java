package org.lbaas.driver.haproxy.internal.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every keepalived golden file passes the real {@code keepalived -t} (2.2.7 here) without a word of
 * output. {@code -t} fails for a configuration that names an interface the host does not have, so
 * each check runs in a namespace of its own holding exactly the devices the file names (veth pairs:
 * this kernel has no dummy module); the namespace is removed in all cases.
 */
@Tag("live")
class KeepalivedCheckLiveTest {

    @TestFactory
    Stream<DynamicTest> everyGoldenFilePassesKeepalivedCheck() {
        return KeepalivedCases.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            assertTrue(Files.exists(c.file()), "no golden file " + c.file().toAbsolutePath());
            try (Namespace ns = Namespace.create()) {
                c.interfaces().forEach(ns::addDevice);
                Namespace.Result r = check(ns, c.file());
                assertEquals(0, r.exitCode(), c.file() + ": " + r.output());
                assertEquals("", r.output().strip(), "keepalived -t printed warnings for " + c.file());
            }
        }));
    }

    /** The check is meaningful: without the devices the same file is refused, naming the interface. */
    @Test
    void checkRefusesConfigurationNamingMissingInterface() {
        KeepalivedCases.Case c = KeepalivedCases.all().get(0);
        try (Namespace ns = Namespace.create()) {
            Namespace.Result r = check(ns, c.file());
            assertNotEquals(0, r.exitCode(), r.output());
            assertTrue(r.output().contains(KeepalivedCases.HA), r.output());
        }
    }

    /** The check also catches a keyword keepalived does not know (a renderer typo would be caught). */
    @Test
    void checkRefusesUnknownKeyword(@TempDir Path dir) throws Exception {
        KeepalivedCases.Case c = KeepalivedCases.all().get(0);
        String text = Files.readString(c.file(), StandardCharsets.UTF_8).replace("    nopreempt\n", "    nopreempt_typo\n");
        assertFalse(text.contains("    nopreempt\n"));
        Path file = dir.resolve("typo.conf");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        try (Namespace ns = Namespace.create()) {
            c.interfaces().forEach(ns::addDevice);
            Namespace.Result r = check(ns, file);
            assertNotEquals(0, r.exitCode(), r.output());
            assertTrue(r.output().contains("nopreempt_typo"), r.output());
        }
    }

    private static Namespace.Result check(Namespace ns, Path file) {
        String[] argv = Stream.concat(Stream.of(Namespace.keepalived().toString()),
                KeepalivedRenderer.checkArguments(file.toAbsolutePath()).stream()).toArray(String[]::new);
        return ns.exec(argv);
    }
}
