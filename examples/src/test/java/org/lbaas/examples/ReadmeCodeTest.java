package org.lbaas.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java code compiles against the published modules, and its quick start runs with the
 * {@code in-memory} driver. Every {@code ```java} block of README.md must be preceded by a marker
 * line saying how it is compiled:
 *
 * <ul>
 *   <li>{@code <!-- compile: program -->}: a complete compilation unit (imports and a public class
 *       with a {@code main}), compiled as it stands; the quick start;</li>
 *   <li>{@code <!-- compile: class -->}: a class declaration without its package and imports,
 *       compiled with the lbaas packages imported;</li>
 *   <li>{@code <!-- compile: fragment(PARAMS) -->}: statements, compiled as the body of a method
 *       whose parameters are {@code PARAMS} (the variables the fragment uses from the text around
 *       it), with the lbaas packages imported.</li>
 * </ul>
 *
 * <p>A block without a marker fails the test, so a new block is never left out by accident.
 * Compiler errors are reported by README line.
 */
class ReadmeCodeTest {

    private static final Pattern MARKER = Pattern.compile("<!-- compile: (program|class|fragment(?:\\((.*)\\))?) -->");
    private static final Pattern PUBLIC_CLASS = Pattern.compile("public (?:final )?class (\\w+)");
    private static final List<String> IMPORTS = List.of("java.nio.file", "java.time", "java.util",
            "java.util.concurrent", "org.lbaas.model", "org.lbaas.api", "org.lbaas.driver.spi",
            "org.lbaas.driver.haproxy", "org.lbaas.driver.memory", "org.lbaas.rest", "org.lbaas.conformance",
            "org.lbaas.cluster", "org.apache.curator.framework", "org.lbaas.examples");

    /** One {@code ```java} block: its kind, the method parameters of a fragment, its first code line. */
    record Block(String kind, String parameters, int firstLine, List<String> code) {

        String packageName() {
            return "readme.line" + firstLine;
        }

        /** The compilation unit, and how many lines precede the block's first line in it. */
        Source source() {
            StringBuilder header = new StringBuilder("package " + packageName() + ";\n");
            if (!kind.equals("program")) {
                IMPORTS.forEach(p -> header.append("import ").append(p).append(".*;\n"));
            }
            String prefix = switch (kind) {
                case "fragment" -> header + "class Fragment {\n void run(" + parameters + ") throws Exception {\n";
                default -> header.toString();
            };
            String suffix = kind.equals("fragment") ? "\n }\n}\n" : "\n";
            String name = kind.equals("program") ? publicClass() : kind.equals("fragment") ? "Fragment" : declaredClass();
            return new Source(name, prefix + String.join("\n", code) + suffix, (int) prefix.lines().count());
        }

        private String publicClass() {
            Matcher m = PUBLIC_CLASS.matcher(String.join("\n", code));
            assertTrue(m.find(), "README.md:" + firstLine + ": a 'program' block needs a public class");
            return m.group(1);
        }

        private String declaredClass() {
            Matcher m = Pattern.compile("(?:class|interface|record) (\\w+)").matcher(String.join("\n", code));
            assertTrue(m.find(), "README.md:" + firstLine + ": a 'class' block needs a type declaration");
            return m.group(1);
        }
    }

    record Source(String className, String text, int headerLines) {
    }

    @TempDir
    Path work;

    static List<Block> readmeBlocks() throws IOException {
        Path readme = Path.of(System.getProperty("user.dir")).resolve("../README.md").normalize();
        List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java")) {
                continue;
            }
            Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1).strip()) : MARKER.matcher("");
            if (!marker.matches()) {
                fail("README.md:" + (i + 1) + ": a ```java block without a '<!-- compile: program|class|fragment(...) -->'"
                        + " marker on the line before it; say how it is compiled");
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                end++;
            }
            assertTrue(end < lines.size(), "README.md:" + (i + 1) + ": the ```java block is never closed");
            String kind = marker.group(1).startsWith("fragment") ? "fragment" : marker.group(1);
            String parameters = marker.group(2) == null ? "" : marker.group(2);
            blocks.add(new Block(kind, parameters, i + 2, List.copyOf(lines.subList(i + 1, end))));
            i = end;
        }
        return blocks;
    }

    @Test
    void everyJavaBlockOfTheReadmeCompiles() throws IOException {
        List<Block> blocks = readmeBlocks();
        assertTrue(blocks.size() >= 7, "the README's Java blocks were not found: " + blocks.size());
        assertEquals(1, blocks.stream().filter(b -> b.kind().equals("program")).count(),
                "exactly one complete program (the quick start)");
        List<String> errors = new ArrayList<>();
        for (Block block : blocks) {
            errors.addAll(compile(block, work.resolve("classes-" + block.firstLine())));
        }
        assertTrue(errors.isEmpty(), "README code does not compile:\n" + String.join("\n", errors));
    }

    @Test
    void theQuickStartRunsWithTheInMemoryDriver() throws Exception {
        Block quickStart = readmeBlocks().stream().filter(b -> b.kind().equals("program")).findFirst().orElseThrow();
        Path classes = work.resolve("quick-start");
        List<String> errors = compile(quickStart, classes);
        assertTrue(errors.isEmpty(), String.join("\n", errors));

        String printed;
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
                PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            Class<?> main = loader.loadClass(quickStart.packageName() + "." + quickStart.source().className());
            Method m = main.getMethod("main", String[].class);
            System.setOut(capture);
            try {
                m.invoke(null, (Object) new String[0]);
            } finally {
                System.setOut(original);
            }
            printed = captured.toString(StandardCharsets.UTF_8).strip();
        }
        assertEquals("ACTIVE 20.20.20.6 members=2", printed);
        assertTrue(String.join("\n", quickStart.code()).contains("// ACTIVE 20.20.20.6 members=2"),
                "the README's comment shows what the quick start prints");
    }

    @Test
    void theHaproxyMappingIsADocumentTheReadmeLinks() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).resolve("..").normalize();
        String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
        assertTrue(readme.contains("(docs/haproxy-mapping.md)"), "the README links docs/haproxy-mapping.md");
        assertFalse(readme.contains("HaproxyConfigRenderer"), "the README sends no one to a class of a non-exported package");
        String mapping = Files.readString(root.resolve("docs/haproxy-mapping.md"), StandardCharsets.UTF_8);
        for (String directive : List.of("balance roundrobin", "hash-type consistent", "stick-table type ipv6",
                "cookie SRV insert indirect nocache", "tcp-request connection reject", "http-check expect status")) {
            assertTrue(mapping.contains(directive), "docs/haproxy-mapping.md maps to " + directive);
        }
    }

    @Test
    void aBlockWithoutMarkerIsNamedByItsLine() {
        Matcher m = MARKER.matcher("<!-- compile: fragment(LoadBalancer lb) -->");
        assertTrue(m.matches());
        assertEquals("LoadBalancer lb", m.group(2));
        assertFalse(MARKER.matcher("<!-- compile: maybe -->").matches());
    }

    /** Compiles one block against the test class path; the errors, each prefixed with its README line. */
    private static List<String> compile(Block block, Path out) throws IOException {
        Source source = block.source();
        Path dir = out.resolve("src").resolve(block.packageName().replace('.', File.separatorChar));
        Files.createDirectories(dir);
        Path file = dir.resolve(source.className() + ".java");
        Files.writeString(file, source.text(), StandardCharsets.UTF_8);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", testClassPath(), "-d", out.toString(), "-proc:none",
                    "--release", "17", "-Xlint:all,-path,-options", "-Werror");
            boolean ok = compiler.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(file.toFile())).call();
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR || d.getKind() == Diagnostic.Kind.WARNING
                        || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING) {
                    long line = block.firstLine() + d.getLineNumber() - source.headerLines() - 1;
                    errors.add("README.md:" + line + " (" + block.kind() + " block from line " + block.firstLine() + "): "
                            + d.getMessage(Locale.ROOT));
                }
            }
            if (!ok && errors.isEmpty()) {
                errors.add("README.md:" + block.firstLine() + ": the block does not compile");
            }
            return errors;
        }
    }

    /** Surefire runs tests from a manifest-only jar; the real test class path is in this property. */
    private static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
