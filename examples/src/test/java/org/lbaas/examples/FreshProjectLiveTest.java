package org.lbaas.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user does, end to end: from a fresh copy of the sources, the README's install command
 * ({@code ./mvnw -B install -DskipTests}) puts every module into a private local repository; a
 * consumer project that imports the BOM and depends on {@code lbaas-api} and {@code driver-in-memory}
 * (exactly the README's "Use it from Maven") with the README's quick start as its main class builds
 * against that repository and prints what the README says it prints; and a vendor's project with a
 * driver that breaks one rule fails the conformance kit with that rule named.
 *
 * <p>The private repository is the head of a chained local repository whose tail is this build's own
 * local repository ({@code maven.repo.local.tail}, Maven 3.9): third-party artifacts are read from the
 * tail, lbaas's are written to the head only, so the shared repository never receives a stale lbaas
 * jar. The nested builds are offline when this build is. Slow (a full build without tests, about
 * two minutes on a shared 2-core machine), hence tagged {@code live}.
 */
@Tag("live")
class FreshProjectLiveTest {

    private static final Pattern PARENT_VERSION =
            Pattern.compile("<artifactId>lbaas-parent</artifactId>\\s*<version>([^<]+)</version>");

    @TempDir
    Path work;

    @Test
    void aConsumerWithTheBomAndTwoDependenciesRunsTheQuickStart() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).resolve("..").normalize();
        Path checkout = work.resolve("checkout");
        copySources(root, checkout);
        Path privateRepo = work.resolve("repository");
        Path tail = Path.of(System.getProperty("lbaas.localRepository",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
        List<String> repos = List.of("-Dmaven.repo.local=" + privateRepo, "-Dmaven.repo.local.tail=" + tail);

        List<String> install = new ArrayList<>(List.of(checkout.resolve("mvnw").toString(), "-B", "-q"));
        offline(install);
        install.addAll(List.of("install", "-DskipTests"));
        install.addAll(repos);
        run(install, checkout, Duration.ofMinutes(20), work.resolve("install.log"));

        String pom = Files.readString(checkout.resolve("pom.xml"), StandardCharsets.UTF_8);
        Matcher version = PARENT_VERSION.matcher(pom);
        assertTrue(version.find(), "the parent's version");
        Path installed = privateRepo.resolve("org/lbaas/lbaas-api").resolve(version.group(1));
        for (String suffix : List.of(".jar", "-sources.jar", "-javadoc.jar")) {
            Path jar = installed.resolve("lbaas-api-" + version.group(1) + suffix);
            assertTrue(Files.isRegularFile(jar), "installed into the private repository: " + jar);
        }

        Path consumer = work.resolve("consumer");
        Path sources = consumer.resolve("src/main/java");
        Files.createDirectories(sources);
        Files.writeString(consumer.resolve("pom.xml"), consumerPom(version.group(1), pom), StandardCharsets.UTF_8);
        ReadmeCodeTest.Block quickStart = ReadmeCodeTest.readmeBlocks().stream()
                .filter(b -> b.kind().equals("program")).findFirst().orElseThrow();
        String mainClass = quickStart.source().className();
        Files.writeString(sources.resolve(mainClass + ".java"), String.join("\n", quickStart.code()) + "\n",
                StandardCharsets.UTF_8);

        List<String> build = new ArrayList<>(List.of(checkout.resolve("mvnw").toString(), "-B", "-q", "-f",
                consumer.resolve("pom.xml").toString()));
        offline(build);
        build.addAll(List.of("compile", "org.apache.maven.plugins:maven-dependency-plugin:"
                + dependencyPluginVersion() + ":build-classpath", "-Dmdep.outputFile=" + consumer.resolve("cp.txt")));
        build.addAll(repos);
        run(build, consumer, Duration.ofMinutes(5), work.resolve("consumer.log"));

        String classPath = consumer.resolve("target/classes") + File.pathSeparator
                + Files.readString(consumer.resolve("cp.txt"), StandardCharsets.UTF_8).strip();
        assertTrue(classPath.contains(privateRepo.resolve("org/lbaas").toString()),
                "lbaas comes from the private repository: " + classPath);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String out = run(List.of(java, "-cp", classPath, mainClass), consumer, Duration.ofMinutes(1),
                work.resolve("run.log"));
        List<String> printed = out.lines().filter(l -> !l.startsWith("SLF4J")).toList();
        assertEquals(List.of("ACTIVE 20.20.20.6 members=2"), printed, out);

        aVendorSeesTheRuleTheirDriverBroke(checkout, version.group(1), pom, repos);
    }

    /**
     * A vendor's project, from the same private repository: a driver with one bug (it reports a
     * reload when nothing changed) and the README's ten-line kit class. {@code mvn verify} must fail,
     * and what the vendor reads, the console and surefire's report, must name their class and the
     * rule by its words, not only a method and an index.
     */
    private void aVendorSeesTheRuleTheirDriverBroke(Path checkout, String version, String parentPom, List<String> repos)
            throws Exception {
        Path vendor = work.resolve("vendor");
        Path main = vendor.resolve("src/main/java/com/example/vendor");
        Path test = vendor.resolve("src/test/java/com/example/vendor");
        Files.createDirectories(main);
        Files.createDirectories(test);
        Files.writeString(vendor.resolve("pom.xml"), vendorPom(version, parentPom), StandardCharsets.UTF_8);
        Files.writeString(main.resolve("ReloadingDriver.java"), """
                package com.example.vendor;

                import java.util.Optional;
                import org.lbaas.driver.spi.ApplyResult;
                import org.lbaas.driver.spi.ForwardingDriver;
                import org.lbaas.driver.spi.LoadBalancerDriver;
                import org.lbaas.model.LoadBalancer;

                /** A vendor's driver with one bug: applying what already runs reports a reload. */
                public final class ReloadingDriver extends ForwardingDriver {
                    private final LoadBalancerDriver delegate;

                    public ReloadingDriver(LoadBalancerDriver delegate) {
                        this.delegate = delegate;
                    }

                    @Override
                    protected LoadBalancerDriver delegate() {
                        return delegate;
                    }

                    @Override
                    public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
                        ApplyResult result = delegate.apply(previous, desired);
                        return result.action() == ApplyResult.Action.UNCHANGED && desired.isDeployable()
                                ? ApplyResult.of(ApplyResult.Action.RELOADED) : result;
                    }
                }
                """, StandardCharsets.UTF_8);
        Files.writeString(test.resolve("ReloadingDriverConformanceTest.java"), """
                package com.example.vendor;

                import org.lbaas.conformance.ConformanceEnvironment;
                import org.lbaas.conformance.DriverConformanceKit;
                import org.lbaas.driver.memory.InMemoryDriverProvider;
                import org.lbaas.driver.spi.LoadBalancerDriver;

                class ReloadingDriverConformanceTest extends DriverConformanceKit {

                    @Override
                    protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
                        return new ReloadingDriver(new InMemoryDriverProvider().create(env.config()));
                    }
                }
                """, StandardCharsets.UTF_8);

        List<String> verify = new ArrayList<>(List.of(checkout.resolve("mvnw").toString(), "-B", "-f",
                vendor.resolve("pom.xml").toString()));
        offline(verify);
        verify.add("verify");
        verify.addAll(repos);
        Result result = start(verify, vendor, Duration.ofMinutes(5), work.resolve("vendor.log"));
        assertTrue(result.exitCode() != 0, "the kit fails a driver that breaks a rule:\n" + result.tail());
        String rule = "Every driver operation is idempotent › applying the same desired state twice changes nothing"
                + " the second time";
        assertTrue(result.output().contains("ReloadingDriverConformanceTest"), "the vendor's class is named:\n"
                + result.tail());
        assertTrue(result.output().contains(rule), "the console names the broken rule:\n" + result.tail());
        String report = Files.readString(vendor.resolve(
                "target/surefire-reports/TEST-com.example.vendor.ReloadingDriverConformanceTest.xml"), StandardCharsets.UTF_8);
        List<String> names = Pattern.compile("<testcase name=\"([^\"]*)\"").matcher(report).results()
                .map(m -> m.group(1)).toList();
        assertTrue(names.stream().anyMatch(n -> n.contains("applying the same desired state twice changes nothing")),
                "with usePhrasedTestCaseMethodName the report names each test by its rule: " + names);
    }

    /** The consumer: the README's "Use it from Maven", with plugin versions this build has resolved. */
    private static String consumerPom(String version, String parentPom) {
        return pom("lbaas-consumer", version, parentPom, """
                    <dependency>
                      <groupId>org.lbaas</groupId>
                      <artifactId>lbaas-api</artifactId>
                    </dependency>
                    <dependency>
                      <groupId>org.lbaas</groupId>
                      <artifactId>driver-in-memory</artifactId>
                    </dependency>
                """, "");
    }

    /**
     * The vendor's project: the README's conformance-kit dependency, the in-memory driver their
     * driver wraps, and surefire set to name tests by their display names (as the README advises).
     */
    private static String vendorPom(String version, String parentPom) {
        return pom("vendor-driver", version, parentPom, """
                    <dependency>
                      <groupId>org.lbaas</groupId>
                      <artifactId>driver-spi</artifactId>
                    </dependency>
                    <dependency>
                      <groupId>org.lbaas</groupId>
                      <artifactId>driver-in-memory</artifactId>
                    </dependency>
                    <dependency>
                      <groupId>org.lbaas</groupId>
                      <artifactId>conformance-kit</artifactId>
                      <scope>test</scope>
                    </dependency>
                """, """
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-surefire-plugin</artifactId>
                        <version>%s</version>
                        <configuration>
                          <statelessTestsetReporter implementation="org.apache.maven.plugin.surefire.extensions.junit5.JUnit5Xml30StatelessReporter">
                            <usePhrasedTestCaseMethodName>true</usePhrasedTestCaseMethodName>
                          </statelessTestsetReporter>
                        </configuration>
                      </plugin>
                """.formatted(property(parentPom, "maven-surefire-plugin.version")));
    }

    /**
     * A project that imports the BOM of {@code version}, with these dependencies and plugins
     * besides the resources and compiler plugins at the versions this build has resolved.
     */
    private static String pom(String artifactId, String version, String parentPom, String dependencies, String plugins) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>%s</artifactId>
                  <version>1.0</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencyManagement>
                    <dependencies>
                      <dependency>
                        <groupId>org.lbaas</groupId>
                        <artifactId>lbaas-bom</artifactId>
                        <version>%s</version>
                        <type>pom</type>
                        <scope>import</scope>
                      </dependency>
                    </dependencies>
                  </dependencyManagement>
                  <dependencies>
                %s  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-resources-plugin</artifactId>
                        <version>%s</version>
                      </plugin>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>%s</version>
                      </plugin>
                %s    </plugins>
                  </build>
                </project>
                """.formatted(artifactId, version, dependencies, property(parentPom, "maven-resources-plugin.version"),
                property(parentPom, "maven-compiler-plugin.version"), plugins);
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertTrue(m.find(), "the parent pom sets " + name);
        return m.group(1);
    }

    private static String dependencyPluginVersion() {
        return System.getProperty("lbaas.dependencyPluginVersion", "3.9.0");
    }

    private static void offline(List<String> command) {
        if (System.getProperty("lbaas.offline", "").equals("offline=true")) {
            command.add("-o");
        }
    }

    /** A fresh checkout: the sources without build output or version control. */
    private static void copySources(Path root, Path target) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path rel = root.relativize(p);
                if (skipped(rel)) {
                    continue;
                }
                Path to = target.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static boolean skipped(Path rel) {
        for (Path part : rel) {
            String name = part.toString();
            if (name.equals("target") || name.equals(".git")) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command, its output into {@code log}; fails with the output's end unless it exits 0 in time. */
    private static String run(List<String> command, Path dir, Duration limit, Path log) throws Exception {
        Result result = start(command, dir, limit, log);
        if (result.exitCode() != 0) {
            fail(String.join(" ", command) + " exited " + result.exitCode() + ":\n" + result.tail());
        }
        return result.output();
    }

    /** How a command ended: its exit code and its output (stdout and stderr). */
    private record Result(int exitCode, String output) {

        /** The output's last 6000 characters, for a failure message. */
        String tail() {
            return output.length() > 6000 ? output.substring(output.length() - 6000) : output;
        }
    }

    /** Runs a command, its output into {@code log}; fails unless it exits in time. */
    private static Result start(List<String> command, Path dir, Duration limit, Path log) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean exited = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (!exited) {
            String end = output.length() > 6000 ? output.substring(output.length() - 6000) : output;
            fail(String.join(" ", command) + " timed out after " + limit + ":\n" + end);
        }
        return new Result(process.exitValue(), output);
    }
}
