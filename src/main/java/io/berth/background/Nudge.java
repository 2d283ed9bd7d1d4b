package io.berth.background;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a round now, on its own thread, when something says there is work (e.g. a registry
 * notification made images due), instead of waiting for the next scheduled round. {@link #request}
 * returns at once; requests while a requested round is waiting fold into it, one arriving while it
 * runs queues one more round. After {@link #close} requests are dropped.
 */
public final class Nudge implements AutoCloseable {

    private final ExecutorService runner;
    private final Runnable round;
    private final AtomicBoolean waiting = new AtomicBoolean();

    /** @param threadName the thread the rounds run on */
    public Nudge(String threadName, Runnable round) {
        this.runner = BackgroundThreads.single(threadName);
        this.round = round;
    }

    /** Asks for a round. */
    public void request() {
        if (!waiting.compareAndSet(false, true)) {
            return;
        }
        try {
            runner.execute(() -> {
                waiting.set(false);
                round.run();
            });
        } catch (RejectedExecutionException shuttingDown) {
            waiting.set(false);
        }
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
