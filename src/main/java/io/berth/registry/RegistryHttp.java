package io.berth.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.berth.registry.RegistryException.Kind;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.Guard;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * One HTTP exchange with a registry or token service: the policy check on the host, bounded
 * bodies, no automatic redirects, and per host a circuit breaker plus bounded, jittered retries
 * of failed connections and 502/503/504 (every call here is a GET or HEAD, so retrying is safe).
 * Counts requests ({@code berth.registry.requests{host,status}}: host[:port], the HTTP status or
 * {@code unreachable}/{@code timeout}/{@code tls} when there was none) and remembers Docker Hub's
 * rate-limit headers per host.
 */
final class RegistryHttp {

    private static final class RetryableFailure extends RuntimeException {
        final RegistryException cause;

        RetryableFailure(RegistryException cause) {
            super(cause.getMessage(), null, false, false);
            this.cause = cause;
        }
    }

    private final HttpClient client;
    private final RegistryConfig config;
    private final HostPolicy policy;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final Map<String, RegistryRateLimit> rateLimits = new ConcurrentHashMap<>();

    private final MeterRegistry meters;

    RegistryHttp(RegistryConfig config, MeterRegistry meters) {
        this.config = config;
        this.meters = meters;
        this.policy = new HostPolicy(config.allowedPrivateHosts().orElse(List.of()));
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(sslContext(config.caBundle().orElse(null)))
                .build();
    }

    void checkHost(String host) {
        policy.check(host);
    }

    long requestCount(String hostAndPort) {
        AtomicLong count = requests.get(hostAndPort);
        return count == null ? 0 : count.get();
    }

    RegistryRateLimit rateLimit(String hostAndPort) {
        return rateLimits.get(hostAndPort);
    }

    /**
     * Sends one request. HEAD answers have no body; other bodies larger than {@code maxBytes} are
     * refused. 4xx answers are returned to the caller, 5xx after retries become UNAVAILABLE.
     */
    Exchange send(String method, URI uri, Map<String, String> headers, long maxBytes) {
        String hostAndPort = RegistryHost.hostAndPort(uri);
        policy.check(uri.getHost());
        Guard guard = guards.computeIfAbsent(hostAndPort, this::guardFor);
        try {
            return guard.get(() -> attempt(method, uri, headers, maxBytes, hostAndPort), Exchange.class);
        } catch (RetryableFailure e) {
            throw e.cause;
        } catch (CircuitBreakerOpenException e) {
            throw new RegistryException(Kind.UNAVAILABLE, "Requests to " + hostAndPort
                    + " are paused after repeated failures.", config.circuitOpenDelay().toSeconds(), null);
        }
    }

    private Guard guardFor(String hostAndPort) {
        return Guard.create()
                .withDescription("registry " + hostAndPort)
                .withRetry().maxRetries(config.retries()).delay(200, ChronoUnit.MILLIS).jitter(100, ChronoUnit.MILLIS)
                .maxDuration(5, ChronoUnit.SECONDS)
                .retryOn(RetryableFailure.class).abortOn(CircuitBreakerOpenException.class).done()
                .withCircuitBreaker().requestVolumeThreshold(4).failureRatio(0.75).successThreshold(1)
                .delay(config.circuitOpenDelay().toMillis(), ChronoUnit.MILLIS)
                .failOn(RetryableFailure.class).done()
                .build();
    }

