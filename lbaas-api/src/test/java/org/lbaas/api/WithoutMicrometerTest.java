package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Micrometer is an optional dependency: the service without a meter registry runs in a JVM that
 * has no Micrometer at all, and loads none of the classes that would need it.
 */
class WithoutMicrometerTest {

    @Test
    @DisplayName("the default service runs without Micrometer on the class path and loads no metrics class")
    void runsWithoutMicrometer(@TempDir Path tmp) throws Exception {
        // Surefire runs tests from a manifest-only jar; it publishes the real class path here.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = Arrays.stream(classPath.split(File.pathSeparator)).toList();
        assertTrue(entries.stream().anyMatch(e -> e.contains("micrometer-core")), "the test's class path has Micrometer: " + entries);
        String without = entries.stream().filter(e -> !e.contains("micrometer")).collect(Collectors.joining(File.pathSeparator));
        Path out = tmp.resolve("out.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xlog:class+load=info", "-cp", without, WithoutMicrometerMain.class.getName())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM without Micrometer did not finish within 60 s");
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("ok ACTIVE"), output);
        assertTrue(output.contains("org.lbaas.api.DefaultLoadBalancerService "), "the class loading log is read: " + output);
        for (String metricsClass : List.of("org.lbaas.api.MicrometerServiceMetrics", "org.lbaas.api.MeteredDriver",
                "org.lbaas.api.MeteredService", "io.micrometer.")) {
            assertFalse(output.contains(metricsClass + (metricsClass.endsWith(".") ? "" : " ")),
                    metricsClass + " was loaded by the default service");
        }
    }
}
