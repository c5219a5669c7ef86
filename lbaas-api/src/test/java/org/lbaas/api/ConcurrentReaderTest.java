package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reader loading the store beside a writer never deletes or renames the writer's files. */
class ConcurrentReaderTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("a load between a writer's temporary file and its rename leaves the temporary file alone")
    void loadInsideAWrite() {
        AtomicInteger loads = new AtomicInteger();
        FileRepository writer = new FileRepository(dir, () -> {
            Repository.fileStore(dir).load();
            loads.incrementAndGet();
        });
        StoredLoadBalancer lb = FileRepositoryTest.rich();
        for (int i = 0; i < 20; i++) {
            writer.save(lb);
        }
        assertEquals(20, loads.get());
        assertEquals(List.of(lb), Repository.fileStore(dir).load().loadBalancers());
    }

    @Test
    @DisplayName("a reader in a loop beside a writer of many documents: every write succeeds")
    void readerInALoop() throws InterruptedException {
        Repository writer = Repository.fileStore(dir);
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Repository.fileStore(dir).load();
                }
            } catch (StorageException e) {
                // a document renamed while being listed: a reader may fail, a writer never
                readerFailure.compareAndSet(null, e);
            }
        });
        reader.start();
        List<Throwable> failures = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                try {
                    writer.save(FileRepositoryTest.rich());
                } catch (StorageException e) {
                    failures.add(e);
                }
            }
        } finally {
            reader.interrupt();
            reader.join(10_000);
        }
        assertEquals(List.of(), failures);
        assertEquals(300, writer.load().loadBalancers().size());
    }

    @Test
    @DisplayName("a temporary file of a writer that is gone is deleted; an old one without a process id too; a fresh one is kept")
    void staleTemporaryFiles() throws IOException, InterruptedException {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = dir.resolve(".pool-" + UUID.randomUUID() + "." + gone.pid() + "-1.tmp");
        Path live = dir.resolve(".pool-" + UUID.randomUUID() + "." + ProcessHandle.current().parent().orElseThrow().pid()
                + "-2.tmp");
        Path oldLegacy = dir.resolve(".pool-" + UUID.randomUUID() + ".3.tmp");
        Path freshLegacy = dir.resolve(".pool-" + UUID.randomUUID() + ".4.tmp");
        for (Path p : List.of(dead, live, oldLegacy, freshLegacy)) {
            Files.writeString(p, "{");
        }
        Files.setLastModifiedTime(oldLegacy, FileTime.from(Instant.now().minus(FileRepository.STALE_AFTER).minusSeconds(5)));
        Repository.fileStore(dir).load();
        assertTrue(Files.notExists(dead), "a dead writer's file is left");
        assertTrue(Files.exists(live), "a live writer's file was deleted");
        assertTrue(Files.notExists(oldLegacy));
        assertTrue(Files.exists(freshLegacy));
    }
}
