package org.lbaas.cluster;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;

/**
 * A {@link CuratorCache} of the znodes {@code depth} levels below a base path, each read strictly
 * into a value when it changes: a malformed one is reported to {@link Problems} and left out, the
 * others are kept with their znode version (for compare-and-set writes). {@code onChange} runs
 * after every change, on Curator's event thread; it must not block.
 *
 * @param <T> the value read from each znode
 */
final class Watched<T> implements AutoCloseable {

    /** A value with the znode version it was read at. */
    record Versioned<T>(T value, int version) {
    }

    private final String base;
    private final int depth;
    private final BiFunction<String, byte[], T> reader;
    private final Problems problems;
    private final Runnable onChange;
    private final CuratorCache cache;
    private final Map<String, Versioned<T>> values = new ConcurrentHashMap<>();
    private final CountDownLatch primed = new CountDownLatch(1);

    Watched(CuratorFramework client, String base, int depth, BiFunction<String, byte[], T> reader, Problems problems,
            Runnable onChange) {
        this.base = Objects.requireNonNull(base, "base");
        this.depth = depth;
        this.reader = reader;
        this.problems = problems;
        this.onChange = onChange;
        this.cache = CuratorCache.build(client, base);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, before, after) -> changed(type, before, after))
                .forInitialized(() -> {
                    primed.countDown();
                    onChange.run();
                })
                .build());
    }

    /** Starts the cache and waits until it holds what the server has, or the timeout passes. */
    Watched<T> start(long timeoutMillis) throws InterruptedException {
        cache.start();
        if (!primed.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the cache of " + base + " was not filled within " + timeoutMillis + " ms");
        }
        return this;
    }

    private void changed(CuratorCacheListener.Type type, ChildData before, ChildData after) {
        ChildData node = after != null ? after : before;
        if (node == null || !deepEnough(node.getPath())) {
            return;
        }
        String path = node.getPath();
        if (type == CuratorCacheListener.Type.NODE_DELETED) {
            values.remove(path);
            problems.clear(path);
        } else {
            try {
                values.put(path, new Versioned<>(reader.apply(path, after.getData()), after.getStat().getVersion()));
                problems.clear(path);
            } catch (MalformedZnodeException e) {
                values.remove(path);
                problems.report(e);
            }
        }
        if (primed.getCount() == 0) {
            onChange.run();
        }
    }

    private boolean deepEnough(String path) {
        if (!path.startsWith(base + "/")) {
            return false;
        }
        return path.substring(base.length() + 1).split("/", -1).length == depth;
    }

    /** Returns the value at a path, if it is there and well-formed. */
    Optional<Versioned<T>> get(String path) {
        return Optional.ofNullable(values.get(path));
    }

    /** Returns whether a znode exists at a path, well-formed or not. */
    boolean exists(String path) {
        return cache.get(path).isPresent();
    }

    /** Returns every well-formed value by path (a snapshot). */
    Map<String, Versioned<T>> all() {
        return Map.copyOf(values);
    }

    @Override
    public void close() {
        cache.close();
    }
}
