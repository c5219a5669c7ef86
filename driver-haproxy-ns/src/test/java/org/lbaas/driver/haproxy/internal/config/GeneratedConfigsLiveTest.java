package org.lbaas.driver.haproxy.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Tag;
import org.lbaas.model.LoadBalancer;

/**
 * At least 500 generated valid load balancers per run (members 0..200, every protocol, method,
 * persistence, monitor combination, admin state and connection limit, IPv4 and IPv6, with random
 * settings) are rendered and checked by the real {@code haproxy -dW -c}: no alert, no warning. Each
 * try checks a batch of {@value #BATCH} configurations on {@value #WORKERS} parallel workers; a
 * failure shrinks the batch to the smallest failing load balancer.
 */
@Tag("live")
class GeneratedConfigsLiveTest {

    static final int BATCH = 4;
    static final int WORKERS = 2;
    static final int TRIES = 125;

    private static ExecutorService workers;
    private static Path dir;
    private static final AtomicInteger CHECKED = new AtomicInteger();

    record Generated(LoadBalancer lb, RenderSettings settings) {
    }

    @BeforeContainer
    static void start() throws IOException {
        workers = Executors.newFixedThreadPool(WORKERS);
        dir = Files.createTempDirectory("lbt-render-");
    }

    @AfterContainer
    static void stop() throws IOException, InterruptedException {
        workers.shutdownNow();
        workers.awaitTermination(30, TimeUnit.SECONDS);
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
        assertTrue(CHECKED.get() >= BATCH * TRIES, "only " + CHECKED.get() + " configurations were checked");
    }

    @Provide
    Arbitrary<List<Generated>> batches() {
        return RenderArbitraries.deployable(200).flatMap(lb -> RenderArbitraries.settings().map(s -> new Generated(lb, s)))
                .list().ofSize(BATCH);
    }

    @Property(tries = TRIES, shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    void everyGeneratedConfigurationPassesHaproxyZeroWarningCheck(@ForAll("batches") List<Generated> batch) throws Exception {
        List<Future<String>> results = new ArrayList<>();
        for (Generated g : batch) {
            int n = g.lb().members().size();
            net.jqwik.api.statistics.Statistics.label("members")
                    .collect(n == 0 ? "0" : n <= 20 ? "1-20" : n <= 100 ? "21-100" : "101-200");
            net.jqwik.api.statistics.Statistics.label("protocol/persistence").collect(g.lb().pool().protocol() + "/"
                    + g.lb().vip().orElseThrow().sessionPersistence().map(sp -> sp.type().name()).orElse("none"));
            String text = new HaproxyConfigRenderer(g.settings()).render(g.lb(), RenderFixtures.files(g.lb()));
            Path file = Files.createTempFile(dir, "c", ".cfg");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            results.add(workers.submit(() -> check(file)));
        }
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            String out = results.get(i).get(60, TimeUnit.SECONDS);
            if (!out.equals("Configuration file is valid")) {
                failures.add(out + "\n--- for ---\n" + batch.get(i));
            }
        }
        assertEquals(List.of(), failures);
        CHECKED.addAndGet(batch.size());
    }

    private static String check(Path file) throws IOException, InterruptedException, ExecutionException {
        Process p = new ProcessBuilder(HaproxyParserLiveTest.haproxy().toString(), "-dW", "-c", "-f", file.toString())
                .redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                return "haproxy -c did not finish";
            }
            String text = p.exitValue() == 0 ? out : "exit " + p.exitValue() + ": " + out;
            if (p.exitValue() == 0) {
                Files.delete(file);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            p.destroy();
        }
    }
}
