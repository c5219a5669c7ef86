package org.lbaas.lab.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one check of what a host lacks for live work, against this host. */
class HostCheckTest {

    private static final String NONE = "no-such-program-lbaas";

    @Test
    void findsInstalledProgramsAndNamesMissingOnes() {
        assertTrue(HostCheck.program("sh").map(Files::isExecutable).orElse(false), "sh is installed");
        assertEquals(Optional.empty(), HostCheck.program(NONE));
        assertEquals(List.of(NONE), HostCheck.missing(List.of("sh", NONE)));
        assertEquals(Optional.empty(), HostCheck.missingReason(List.of("sh")));
        assertEquals(Optional.of("missing " + NONE + " (Debian/Ubuntu: apt-get install -y haproxy iproute2 curl)"),
                HostCheck.missingReason(List.of("sh", NONE)));
    }

    @Test
    void theReasonIsRootFirstThenTheMissingPrograms() {
        Optional<String> reason = HostCheck.unmet(NONE);
        if (HostCheck.runningAsRoot()) {
            assertEquals(HostCheck.missingReason(List.of(NONE)), reason);
            assertEquals(Optional.empty(), HostCheck.unmet("sh"));
        } else {
            assertEquals(Optional.of("needs root"), reason);
            assertEquals(Optional.of("needs root"), HostCheck.unmet("sh"));
        }
    }
}
