package org.lbaas.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The rules every lbaas module keeps, checked against the jars the build made (this module depends
 * on all of them). It replaces per-module tests that restated each module-info as constants: the
 * rules here say what must hold, so a module may change what it requires as long as it uses it.
 *
 * <ul>
 *   <li>no package under {@code .internal} is exported to everyone (qualified exports are allowed);
 *   <li>each module's {@code requires} are a subset of the modules its classes use, according to
 *       {@code jdeps} (a required module that nothing uses is drift);
 *   <li>each module's packages lie under its module name;
 *   <li>the model uses nothing but the JDK and Guava: no JSON, HAProxy or shell types;
 *   <li>only the test-facing modules ({@code testkit}, {@code conformance-kit}) require a test
 *       library;
 *   <li>every {@code META-INF/services} registration of a module is also a {@code provides} of
 *       its descriptor, and the other way round;
 *   <li>the shipped {@code lbaas} command holds no test library and no benchmark.
 * </ul>
 */
class ModuleRulesTest {

    /** Modules that exist for tests: the only ones that may require JUnit or jqwik. */
    private static final Set<String> TEST_FACING = Set.of("org.lbaas.testkit", "org.lbaas.conformance");

    /** Name prefixes of test and benchmark libraries. */
    private static final List<String> TEST_LIBRARIES = List.of("org.junit", "net.jqwik", "org.mockito", "org.opentest4j",
            "org.openjdk.jmh", "org.apiguardian");

    private static final Pattern JDEPS_LINE = Pattern.compile("^\\s*(\\S+)\\s+->\\s+(\\S+)\\s*$");

    /** The lbaas modules on the class path, by module name. */
    private static Map<String, Module> modules;

    record Module(String name, Path jar, ModuleDescriptor descriptor, Set<String> uses) {
    }

