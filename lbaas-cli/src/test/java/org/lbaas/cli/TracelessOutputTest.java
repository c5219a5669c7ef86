package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.DriverException;

/** Without --verbose a logged failure is its one message line: the stack trace is dropped. */
class TracelessOutputTest {

    private static String through(java.util.function.Consumer<PrintStream> writer) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(new TracelessOutput(sink, StandardCharsets.UTF_8), false, StandardCharsets.UTF_8);
        writer.accept(ps);
        ps.flush();
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("a warning with an exception, as slf4j-simple prints it, is one line")
    void warningWithTrace() {
        DriverException e = new DriverException("HAProxy could not start", "haproxy exited with status 1: [ALERT] cannot bind",
                false, new IllegalStateException("inner", new RuntimeException("root")));
        e.addSuppressed(new IllegalArgumentException("also"));
        String out = through(ps -> {
            ps.println("WARN LoadBalancerService - driver failed on load balancer 3f: haproxy exited with status 1");
            e.printStackTrace(ps);
            ps.println("WARN Other - next record");
        });
        assertEquals("WARN LoadBalancerService - driver failed on load balancer 3f: haproxy exited with status 1\n"
                + "WARN Other - next record\n", out);
    }

    @Test
    @DisplayName("lines that are not part of a trace pass unchanged, the last one on flush")
    void plainLines() {
        String text = "first\n\tindented but not a frame\nCaused by nothing\nlast";
        assertEquals(text + "\n", through(ps -> ps.println(text)));
    }
}
