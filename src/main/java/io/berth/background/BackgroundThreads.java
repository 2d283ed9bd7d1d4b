package io.berth.background;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executors for Berth's own background work (registry checks, webhook deliveries, nudged rounds),
 * apart from Quarkus' worker pool so that they never take threads from API requests. Their threads
 * are daemons, named for thread dumps; the owning bean shuts them down in its {@code @PreDestroy}.
 */
public final class BackgroundThreads {

    private BackgroundThreads() {
    }

    /** A pool of {@code size} threads named {@code prefix-1}, {@code prefix-2}, ... */
    public static ExecutorService pool(String prefix, int size) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(size, daemon(() -> prefix + "-" + n.incrementAndGet()));
    }

    /** One thread named {@code name}; tasks run one at a time, in order. */
    public static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(daemon(() -> name));
    }

    private static ThreadFactory daemon(java.util.function.Supplier<String> names) {
        return r -> {
            Thread t = new Thread(r, names.get());
            t.setDaemon(true);
            return t;
        };
    }
}