    private Exchange attempt(String method, URI uri, Map<String, String> headers, long maxBytes, String hostAndPort) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.readTimeout())
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("User-Agent", "berth/0.1 (+registry-client)");
        headers.forEach(request::header);
        requests.computeIfAbsent(hostAndPort, h -> new AtomicLong()).incrementAndGet();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw failure(e, hostAndPort);
        }
        count(hostAndPort, Integer.toString(response.statusCode()));
        rememberRateLimit(hostAndPort, response.headers());
        byte[] body = read(response, "HEAD".equals(method) ? 0 : maxBytes, hostAndPort);
        int status = response.statusCode();
        if (status == 502 || status == 503 || status == 504) {
            throw new RetryableFailure(new RegistryException(Kind.UNAVAILABLE, hostAndPort + " answered HTTP " + status + ".",
                    Exchange.retryAfterSeconds(response.headers().firstValue("Retry-After").orElse(null)), null));
        }
        if (status >= 500) {
            throw new RegistryException(Kind.UNAVAILABLE, hostAndPort + " answered HTTP " + status + ".");
        }
        return new Exchange(uri, status, response.headers(), body);
    }

    /** What a request that got no answer means, counted under its kind. */
    private RuntimeException failure(Exception e, String hostAndPort) {
        RuntimeException failure;
        if (e instanceof HttpConnectTimeoutException) {
            failure = new RetryableFailure(new RegistryException(Kind.UNREACHABLE,
                    "Timed out connecting to " + hostAndPort + ".", 0, e));
        } else if (e instanceof HttpTimeoutException) {
            // not retried: a slow registry would otherwise cost several timeouts
            failure = new RegistryException(Kind.TIMEOUT, hostAndPort + " did not answer within "
                    + config.readTimeout().toSeconds() + " s.", 0, e);
        } else if (e instanceof SSLException || e.getCause() instanceof SSLException) {
            SSLException ssl = e instanceof SSLException s ? s : (SSLException) e.getCause();
            failure = new RegistryException(Kind.TLS, "TLS handshake with " + hostAndPort + " failed: " + ssl.getMessage(), 0, e);
        } else if (e instanceof ConnectException || e instanceof UnresolvedAddressException) {
            failure = new RetryableFailure(new RegistryException(Kind.UNREACHABLE, "Cannot connect to " + hostAndPort + ".", 0, e));
        } else if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            failure = new RegistryException(Kind.UNAVAILABLE, "Interrupted.", 0, e);
        } else if (e instanceof IOException) {
            failure = new RetryableFailure(new RegistryException(Kind.UNREACHABLE, "Connection to " + hostAndPort
                    + " failed: " + e.getMessage(), 0, e));
        } else {
            throw (RuntimeException) e;
        }
        RegistryException cause = failure instanceof RetryableFailure r ? r.cause : (RegistryException) failure;
        count(hostAndPort, cause.kind().name().toLowerCase(java.util.Locale.ROOT));
        return failure;
    }

    private void count(String hostAndPort, String status) {
        meters.counter("berth.registry.requests", "host", hostAndPort, "status", status).increment();
    }

    private static byte[] read(HttpResponse<InputStream> response, long maxBytes, String host) {
        try (InputStream in = response.body()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw new RegistryException(Kind.INVALID_RESPONSE, host + " sent more than " + maxBytes
                        + " bytes where at most that many were expected.");
            }
            return body;
        } catch (IOException e) {
            throw new RetryableFailure(new RegistryException(Kind.UNREACHABLE, "Reading from " + host + " failed.", 0, e));
        }
    }

    private void rememberRateLimit(String host, HttpHeaders headers) {
        String limit = headers.firstValue("ratelimit-limit").orElse(null);
        String remaining = headers.firstValue("ratelimit-remaining").orElse(null);
        if (leadingInt(limit) != null || leadingInt(remaining) != null) {
            rateLimits.put(host, new RegistryRateLimit(leadingInt(limit), leadingInt(remaining),
                    window(remaining != null ? remaining : limit), System.currentTimeMillis()));
        }
    }

    /** The {@code w=} parameter of a Docker Hub rate-limit header (e.g. {@code 100;w=21600}), or null. */
    private static Integer window(String value) {
        for (String part : value.split(";")) {
            String p = part.trim();
            if (p.startsWith("w=")) {
                return leadingInt(p.substring(2));
            }
        }
        return null;
    }

    private static Integer leadingInt(String value) {
        if (value == null) {
            return null;
        }
        int end = 0;
        while (end < value.length() && Character.isDigit(value.charAt(end))) {
            end++;
        }
        // more than nine digits is more than any real budget: plenty (and no overflow)
        return end == 0 ? null : end > 9 ? Integer.MAX_VALUE : Integer.valueOf(value.substring(0, end));
    }

    /** The JVM's trusted CAs plus, when configured, those of a PEM bundle. */
    private static SSLContext sslContext(String caBundle) {
        try {
            if (caBundle == null) {
                return SSLContext.getDefault();
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            int n = 0;
            for (var manager : defaults.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate cert : x509.getAcceptedIssuers()) {
                        store.setCertificateEntry("default-" + n++, cert);
                    }
                }
            }
            try (InputStream in = Files.newInputStream(Path.of(caBundle))) {
                for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("bundle-" + n++, cert);
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read berth.registry.ca-bundle " + caBundle, e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build the registry trust store", e);
        }
    }
}
