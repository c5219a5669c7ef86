package org.lbaas.driver.haproxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.model.LoadBalancer;

/**
 * The base of live tests that each need a fresh {@link LiveEnv}: made in the test's temporary
 * directory before each test (before the subclass's own {@code @BeforeEach}) and closed after it
 * (after the subclass's own {@code @AfterEach}, also when a test or that method failed), which
 * removes every instance and checks that nothing is left.
 */
@Tag("live")
abstract class LiveEnvTest {

    @TempDir
    Path temp;

    LiveEnv env;

    @BeforeEach
    final void openLiveEnv() {
        env = new LiveEnv(temp);
    }

    @AfterEach
    final void closeLiveEnv() {
        if (env != null) {
            env.close();
        }
    }

    /** The pid in the pid file of {@code lb}'s instance under the environment's driver. */
    long pid(LoadBalancer lb) throws IOException {
        InstanceFiles files = env.driver.files(env.driver.instance(lb.id()));
        return Long.parseLong(Files.readString(files.pidFile()).strip());
    }

    /** Polls {@code condition} every 100 ms until it holds; fails after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
