package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("concurrent requests")
class ConcurrencyApiTest {

    static final int THREADS = 8;
    static final int PER_THREAD = 25;

    RestFixture api;
    ExecutorService clients;

    @BeforeEach
    void start() {
        api = new RestFixture(b -> b.threads(4));
        clients = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        clients.shutdownNow();
        clients.awaitTermination(10, TimeUnit.SECONDS);
        api.close();
    }

    private <T> List<T> all(List<Callable<T>> tasks) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(clients.submit(() -> {
                go.await();
                return task.call();
            }));
        }
        go.countDown();
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }

    @Test
    @DisplayName("parallel pool creates from several threads: every one answered 201, none lost, ids distinct")
    void parallelPools() throws Exception {
        List<Callable<List<String>>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            tasks.add(() -> {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < PER_THREAD; i++) {
                    ids.add(api.pool("p-" + thread + "-" + i, thread % 2 == 0 ? RestFixture.TOKEN_A : RestFixture.TOKEN_B));
                }
                return ids;
            });
        }
        Set<String> created = new HashSet<>();
        all(tasks).forEach(created::addAll);
        assertEquals(THREADS * PER_THREAD, created.size());
        Set<String> listed = new HashSet<>();
        api.get("/v2.0/lb/pools?fields=id", RestFixture.TOKEN_ADMIN).expect(200).json().get("pools")
                .forEach(p -> listed.add(p.get("id").asText()));
        assertEquals(created, listed);
        assertEquals(THREADS / 2 * PER_THREAD, api.get("/v2.0/lb/pools").json().get("pools").size(), "tenant a's half");
    }

    @Test
    @DisplayName("parallel member creates and reads on one pool: every member arrives and becomes ACTIVE")
    void parallelMembersOnOnePool() throws Exception {
        String pool = api.pool("shared");
        api.vip(pool, "vip");
        List<Callable<String>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS * 10; i++) {
            int n = i;
            tasks.add(() -> {
                String id = api.member(pool, "10.0.1." + (n + 1), 8080);
                api.get("/v2.0/lb/pools/" + pool).expect(200);
                return id;
            });
        }
        Set<String> created = new HashSet<>(all(tasks));
        assertEquals(THREADS * 10, created.size());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode members;
        do {
            members = api.get("/v2.0/lb/members?pool_id=" + pool + "&status=ACTIVE&fields=id").json().get("members");
        } while (members.size() < created.size() && System.nanoTime() < deadline);
        Set<String> active = new HashSet<>();
        members.forEach(m -> active.add(m.get("id").asText()));
        assertEquals(created, active);
        Set<String> inPool = new HashSet<>();
        api.get("/v2.0/lb/pools/" + pool).json().get("pool").get("members").forEach(m -> inPool.add(m.asText()));
        assertEquals(created, inPool);
        assertEquals(created.size(), api.driver.running(java.util.UUID.fromString(pool)).orElseThrow().members().size(),
                "the driver runs every member");
    }

    @Test
    @DisplayName("the same duplicate member sent from many threads is created exactly once")
    void racingDuplicates() throws Exception {
        String pool = api.pool("dup");
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS * 4; i++) {
            tasks.add(() -> api.post("/v2.0/lb/members", "{\"member\": {\"pool_id\": \"" + pool
                    + "\", \"address\": \"10.0.0.77\", \"protocol_port\": 80}}").status());
        }
        List<Integer> statuses = all(tasks);
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(THREADS * 4 - 1, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(1, api.get("/v2.0/lb/members").json().get("members").size());
    }
}