    @BeforeAll
    static void readModules() throws IOException {
        List<Path> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
                classPath.add(p);
            }
        }
        Map<String, String> moduleOfJar = new HashMap<>();
        Map<String, Path> lbaasJars = new TreeMap<>();
        for (Path jar : classPath) {
            Set<ModuleReference> found;
            try {
                found = ModuleFinder.of(jar).findAll();
            } catch (RuntimeException e) {
                continue; // a jar from which no module name can be derived: no lbaas module, not required by one
            }
            for (ModuleReference ref : found) {
                moduleOfJar.put(jar.getFileName().toString(), ref.descriptor().name());
                if (ref.descriptor().name().startsWith("org.lbaas.") && !ref.descriptor().isAutomatic()) {
                    lbaasJars.put(ref.descriptor().name(), jar);
                }
            }
        }
        // Not the shaded command: as an automatic module it would split every package it inlines.
        // Nor zookeeper-jute, which splits packages with the zookeeper jar: lbaas-cluster reads it from the class
        // path (module-info.java of lbaas-cluster), and jdeps refuses a module path with a split package.
        String cp = classPath.stream().filter(p -> !"lbaas".equals(moduleOfJar.get(p.getFileName().toString())))
                .filter(p -> !p.getFileName().toString().startsWith("zookeeper-jute-"))
                .map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
        modules = new TreeMap<>();
        for (Map.Entry<String, Path> e : lbaasJars.entrySet()) {
            ModuleDescriptor descriptor;
            try (JarFile jar = new JarFile(e.getValue().toFile())) {
                try (InputStream in = jar.getInputStream(jar.getEntry("module-info.class"))) {
                    descriptor = ModuleDescriptor.read(in);
                }
            }
            modules.put(e.getKey(), new Module(e.getKey(), e.getValue(), descriptor, used(e.getValue(), cp, moduleOfJar,
                    staticRequires(descriptor))));
        }
    }

    /**
     * The optional ({@code requires static}) modules of a descriptor: resolution leaves them out
     * unless added, so jdeps is told to add them to see their use.
     */
    private static List<String> staticRequires(ModuleDescriptor descriptor) {
        return descriptor.requires().stream().filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                .map(ModuleDescriptor.Requires::name).sorted().toList();
    }

    /** The modules the classes of a jar refer to, by {@code jdeps -s} on the class path. */
    private static Set<String> used(Path jar, String classPath, Map<String, String> moduleOfJar, List<String> optional) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new IllegalStateException(
                "jdeps is not in this JDK; the architecture test needs a full JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("--multi-release", "17", "-s", "--module-path", classPath));
        if (!optional.isEmpty()) {
            args.addAll(List.of("--add-modules", String.join(",", optional)));
        }
        args.add(jar.toString());
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        if (code != 0) {
            throw new IllegalStateException("jdeps failed on " + jar + " (exit " + code + "): " + err + out);
        }
        Set<String> used = new TreeSet<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = JDEPS_LINE.matcher(line);
            if (m.matches()) {
                String target = m.group(2);
                used.add(moduleOfJar.getOrDefault(target, target));
            }
        }
        return used;
    }

    private static Set<String> requires(Module m) {
        return m.descriptor().requires().stream().map(ModuleDescriptor.Requires::name)
                .filter(n -> !n.equals("java.base")).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyShippedModuleIsChecked() {
        assertEquals(Set.of("org.lbaas.model", "org.lbaas.driver.spi", "org.lbaas.api", "org.lbaas.driver.haproxy",
                "org.lbaas.driver.memory", "org.lbaas.lab", "org.lbaas.testkit", "org.lbaas.conformance", "org.lbaas.rest",
                "org.lbaas.cluster"),
                modules.keySet(), "the lbaas modules this test finds on its class path");
    }

    @TestFactory
    List<DynamicTest> noInternalPackageIsExportedToEveryone() {
        return each(m -> {
            for (ModuleDescriptor.Exports e : m.descriptor().exports()) {
                assertFalse(e.source().contains(".internal") && !e.isQualified(),
                        m.name() + " exports " + e.source() + " to everyone; internal packages are exported to named modules at most");
            }
        });
    }

    @TestFactory
    List<DynamicTest> requiresOnlyWhatItUses() {
        return each(m -> {
            Set<String> unused = new TreeSet<>(requires(m));
            unused.removeAll(m.uses());
            assertTrue(unused.isEmpty(), m.name() + " requires " + unused + " but its classes use none of them (jdeps: "
                    + m.uses() + ")");
        });
    }

    @TestFactory
    List<DynamicTest> packagesLieUnderTheModuleName() {
        return each(m -> {
            for (String pkg : m.descriptor().packages()) {
                assertTrue(pkg.equals(m.name()) || pkg.startsWith(m.name() + "."),
                        m.name() + " holds package " + pkg + ", which is not under " + m.name());
            }
        });
    }

    @Test
    void theModelUsesOnlyTheJdkAndGuava() {
        Module model = modules.get("org.lbaas.model");
        Set<String> other = new TreeSet<>(model.uses());
        other.removeIf(n -> n.startsWith("java.") || n.equals("com.google.common"));
        assertTrue(other.isEmpty(), "the model must be free of JSON, HAProxy and shell types, but uses " + other);
        assertEquals(Set.of("com.google.common"), requires(model), "what the model requires");
    }

    @TestFactory
    List<DynamicTest> onlyTestFacingModulesRequireTestLibraries() {
        return each(m -> {
            if (TEST_FACING.contains(m.name())) {
                return;
            }
            for (String used : m.uses()) {
                assertFalse(TEST_LIBRARIES.stream().anyMatch(used::startsWith),
                        m.name() + " ships to applications but uses the test library " + used);
            }
        });
    }

    @TestFactory
    List<DynamicTest> serviceRegistrationsMatchTheDescriptor() {
        return each(m -> {
            Map<String, Set<String>> registered = new TreeMap<>();
            try (JarFile jar = new JarFile(m.jar().toFile())) {
                for (JarEntry entry : java.util.Collections.list(jar.entries())) {
                    String name = entry.getName();
                    if (name.startsWith("META-INF/services/") && !entry.isDirectory()) {
                        String text = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
                        registered.put(name.substring("META-INF/services/".length()), text.lines()
                                .map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty())
                                .collect(Collectors.toCollection(TreeSet::new)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, Set<String>> provided = new TreeMap<>();
            for (ModuleDescriptor.Provides p : m.descriptor().provides()) {
                provided.put(p.service(), new TreeSet<>(p.providers()));
            }
            assertEquals(provided, registered, m.name() + ": the providers of module-info and of META-INF/services");
        });
    }

    @Test
    void theShippedCommandHoldsNoTestLibraryAndNoBenchmark() throws IOException {
        Path jar = Path.of(System.getProperty("lbaas.cli.jar", "../lbaas-cli/target/lbaas.jar"));
        assertTrue(Files.isRegularFile(jar), "the shaded command jar " + jar.toAbsolutePath() + " was not built");
        Set<String> offending = new TreeSet<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            for (JarEntry e : java.util.Collections.list(j.entries())) {
                String n = e.getName();
                if (n.startsWith("org/junit/") || n.startsWith("net/jqwik/") || n.startsWith("org/opentest4j/")
                        || n.startsWith("org/openjdk/jmh/") || n.startsWith("org/mockito/")
                        || n.startsWith("org/lbaas/benchmarks/") || n.startsWith("org/lbaas/testkit/")
                        || n.startsWith("org/lbaas/conformance/")) {
                    String[] parts = n.split("/");
                    offending.add(String.join("/", java.util.Arrays.copyOf(parts, Math.min(3, parts.length))) + "/");
                }
            }
        }
        assertTrue(offending.isEmpty(), "the lbaas command jar holds test or benchmark code: " + offending);
    }

    private interface Check {
        void check(Module m) throws Exception;
    }

    private static List<DynamicTest> each(Check check) {
        Collection<Module> all = modules.values();
        return all.stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> check.check(m))).toList();
    }
}
