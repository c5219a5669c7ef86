package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the model framework-free: its sources may use the JDK, Guava and themselves, nothing else
 * (no JSON, HAProxy, shell or driver types), and no file of it mentions HAProxy, Jackson or a shell.
 */
class ModelArchitectureTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void sourcesImportOnlyTheJdkAndGuava() throws IOException {
        List<String> offending = new ArrayList<>();
        int imports = 0;
        for (Path file : javaFiles()) {
            Matcher m = IMPORT.matcher(Files.readString(file));
            while (m.find()) {
                imports++;
                String name = m.group(1);
                boolean allowed = name.startsWith("java.") || name.startsWith("com.google.common.")
                        || name.startsWith("org.lbaas.model.");
                if (!allowed) {
                    offending.add(file.getFileName() + ": " + name);
                }
            }
        }
        assertTrue(imports > 10, "the scan must actually see the model's imports, saw " + imports);
        assertEquals(List.of(), offending, "lbaas-model may depend only on the JDK and Guava");
    }

    @Test
    void moduleRequiresOnlyGuava() throws IOException {
        String descriptor = Files.readString(SOURCES.resolve("module-info.java"));
        Matcher m = Pattern.compile("requires\\s+(?:transitive\\s+|static\\s+)*([\\w.]+)\\s*;").matcher(descriptor);
        List<String> requires = new ArrayList<>();
        while (m.find()) {
            requires.add(m.group(1));
        }
        assertEquals(List.of("com.google.common"), requires);
    }

    @Test
    void noSourceMentionsDataPlaneOrWireTypes() throws IOException {
        for (Path file : javaFiles()) {
            String code = Files.readString(file);
            for (String word : List.of("jackson", "haproxy", "ProcessBuilder", "Runtime.getRuntime", "org.apache.commons.exec")) {
                assertFalse(code.contains(word), file.getFileName() + " mentions " + word);
            }
        }
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
