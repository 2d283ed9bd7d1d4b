package io.berth.event;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.persistence.DbTime;
import io.berth.persistence.Tenancy;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonCloudEventData;
import io.cloudevents.jackson.JsonFormat;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * The company's change events in commit order. Events get their position after they commit: one
 * sequencer at a time across replicas (a PostgreSQL transaction-level advisory lock) numbers every
 * committed event that has none, so positions become visible in order and a reader that resumes
 * after the last position it read never misses one. Reading the feed sequences first, so a client
 * sees its own changes at once; a scheduled job does it otherwise every
 * {@code berth.events.sequence-interval} and drops events older than {@code berth.events.retention}.
 */
@ApplicationScoped
public class EventFeed {

    /** The advisory lock key of the sequencer ("berthseq" as ASCII). */
    private static final long SEQUENCER_LOCK = 0x6265727468736571L;

    private final EntityManager em;
    private final EventsConfig config;
    private final Tenancy tenancy;
    private final ObjectMapper cloudEvents;
    private final ObjectMapper mapper;
    private final Event<Sequenced> sequenced;

    public EventFeed(EntityManager em, EventsConfig config, Tenancy tenancy, ObjectMapper mapper, Event<Sequenced> sequenced) {
        this.sequenced = sequenced;
        this.em = em;
        this.config = config;
        this.tenancy = tenancy;
        this.mapper = mapper;
        this.cloudEvents = new ObjectMapper().registerModule(JsonFormat.getCloudEventJacksonModule());
    }

    /** A page of events: CloudEvents in JSON structured mode, and the cursor to read on from. */
    public record Slice(List<ObjectNode> items, long next) {
    }

    /**
     * Up to {@code limit} of the company's events after position {@code after}, oldest first.
     *
     * @param after a position from an earlier page's {@code next} (0: from the oldest kept)
     * @param limit 1–500
     */
    public Slice read(UUID company, long after, int limit) {
        // waits for a sequencer running elsewhere, so the caller's own committed changes are numbered
        tenancy.callAsSystem(() -> sequence(true));
        List<Object[]> rows = tenancy.callAsSystem(() -> rows(company, after, limit));
        List<ObjectNode> items = new ArrayList<>(rows.size());
        long next = after;
        for (Object[] row : rows) {
            next = ((Number) row[0]).longValue();
            items.add(cloudEvents.valueToTree(toCloudEvent(row)));
        }
        return new Slice(items, next);
    }

    @SuppressWarnings("unchecked")
    @Transactional(Transactional.TxType.SUPPORTS)
    List<Object[]> rows(UUID company, long after, int limit) {
        return em.createNativeQuery("select position, id, type, source, subject, time, data::text from events"
                + " where company_id = ?1 and position > ?2 order by position limit ?3")
                .setParameter(1, company).setParameter(2, after).setParameter(3, limit).getResultList();
    }

    private CloudEvent toCloudEvent(Object[] row) {
        try {
            return CloudEventBuilder.v1()
                    .withId((String) row[1])
                    .withType((String) row[2])
                    .withSource(URI.create((String) row[3]))
                    .withSubject((String) row[4])
                    .withTime(DbTime.of(row[5]))
                    // the CloudEvents sequence extension: the feed position, zero-padded so it also sorts as text
                    .withExtension("sequence", String.format("%019d", ((Number) row[0]).longValue()))
                    .withDataContentType("application/json")
                    .withData(JsonCloudEventData.wrap(mapper.readTree((String) row[6])))
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored event's data is not JSON", e);
        }
    }

    /**
     * Numbers committed events without a position, in the order they were written (within a
     * transaction too), and announces the range ({@link Sequenced}) to observers in the same
     * transaction. One sequencer at a time across replicas: with {@code wait} this one waits for
     * the lock (a feed read: it must see the reader's own changes numbered), without it returns 0
     * while another runs (the scheduled job). Answers how many were numbered.
     */
    @Transactional
    int sequence(boolean wait) {
        if (wait) {
            em.createNativeQuery("select 1 from (select pg_advisory_xact_lock(?1)) locked").setParameter(1, SEQUENCER_LOCK)
                    .getSingleResult();
        } else if (!Boolean.TRUE.equals(em.createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                .setParameter(1, SEQUENCER_LOCK).getSingleResult())) {
            return 0;
        }
        Object[] range = (Object[]) em.createNativeQuery("with todo as (select id, nextval('events_position_seq') as p"
                + "   from (select id from events where position is null order by written) s),"
                + " numbered as (update events e set position = todo.p from todo where e.id = todo.id returning e.position)"
                + " select count(*), min(position), max(position) from numbered").getSingleResult();
        int count = ((Number) range[0]).intValue();
        if (count > 0) {
            sequenced.fire(new Sequenced(((Number) range[1]).longValue(), ((Number) range[2]).longValue()));
        }
        return count;
    }

    /**
     * Events numbered {@code first}..{@code last} (inclusive) just got their positions; observers
     * run in the sequencer's transaction, so what they write exists exactly when the positions do.
     */
    public record Sequenced(long first, long last) {
    }

    /**
     * One stored event as CloudEvents JSON structured mode ({@code application/cloudevents+json}),
     * the exact bytes a delivery sends; empty when the event is gone (past retention).
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.Optional<byte[]> structured(String eventId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select position, id, type, source, subject, time, data::text"
                + " from events where id = ?1").setParameter(1, eventId).getResultList();
        return rows.stream().findFirst().map(row -> {
            try {
                return cloudEvents.writeValueAsBytes(toCloudEvent(row));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("An event cannot be serialized", e);
            }
        });
    }

    @Scheduled(every = "${berth.events.sequence-interval:1s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            tenancy.callAsSystem(() -> sequence(false));
        } catch (RuntimeException e) { // a database outage: the next tick (or a feed read) catches up
            Log.warnf("Sequencing change events failed: %s", e.getMessage());
        }
    }

    @Scheduled(every = "1h", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        int dropped = tenancy.callAsSystem(this::dropExpired);
        if (dropped > 0) {
            Log.infof("Dropped %d change events older than %s", dropped, config.retention());
        }
    }

    @Transactional
    int dropExpired() {
        return em.createNativeQuery("delete from events where time < now() - make_interval(secs => ?1)")
                .setParameter(1, (double) config.retention().toSeconds()).executeUpdate();
    }
}
