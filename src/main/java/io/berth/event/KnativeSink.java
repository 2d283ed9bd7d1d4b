package io.berth.event;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.berth.persistence.Tenancy;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Sends every event, of every company, to the Knative sink when {@code K_SINK} is set (a
 * SinkBinding or ContainerSource injects it; {@code berth.events.sink}): CloudEvents structured
 * mode, in feed order, at least once. Progress is one cursor row that the sending replica holds
 * locked ({@code FOR UPDATE SKIP LOCKED}: one replica sends at a time, another takes over when it
 * dies); a failed send is retried after 1, 2, 4, … seconds, at most a minute apart. The sink is
 * the operator's own cluster address, so the SSRF rules of webhooks do not apply to it.
 */
@ApplicationScoped
public class KnativeSink {

    private static final int BATCH = 20;
    /** When this process started (not this bean, which the first tick creates); now if the OS cannot tell. */
    private final Instant started = ProcessHandle.current().info().startInstant().orElseGet(Instant::now);

    private final EntityManager em;
    private final EventsConfig config;
    private final EventFeed feed;
    private final Tenancy tenancy;
    private final HttpClient client;
    private volatile long pausedUntilMillis;
    private volatile int failures;

    public KnativeSink(EntityManager em, EventsConfig config, EventFeed feed, Tenancy tenancy) {
        this.em = em;
        this.config = config;
        this.feed = feed;
        this.tenancy = tenancy;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Scheduled(every = "${berth.events.sequence-interval:1s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (config.sink().isEmpty() || System.currentTimeMillis() < pausedUntilMillis) {
            return;
        }
        try {
            tenancy.callAsSystem(this::sendPending);
        } catch (RuntimeException e) { // a database outage: the next tick tries again
            Log.warnf("Sending change events to K_SINK failed: %s", e.getMessage());
        }
    }

    /**
     * Sends the next events after the cursor, advancing it after each one the sink accepted (2xx);
     * stops at the first refusal. Answers how many were accepted.
     */
    @Transactional
    int sendPending() {
        URI sink = URI.create(config.sink().orElseThrow());
        // The first time any replica sends, the cursor starts after the events that existed before
        // this process started (a minute earlier, for clocks of replicas that differ): a sink gets
        // every event from its configuration on, also those of the seconds before the first tick.
        em.createNativeQuery("insert into event_sink_cursor (id, position)"
                + " select 1, coalesce(max(position), 0) from events where time < ?1 on conflict (id) do nothing")
                .setParameter(1, started.minus(Duration.ofMinutes(1))).executeUpdate();
        @SuppressWarnings("unchecked")
        List<Number> cursor = em.createNativeQuery("select position from event_sink_cursor where id = 1 for update skip locked")
                .getResultList();
        if (cursor.isEmpty()) {
            return 0; // another replica is sending
        }
        long position = cursor.get(0).longValue();
        @SuppressWarnings("unchecked")
        List<Object[]> next = em.createNativeQuery("select position, id from events where position > ?1 order by position limit ?2")
                .setParameter(1, position).setParameter(2, BATCH).getResultList();
        int sent = 0;
        for (Object[] row : next) {
            Optional<byte[]> body = feed.structured((String) row[1]);
            if (body.isPresent() && !send(sink, body.get())) {
                break;
            }
            position = ((Number) row[0]).longValue();
            sent++;
        }
        em.createNativeQuery("update event_sink_cursor set position = ?1 where id = 1").setParameter(1, position)
                .executeUpdate();
        return sent;
    }

    private boolean send(URI sink, byte[] body) {
        String failure;
        try {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(sink).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/cloudevents+json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() >= 200 && response.statusCode() < 300) {
                failures = 0;
                return true;
            }
            failure = "HTTP " + response.statusCode();
        } catch (IOException e) {
            failure = e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        int n = ++failures;
        long waitMillis = Math.min(60_000L, 1000L << Math.min(n - 1, 6));
        pausedUntilMillis = System.currentTimeMillis() + waitMillis;
        Log.warnf("K_SINK refused an event (%s); retrying in %d s", failure, waitMillis / 1000);
        return false;
    }
}
