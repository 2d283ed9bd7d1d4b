package io.berth.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Passes every request through to a real registry and adds what Distribution 2.8 (the registry
 * Debian ships) does not do but other registries do. Tag lists are paged with {@code n},
 * {@code last} and {@code Link: <...>; rel="next"} as Docker Hub, GHCR and Distribution 3 page them
 * (OCI distribution-spec "Listing Tags"), including the awkward cases: pages shorter than asked
 * for, absolute links, links to another host. Optionally it behaves like Docker Hub under load
 * ({@code ratelimit-*} headers, 429 with Retry-After), like registries that omit or garble
 * {@code Docker-Content-Digest}, or like a registry that redirects manifests to another registry.
 */
public final class RegistryProxy implements AutoCloseable {

    public enum LinkStyle { RELATIVE, ABSOLUTE, SHORT_PAGES, FOREIGN_HOST, OTHER_PORT }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "transfer-encoding",
            "upgrade", "keep-alive");

    private final RegistryServer upstream;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile LinkStyle style = LinkStyle.RELATIVE;
    /** The Authorization header of every request that arrived ("none" when absent). */
    public final List<String> authorizations = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile String redirectBlobsTo;
    private volatile String injectAuthorization;
    /** Requests that reached this proxy, for measuring what a client costs. */
    public final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean omitDigestHeader;
    private volatile String digestHeader;
    private volatile String redirectManifestsTo;
    private volatile boolean rateLimitHeaders;
    private volatile String tooManyRequestsRetryAfter;
    private volatile String rateLimitRemaining = "76";
    private volatile long delayMillis;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.Set<HttpExchange> answered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The most requests this proxy was answering at the same time. */
    public final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();
    /** "METHOD path" of every request that arrived, in order. */
    public final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());

    public RegistryProxy(RegistryServer upstream) {
        this.upstream = upstream;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        // one thread per request, so concurrent clients are answered concurrently (as a registry does)
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "registry-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public void style(LinkStyle style) {
        this.style = style;
    }

    /** Answers blob GETs with a 307 to the same path on {@code baseUrl}, as registries on object storage do. */
    public void redirectBlobsTo(String baseUrl) {
        this.redirectBlobsTo = baseUrl;
    }

    /** Sends this Authorization upstream whatever the client sent (a storage URL that carries its own grant). */
    public void injectAuthorization(String header) {
        this.injectAuthorization = header;
    }

    /** Drops Docker-Content-Digest from manifest answers. */
    public void omitDigestHeader(boolean omit) {
        this.omitDigestHeader = omit;
    }

    /**
     * Answers manifests with this Docker-Content-Digest instead of the registry's (null: pass it
     * through): empty, malformed or another manifest's digest, as broken registries and proxies do.
     */
    public void digestHeader(String value) {
        this.digestHeader = value;
    }

    /**
     * Answers manifest requests (HEAD and GET) with a 307 to the same path on {@code baseUrl}, as
     * a registry fronting another registry (a pull-through mirror, a moved repository) does.
     */
    public void redirectManifestsTo(String baseUrl) {
        this.redirectManifestsTo = baseUrl;
    }

    /** Sends Docker Hub's ratelimit-limit / ratelimit-remaining headers. */
    public void rateLimitHeaders(boolean send) {
        this.rateLimitHeaders = send;
    }

    /** Requests this proxy is answering now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The ratelimit-remaining value sent with {@link #rateLimitHeaders} (76 unless set). */
    public void rateLimitRemaining(int remaining) {
        rateLimitRemaining(Integer.toString(remaining));
    }

    /** The ratelimit-remaining value as sent, e.g. a number too large for an int. */
    public void rateLimitRemaining(String remaining) {
        this.rateLimitRemaining = remaining;
    }

    /** Holds every answer this long before passing the request on (a slow or distant registry). */
    public void delay(java.time.Duration delay) {
        this.delayMillis = delay.toMillis();
    }

    /** Answers every request 429 with this Retry-After (null: pass through). */
    public void tooManyRequests(String retryAfter) {
        this.tooManyRequestsRetryAfter = retryAfter;
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        log.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(authorization == null ? "none" : authorization);
        try {
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            if (tooManyRequestsRetryAfter != null) {
                exchange.getResponseHeaders().set("Retry-After", tooManyRequestsRetryAfter);
                answering(exchange).sendResponseHeaders(429, -1);
                return;
            }
            URI uri = exchange.getRequestURI();
            if (redirectBlobsTo != null && exchange.getRequestMethod().equals("GET") && uri.getPath().contains("/blobs/")) {
                exchange.getResponseHeaders().set("Location", redirectBlobsTo + uri.getRawPath());
                answering(exchange).sendResponseHeaders(307, -1);
                return;
            }
            if (redirectManifestsTo != null && uri.getPath().contains("/manifests/")) {
                exchange.getResponseHeaders().set("Location", redirectManifestsTo + uri.getRawPath());
                answering(exchange).sendResponseHeaders(307, -1);
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.url(uri.getRawPath()
                    + (uri.getRawQuery() == null || uri.getPath().endsWith("/tags/list") ? "" : "?" + uri.getRawQuery())))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(
                            exchange.getRequestBody().readAllBytes()));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())
                        && !(injectAuthorization != null && name.equalsIgnoreCase("Authorization"))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            if (injectAuthorization != null) {
                request.header("Authorization", injectAuthorization);
            }
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] body = answer.body();
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.equals(":status")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            if (omitDigestHeader) {
                exchange.getResponseHeaders().remove("Docker-Content-Digest");
            }
            if (digestHeader != null && uri.getPath().contains("/manifests/")) {
                exchange.getResponseHeaders().set("Docker-Content-Digest", digestHeader);
            }
            if (rateLimitHeaders) {
                exchange.getResponseHeaders().set("ratelimit-limit", "100;w=21600");
                exchange.getResponseHeaders().set("ratelimit-remaining", rateLimitRemaining + ";w=21600");
            }
            if (uri.getPath().endsWith("/tags/list") && answer.statusCode() == 200) {
                body = page(exchange, uri, mapper.readTree(body));
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            answering(exchange).sendResponseHeaders(answer.statusCode(), head || body.length == 0 ? -1 : body.length);
            if (!head && body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            answering(exchange);
            answered.remove(exchange);
            exchange.close();
        }
    }

    /** Counts the request as answered before the first byte of the answer goes out. */
    private HttpExchange answering(HttpExchange exchange) {
        if (answered.add(exchange)) { // (exchange attributes are shared per context on JDK 17)
            inFlight.decrementAndGet();
        }
        return exchange;
    }

    private byte[] page(HttpExchange exchange, URI uri, JsonNode full) throws IOException {
        int n = Integer.MAX_VALUE;
        String last = null;
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.startsWith("n=")) {
                    n = Integer.parseInt(pair.substring(2));
                } else if (pair.startsWith("last=")) {
                    last = java.net.URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                }
            }
        }
        List<String> all = new ArrayList<>();
        full.path("tags").forEach(t -> all.add(t.asText()));
        all.sort(null);
        int from = 0;
        while (last != null && from < all.size() && all.get(from).compareTo(last) <= 0) {
            from++;
        }
        int size = style == LinkStyle.SHORT_PAGES ? Math.max(1, Math.min(n, 3)) : n;
        List<String> page = all.subList(from, Math.min(all.size(), from + size));
        if (from + page.size() < all.size()) {
            String path = uri.getPath() + "?n=" + n + "&last=" + page.get(page.size() - 1);
            String link = switch (style) {
                case ABSOLUTE -> "http://" + host() + path;
                case FOREIGN_HOST -> "http://registry.elsewhere.example" + path;
                case OTHER_PORT -> "http://127.0.0.1:" + otherPort() + path;
                default -> path;
            };
            exchange.getResponseHeaders().set("Link", "<" + link + ">; rel=\"next\"");
        }
        return mapper.writeValueAsBytes(java.util.Map.of("name", full.path("name").asText(), "tags", page));
    }

    /** A port on this host other than the proxy's own (for links that differ only by port). */
    public int otherPort() {
        return server.getAddress().getPort() == 1 ? 2 : server.getAddress().getPort() - 1;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
