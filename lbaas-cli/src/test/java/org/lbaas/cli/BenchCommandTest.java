package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code lbaas bench}: its help, and arguments checked before anything is created. */
class BenchCommandTest {

    @Test
    @DisplayName("lbaas bench --help and lbaas bench capacity --help print the command's help and exit 0")
    void help() {
        for (String[] args : List.of(new String[] {"bench", "--help"}, new String[] {"bench", "capacity", "--help"},
                new String[] {"bench", "capacity", "--count", "10", "-h"}, new String[] {"help", "bench"})) {
            CliRun r = CliRun.run(args);
            assertEquals(0, r.exit(), r::toString);
            String text = r.out().replaceAll("\\s+", " ");
            assertTrue(text.startsWith("Usage: lbaas bench [OPTIONS] BENCHMARK "), text);
            assertTrue(text.contains("BENCHMARK the benchmark to run: capacity"), text);
            assertTrue(text.contains("--count N capacity: how many load balancers to create, 1 to 1022 (required)"), text);
            assertTrue(text.contains("--out DIR where the tables"), text);
            assertEquals("", r.err(), r::toString);
        }
    }

    @Test
    @DisplayName("the global help lists bench")
    void listedInGlobalHelp() {
        CliRun r = CliRun.run("--help");
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  bench ") && l.contains("capacity")), r::toString);
    }

    static List<List<String>> badArguments() {
        return List.of(
                List.of("bench"),
                List.of("bench", "capacity"),
                List.of("bench", "latency", "--count", "10"),
                List.of("bench", "capacity", "--count", "ten"),
                List.of("bench", "capacity", "--count", "0"),
                List.of("bench", "capacity", "--count", "-3"),
                List.of("bench", "capacity", "--count", "1023"),
                List.of("bench", "capacity", "--count"),
                List.of("bench", "capacity", "--count", "10", "--count", "20"),
                List.of("bench", "capacity", "--count", "10", "--monitor-delay", "60"),
                List.of("bench", "capacity", "extra", "--count", "10"));
    }

    @ParameterizedTest
    @MethodSource("badArguments")
    @DisplayName("bad arguments: exit 2, one line on standard error naming the command, nothing on standard output")
    void badArgumentsExit2(List<String> args) {
        CliRun r = CliRun.run(args.toArray(String[]::new));
        assertEquals(2, r.exit(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("lbaas bench"), r::toString);
    }

    @Test
    @DisplayName("the messages say what is wrong")
    void messages() {
        assertTrue(CliRun.run("bench", "capacity").err().contains("--count N is required"));
        assertTrue(CliRun.run("bench", "latency", "--count", "3").err().contains("unknown benchmark 'latency'; benchmarks: capacity"));
        assertTrue(CliRun.run("bench", "capacity", "--count", "ten").err().contains("--count must be a whole number, not 'ten'"));
        assertTrue(CliRun.run("bench", "capacity", "--count", "1023").err().contains("--count must be 1 to 1022"));
    }

    @Test
    @DisplayName("valid arguments without root: exit 1 saying root is needed, before anything is created")
    void needsRoot() {
        CliRun r = CliRun.asUser("bench", "capacity", "--count", "3");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("needs root"), r::toString);
        assertEquals("", r.out(), r::toString);
    }
}
