package io.berth.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server that receives webhook deliveries: it records every request (headers, body,
 * arrival time) and answers the next scripted status, 204 when none is left. It can be stopped and
 * started again on the same port, to play a receiver that is down for a while, and hold requests
 * unanswered, to catch a sender mid-delivery.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Received(Map<String, String> headers, byte[] body, long atMillis, int answered) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    public final List<Received> received = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
    private volatile java.util.concurrent.CountDownLatch hold;
    private final int port;
    private HttpServer server;

    public WebhookReceiver() {
        this.port = TestFiles.freePort();
        start();
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/hook";
    }

    /** Answers the next requests with these statuses, in order. */
    public void answer(Integer... statuses) {
        script.addAll(List.of(statuses));
    }

    /**
     * Takes the next requests (recorded, with answered -1) but answers none until {@link #release};
     * a sender that dies meanwhile never learns the outcome.
     */
    public void hold() {
        hold = new java.util.concurrent.CountDownLatch(1);
    }

    public void release() {
        java.util.concurrent.CountDownLatch h = hold;
        hold = null;
        if (h != null) {
            h.countDown();
        }
    }

    public synchronized void start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            java.util.concurrent.CountDownLatch held = hold;
            if (held != null) {
                received.add(new Received(headers, body, System.currentTimeMillis(), -1));
                try {
                    held.await(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close(); // no answer: the sender is gone or gets a broken connection
                return;
            }
            Integer next = script.poll();
            int status = next == null ? 204 : next;
            received.add(new Received(headers, body, System.currentTimeMillis(), status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        // one thread per request: a held request does not block the next one
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "webhook-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public synchronized void stop() {
        release();
        server.stop(0);
    }

    @Override
    public void close() {
        stop();
    }
}
