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
 * started again on the same port, to play a receiver that is down for a while.
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
            Integer next = script.poll();
            int status = next == null ? 204 : next;
            received.add(new Received(headers, body, System.currentTimeMillis(), status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public synchronized void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        stop();
    }
}
