package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code lbaas serve}: its help, and bad options refused before a server starts. */
class ServeCommandTest {

    @Test
    @DisplayName("lbaas serve --help names every option and how to point the neutron client at it")
    void help() {
        CliRun r = CliRun.run("serve", "--help");
        assertEquals(0, r.exit(), r::toString);
        String text = r.out().replaceAll("\\s+", " ");
        assertTrue(text.startsWith("Usage: lbaas serve [OPTIONS]"), text);
        for (String option : new String[] {"--port N", "--bind ADDRESS", "--driver NAME", "--state-dir DIR", "--subnets FILE",
                "--token TOKEN", "--tenant ID"}) {
            assertTrue(text.contains(option), option + " missing in: " + text);
        }
        assertTrue(text.contains("OS_AUTH_TYPE=token_endpoint"), text);
    }

    @Test
    @DisplayName("the global help lists serve")
    void listedInGlobalHelp() {
        CliRun r = CliRun.run("--help");
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  serve ")), r::toString);
    }

    @Test
    @DisplayName("a port that is not a number exits 2 without starting a server")
    void badPort() {
        CliRun r = CliRun.run("serve", "--port", "eighty");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("port"), r::toString);
    }

    @Test
    @DisplayName("an unknown option exits 2")
    void unknownOption() {
        CliRun r = CliRun.run("serve", "--colour", "blue");
        assertEquals(2, r.exit(), r::toString);
    }
}
